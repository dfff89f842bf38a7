"""Order loader behind PgBouncer (pool_mode=transaction), psycopg 3.

prepare_threshold=0 makes psycopg prepare every statement on first use and
reuse it by name afterwards. A job-tracking connection holds a transaction
open while the loader works, so PgBouncer hands the loader's next
transaction a different server connection, where the name was never prepared.
"""
import logging
import os
import sys

import psycopg

logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logging.getLogger("psycopg").setLevel(logging.INFO)
log = logging.getLogger("order_loader")

conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)
INSERT = ("INSERT INTO staging.orders (order_id, customer_id, amount, region) VALUES (%s, %s, %s, %s) "
          "ON CONFLICT (order_id) DO NOTHING")


def main():
    log.info("connecting through pgbouncer at %s:%s", os.environ["DB_HOST"], os.environ["DB_PORT"])
    loader = psycopg.connect(conninfo, prepare_threshold=0, application_name="order_loader")
    tracker = psycopg.connect(conninfo, application_name="order_loader_tracker")
    try:
        loader.execute(INSERT, (500001, 1, 10, "emea"))
        loader.commit()
        log.debug("chunk 1 committed")
        # the tracker marks the job as running and keeps its row locked while the load goes on
        tracker.execute("SELECT status FROM etl_jobs WHERE job_name = 'orders_daily' FOR UPDATE")
        log.info("job orders_daily locked by tracker")
        for chunk, oid in ((2, 500002), (3, 500003)):
            loader.execute(INSERT, (oid, 1, 10, "emea"))
            loader.commit()
            log.debug("chunk %d committed", chunk)
        tracker.commit()
        return 0
    except psycopg.Error:
        log.exception("load aborted")
        return 1
    finally:
        loader.close()
        tracker.close()


if __name__ == "__main__":
    sys.exit(main())
