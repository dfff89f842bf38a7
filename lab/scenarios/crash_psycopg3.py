"""Invoice exporter (psycopg 3) with one long-lived connection.

Between two steps another backend of the server is killed with SIGKILL and
the postmaster reinitializes, taking this session down with it.
"""
import logging
import os
import subprocess
import sys
import time

import psycopg

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("invoice_export")


def main():
    conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)
    conn = psycopg.connect(conninfo, autocommit=True, application_name="invoice_export")
    try:
        n = conn.execute("SELECT count(*) FROM staging.orders").fetchone()[0]
        log.info("step 1: %d invoices selected, rendering PDFs", n)
        subprocess.run([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "crash"], check=True)  # lab fault
        time.sleep(0.5)
        conn.execute("UPDATE etl_jobs SET status = 'exported' WHERE job_name = 'orders_daily'")
        log.info("step 2: invoices marked exported")
        return 0
    except psycopg.Error:
        log.exception("invoice export failed")
        return 1
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
