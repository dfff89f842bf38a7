"""Nightly job that starts while the database is down (maintenance window overran)."""
import logging
import os
import subprocess
import sys
import time

from sqlalchemy import create_engine, text

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("nightly_snapshot")

# the database is shut down just before the job starts (lab fault, not logged)
subprocess.run([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "stop"], check=True)

url = "postgresql+psycopg2://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}".format(**os.environ)
engine = create_engine(url, connect_args={"connect_timeout": 5, "application_name": "nightly_snapshot"})


def main():
    for attempt in range(1, 4):
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            log.info("connected")
            return 0
        except Exception:
            log.exception("connection attempt %d/3 failed", attempt)
            time.sleep(1)
    log.error("giving up after 3 attempts")
    return 1


if __name__ == "__main__":
    sys.exit(main())
