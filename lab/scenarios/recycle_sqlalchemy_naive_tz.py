"""Search-index feeder (SQLAlchemy + psycopg2) on a host that runs in
Europe/Paris. Python's default logging layout prints local time without a
zone, while the database logs UTC: the two logs of one incident are an hour
apart on paper.

The engine may keep a pooled connection for an hour (pool_recycle=3600) and
does not test it on checkout; the server closes sessions idle for 3 s.
"""
import logging
import os
import sys
import time

from sqlalchemy import create_engine, text

logging.basicConfig(level=logging.INFO, format="%(asctime)s - %(name)s - %(levelname)s - %(message)s")
log = logging.getLogger("index_feeder")

ENGINE_ARGS = dict(pool_size=1, pool_recycle=3600, pool_pre_ping=False)
url = "postgresql+psycopg2://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}".format(**os.environ)
engine = create_engine(url, connect_args={"application_name": "index_feeder"}, **ENGINE_ARGS)


def main():
    log.info("engine: pool_size=1 pool_recycle=3600 pool_pre_ping=False")
    for page in (1, 2):
        try:
            with engine.connect() as conn:
                ids = conn.execute(text("SELECT order_id FROM staging.orders WHERE order_id % 7 = :p LIMIT 200"), {"p": page}).fetchall()
            log.info("page %d: %d documents sent to the index", page, len(ids))
        except Exception:
            log.exception("page %d: feed failed", page)
            return 1
        time.sleep(4.5)  # the index applies the page; nothing to do meanwhile
    return 0


if __name__ == "__main__":
    sys.exit(main())
