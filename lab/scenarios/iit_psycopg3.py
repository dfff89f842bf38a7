"""CSV loader: reads files one after another and loads them in one transaction.

Parsing the second file takes longer than the server allows a session to sit
idle inside a transaction.
"""
import logging
import os
import sys
import time

import psycopg

logging.basicConfig(level=logging.INFO)  # default layout: LEVEL:logger:message
log = logging.getLogger("csv_loader")


def parse(name, start):
    time.sleep(3.5 if name.endswith("02.csv") else 0.1)  # big file, slow parse
    return [(start + i, 11, 9.99, "apac") for i in range(50)]


def main():
    conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)
    with psycopg.connect(conninfo, application_name="csv_loader") as conn:
        with conn.cursor() as cur:
            for i, name in enumerate(["orders_2024_01.csv", "orders_2024_02.csv"]):
                log.info("parsing %s", name)
                rows = parse(name, 300000 + i * 1000)
                log.info("loading %d rows from %s", len(rows), name)
                try:
                    cur.executemany("INSERT INTO staging.orders (order_id, customer_id, amount, region) "
                                    "VALUES (%s, %s, %s, %s)", rows)
                except psycopg.Error:
                    log.exception("load of %s failed", name)
                    return 1
        conn.commit()
    log.info("all files loaded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
