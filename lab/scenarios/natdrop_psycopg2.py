"""Warehouse-to-lake exporter reaching the database through a NAT gateway.

Between two chunks it waits for the lake upload; the gateway forgets idle
flows quickly and drops their packets without telling anyone. libpq's TCP
settings (keepalives, tcp_user_timeout) bound how long the next query hangs.
"""
import logging
import os
import sys
import time

import psycopg2

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("lake_export")


def main():
    dsn = ("host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD} "
           "connect_timeout=5 keepalives=1 keepalives_idle=30 keepalives_interval=5 keepalives_count=3 "
           "tcp_user_timeout=4000 application_name=lake_export").format(**os.environ)
    log.info("connecting to %s:%s (tcp_user_timeout=4000ms, keepalives_idle=30s)", os.environ["DB_HOST"], os.environ["DB_PORT"])
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    cur = conn.cursor()
    for chunk in (1, 2):
        t0 = time.monotonic()
        try:
            cur.execute("SELECT order_id, amount FROM staging.orders WHERE order_id %% 2 = %s LIMIT 500", (chunk % 2,))
            rows = cur.fetchall()
        except psycopg2.Error:
            log.exception("chunk %d: query failed after %.1fs", chunk, time.monotonic() - t0)
            return 1
        log.info("chunk %d: %d rows read, uploading to lake", chunk, len(rows))
        time.sleep(5)  # upload of the chunk; the connection sits idle meanwhile
        log.info("chunk %d: upload finished", chunk)
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
