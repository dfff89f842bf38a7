"""Nightly dedup (plain psycopg2) against a server that logs in German
(lc_messages = 'de_DE.UTF-8'). It opens a transaction, marks duplicates, then
spends 3.5 s comparing them in Python with idle_in_transaction_session_timeout
at 2 s. libpq's own messages on the client stay in English (the client's
locale is C).
"""
import logging
import os
import sys
import time

import psycopg2

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
log = logging.getLogger("dedup")


def main():
    conn = psycopg2.connect(host=os.environ["DB_HOST"], port=os.environ["DB_PORT"], dbname=os.environ["DB_NAME"],
                            user=os.environ["DB_USER"], password=os.environ["DB_PASSWORD"], application_name="dedup")
    try:
        with conn.cursor() as cur:
            cur.execute("UPDATE etl_jobs SET status = 'dedup' WHERE job_name = 'customers'")
            cur.execute("SELECT customer_id, count(*) FROM staging.orders GROUP BY customer_id HAVING count(*) > 1")
            dups = cur.fetchall()
            log.info("%d customers with duplicate orders", len(dups))
            time.sleep(3.5)  # fuzzy comparison in Python while the transaction stays open
            cur.execute("UPDATE etl_jobs SET status = 'deduped', last_run = now() WHERE job_name = 'customers'")
        conn.commit()
    except psycopg2.Error:
        log.exception("dedup failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
