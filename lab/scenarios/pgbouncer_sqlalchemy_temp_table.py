"""Dedup step behind PgBouncer (transaction pooling), SQLAlchemy + psycopg2.

Step 1 sets search_path and fills a TEMP table; step 2, a separate
transaction, reads them back. Both depend on session state that transaction
pooling does not keep, because another connection's transaction took the
server connection in between.
"""
import logging
import os
import sys

from sqlalchemy import create_engine, text

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("dedup_orders")

url = "postgresql+psycopg2://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}".format(**os.environ)
engine = create_engine(url, pool_size=2, connect_args={"application_name": "dedup_orders"})
lock_engine = create_engine(url, connect_args={"application_name": "dedup_lock"})


def main():
    try:
        with engine.connect() as conn:
            with conn.begin():
                conn.execute(text("SET search_path TO staging, public"))
                conn.execute(text("CREATE TEMP TABLE dup_keys AS "
                                  "SELECT customer_id, max(order_id) AS keep_id FROM orders GROUP BY customer_id"))
            log.info("step 1: dup_keys built")
            with lock_engine.connect() as lock_conn, lock_conn.begin():
                lock_conn.execute(text("SELECT 1 FROM etl_jobs WHERE job_name = 'customers' FOR UPDATE"))
                log.info("job lock taken")
                with conn.begin():
                    path = conn.execute(text("SHOW search_path")).scalar()
                    if path != "staging, public":
                        log.warning("search_path is %r, expected 'staging, public'", path)
                    n = conn.execute(text("SELECT count(*) FROM dup_keys")).scalar()
                log.info("step 2: %d keys to keep", n)
        return 0
    except Exception:
        log.exception("dedup failed")
        return 1


if __name__ == "__main__":
    sys.exit(main())
