"""Job started with a stale password after the secret was rotated."""
import logging
import os
import sys

from sqlalchemy import create_engine, text

logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(levelname)s] %(name)s - %(message)s")
log = logging.getLogger("finance_extract")

url = "postgresql+psycopg2://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}".format(**os.environ)
engine = create_engine(url, connect_args={"application_name": "finance_extract"})


def main():
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return 0
    except Exception:
        log.exception("could not open database session")
        return 1


if __name__ == "__main__":
    sys.exit(main())
