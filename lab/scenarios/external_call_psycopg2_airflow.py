"""Airflow-style task (psycopg2) that keeps a transaction open across an HTTP call.

The task's logging uses the layout Airflow task logs have,
``[ts] {file.py:NN} LEVEL - msg`` with an ISO time and a numeric zone, set up
with the standard logging module (Airflow itself is not in Debian).
"""
import json
import logging
import os
import sys
import time
import urllib.request

import psycopg2


class IsoZoneFormatter(logging.Formatter):
    """ISO time with milliseconds and the numeric UTC offset, as Airflow prints it."""

    def formatTime(self, record, datefmt=None):
        t = time.localtime(record.created)
        return time.strftime("%Y-%m-%dT%H:%M:%S", t) + ".%03d" % record.msecs + time.strftime("%z", t)


handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(IsoZoneFormatter("[%(asctime)s] {%(filename)s:%(lineno)d} %(levelname)s - %(message)s"))
logging.basicConfig(level=logging.INFO, handlers=[handler])
log = logging.getLogger("airflow.task")


def main():
    dsn = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)
    conn = psycopg2.connect(dsn, application_name="enrich_customers")
    log.info("Executing <Task(PythonOperator): enrich_customers> on 2025-03-02")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT customer_id FROM staging.orders WHERE region = 'apac' AND order_id < 200 FOR UPDATE")
            ids = [r[0] for r in cur.fetchall()]
            log.info("locked %d orders, calling scoring service %s", len(ids), os.environ["ENRICH_URL"])
            with urllib.request.urlopen(os.environ["ENRICH_URL"] + "?n=%d" % len(ids), timeout=30) as resp:
                scores = json.loads(resp.read() or b"{}")
            log.info("scoring service answered (%d keys)", len(scores))
            cur.execute("UPDATE staging.orders SET region = 'apac' WHERE order_id < 200 AND region = 'apac'")
        conn.commit()
        log.info("Marking task as SUCCESS")
        return 0
    except psycopg2.Error:
        log.exception("Task failed with exception")
        log.error("Marking task as FAILED. dag_id=crm_sync, task_id=enrich_customers")
        return 1
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
