"""Partition compactor: three worker threads, each running a slow query.

While they run, an unrelated backend is killed with SIGKILL (as the kernel's
OOM killer would); the postmaster then resets every session and recovers.
"""
import logging
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s")
log = logging.getLogger("compactor")

url = "postgresql+psycopg2://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}".format(**os.environ)
engine = create_engine(url, pool_size=3, connect_args={"application_name": "compactor"})


def compact(part):
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM staging.orders, pg_sleep(4) WHERE region = :r"), {"r": part})
        log.info("partition %s compacted", part)
        return True
    except Exception:
        log.exception("partition %s failed", part)
        return False


def main():
    crash = subprocess.Popen([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "--after", "1", "crash"])
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="compact") as ex:
        log.info("compacting 3 partitions")
        ok = all(list(ex.map(compact, ["emea", "amer", "apac"])))
    crash.wait()
    log.info("compaction %s", "done" if ok else "failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
