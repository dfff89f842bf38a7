"""Feature-store sync: psycopg_pool keeps three connections warm between batches.

psycopg_pool 3.1 hands out a pooled connection without testing it, so after a
database restart the first batch meets dead connections.
"""
import logging
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from psycopg_pool import ConnectionPool

logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(levelname)s] %(name)s - %(message)s")
log = logging.getLogger("feature_sync")

conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)
pool = ConnectionPool(conninfo, min_size=3, max_size=3, kwargs={"application_name": "feature_sync"})
FEATURES = ["order_count", "avg_amount", "region_mix"]


def sync(batch, feature):
    try:
        with pool.connection() as conn:
            conn.execute("SELECT count(*), avg(amount) FROM staging.orders, pg_sleep(0.2)").fetchone()
        log.info("batch %d feature %s synced", batch, feature)
        return True
    except Exception:
        log.exception("batch %d feature %s failed", batch, feature)
        return False


def main():
    pool.wait()
    ok = True
    with ThreadPoolExecutor(max_workers=3) as ex:
        for batch in (1, 2):
            log.info("batch %d starting", batch)
            ok = all(list(ex.map(lambda f: sync(batch, f), FEATURES))) and ok
            if batch == 1:
                log.info("batch 1 done, sleeping until next schedule tick")
                subprocess.run([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "restart"], check=True)
                time.sleep(1)
    pool.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
