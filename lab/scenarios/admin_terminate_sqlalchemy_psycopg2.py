"""Ledger loader: two batches, one SQLAlchemy engine.

Between the batches a DBA, chasing what looks like a stuck session, runs
pg_terminate_backend() on the loader's idle pooled connection.
"""
import logging
import os
import subprocess
import sys
import time

from sqlalchemy import create_engine, text

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                    datefmt="%Y-%m-%dT%H:%M:%S%z")
log = logging.getLogger("orders_loader")

url = "postgresql+psycopg2://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}".format(**os.environ)
engine = create_engine(url, pool_size=1, connect_args={"application_name": "orders_loader"})


def load(batch):
    with engine.begin() as conn:
        n = conn.execute(text(
            "UPDATE staging.orders SET loaded_at = now() WHERE order_id BETWEEN :a AND :b"),
            {"a": batch * 100, "b": batch * 100 + 99}).rowcount
    log.info("batch %d: %d ledger rows stamped", batch, n)


def main():
    try:
        load(1)
        log.info("batch 1 done, next batch in 2s")
        # a DBA terminates the idle session meanwhile (lab fault, not part of the job's log)
        subprocess.run([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "terminate", "orders_loader"], check=True)
        time.sleep(2)
        load(2)
        return 0
    except Exception:
        log.exception("ledger load failed")
        return 1


if __name__ == "__main__":
    sys.exit(main())
