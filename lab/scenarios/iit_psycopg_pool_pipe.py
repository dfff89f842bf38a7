"""Invoice exporter: psycopg_pool, one transaction per export, a slow render step inside it.

The pool hands out a connection, the job opens a transaction, writes the
export header, then renders the PDF batch in Python (3.5 s) while the server's
idle_in_transaction_session_timeout is 2 s. The application logs with a
pipe-separated layout that names the logger and the line number.
"""
import logging
import os
import sys
import time

from psycopg_pool import ConnectionPool

logging.basicConfig(
    level=logging.INFO,
    format="%(asctime)s | %(levelname)-8s | %(name)s:%(lineno)d | %(message)s",
)
log = logging.getLogger("invoices.export")
conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)


def render(rows):
    time.sleep(3.5)  # CPU-bound rendering stands in here
    return len(rows) * 3


def export(pool, batch):
    with pool.connection() as conn:
        with conn.transaction():
            conn.execute("UPDATE etl_jobs SET status = 'exporting', last_run = now() WHERE job_name = 'orders_daily'")
            rows = conn.execute("SELECT order_id, amount FROM staging.orders WHERE order_id %% 50 = %s", (batch,)).fetchall()
            log.info("batch %d: %d invoices selected", batch, len(rows))
            pages = render(rows)
            log.info("batch %d: rendered %d pages", batch, pages)
            conn.execute("UPDATE etl_jobs SET status = 'exported' WHERE job_name = 'orders_daily'")


def main():
    with ConnectionPool(conninfo, min_size=1, max_size=2, kwargs={"application_name": "invoice_export"}) as pool:
        pool.wait()
        log.info("pool ready (min_size=1, max_size=2)")
        for batch in (1, 2):
            try:
                export(pool, batch)
                log.info("batch %d exported", batch)
            except Exception:
                log.exception("batch %d failed", batch)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
