"""Inventory sync across a NAT gateway (psycopg 3).

The job idles between polls; the gateway evicts the idle flow and silently
drops its packets, so the next poll hangs until tcp_user_timeout fires.
"""
import logging
import os
import sys
import time

import psycopg

logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(levelname)s] %(name)s - %(message)s")
log = logging.getLogger("inventory_sync")


def main():
    conninfo = ("host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD} "
                "connect_timeout=5 keepalives=1 keepalives_idle=60 tcp_user_timeout=4000").format(**os.environ)
    with psycopg.connect(conninfo, autocommit=True, application_name="inventory_sync") as conn:
        for poll in range(1, 4):
            t0 = time.monotonic()
            try:
                n = conn.execute("SELECT count(*) FROM staging.orders WHERE region = 'amer'").fetchone()[0]
            except psycopg.OperationalError:
                log.exception("poll %d failed after %.1fs", poll, time.monotonic() - t0)
                return 1
            log.info("poll %d: %d open orders", poll, n)
            time.sleep(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
