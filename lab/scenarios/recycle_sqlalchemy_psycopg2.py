"""Clickstream micro-batcher: one SQLAlchemy engine for the life of the process.

The pool may keep a connection for an hour (pool_recycle=3600) and does not
test it on checkout, while the server closes sessions idle for more than a
few seconds (idle_session_timeout). The first batch after a quiet spell
picks up a connection the server has already closed.
"""
import logging
import os
import sys
import time

from sqlalchemy import create_engine, text

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("clickstream_batcher")

ENGINE_ARGS = dict(pool_size=2, pool_recycle=3600, pool_pre_ping=False, pool_timeout=30)
url = "postgresql+psycopg2://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}".format(**os.environ)
engine = create_engine(url, connect_args={"application_name": "clickstream_batcher"}, **ENGINE_ARGS)


def main():
    log.info("engine config: %s", " ".join(f"{k}={v}" for k, v in ENGINE_ARGS.items()))
    for batch in (1, 2):
        try:
            with engine.begin() as conn:
                n = conn.execute(text(
                    "INSERT INTO staging.orders (order_id, customer_id, amount, region) "
                    "SELECT 400000 + :b * 1000 + g, 5, 1, 'emea' FROM generate_series(1, 25) g"), {"b": batch}).rowcount
            log.info("batch %d: flushed %d events", batch, n)
        except Exception:
            log.exception("batch %d: flush failed", batch)
            return 1
        log.info("waiting for events")
        time.sleep(4.5)  # quiet period: no events arrive
    return 0


if __name__ == "__main__":
    sys.exit(main())
