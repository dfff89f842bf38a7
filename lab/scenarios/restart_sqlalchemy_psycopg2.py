"""Customer-dimension refresh: batches of region queries run on four worker threads.

The engine keeps its pooled connections between batches and does not ping
them (pool_pre_ping=False), so a database restart in between leaves every
pooled connection pointing at a backend that no longer exists.
"""
import logging
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text

logging.basicConfig(level=logging.INFO,
                    format="%(asctime)s.%(msecs)03dZ %(levelname)-8s [%(threadName)s] %(name)s %(message)s",
                    datefmt="%Y-%m-%dT%H:%M:%S")
logging.Formatter.converter = time.gmtime
logging.getLogger("sqlalchemy.pool").setLevel(logging.INFO)  # pool invalidations are worth seeing
log = logging.getLogger("customers_refresh")

url = "postgresql+psycopg2://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}".format(**os.environ)
engine = create_engine(url, pool_size=4, max_overflow=0, pool_pre_ping=False,
                       connect_args={"application_name": "customers_refresh"})
REGIONS = ["emea", "amer", "apac", "emea"]


def region_params(region):
    time.sleep(0.1)  # reads the region's mapping file
    return {"r": region}


def refresh(batch, region):
    try:
        with engine.connect() as conn:
            params = region_params(region)
            n = conn.execute(text("SELECT count(*) FROM staging.orders, pg_sleep(0.3) WHERE region = :r"),
                             params).scalar()
        log.info("batch %d region %s: %d customers refreshed", batch, region, n)
        return True
    except Exception:
        log.exception("batch %d region %s: refresh failed", batch, region)
        return False


def run_batch(pool, batch):
    log.info("batch %d: dispatching %d regions", batch, len(REGIONS))
    return all(list(pool.map(lambda r: refresh(batch, r), REGIONS)))


def main():
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="worker") as pool:
        ok = run_batch(pool, 1)
        log.info("batch 1 finished, waiting for next upstream drop")
        # meanwhile the operator restarts the database (lab fault, not logged by the job)
        subprocess.run([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "restart"], check=True)
        time.sleep(1)
        ok = run_batch(pool, 2) and ok
    log.info("refresh %s", "complete" if ok else "finished with errors")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
