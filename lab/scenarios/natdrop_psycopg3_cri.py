"""Shipment tracker (psycopg 3) in a Kubernetes pod, across a NAT gateway.

The lab stores the pod's log as the container runtime (CRI) writes it: each
line of stdout and stderr gets an RFC 3339 time, the stream name and a
partial/full tag. The gateway evicts the idle flow and drops its packets, so
the next poll hangs until libpq's tcp_user_timeout fires.
"""
import logging
import os
import sys
import time

import psycopg

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
log = logging.getLogger("shipment_tracker")


def main():
    conninfo = ("host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD} "
                "connect_timeout=5 keepalives=1 keepalives_idle=60 tcp_user_timeout=4000").format(**os.environ)
    with psycopg.connect(conninfo, autocommit=True, application_name="shipment_tracker") as conn:
        for poll in range(1, 4):
            try:
                n = conn.execute("SELECT count(*) FROM staging.orders WHERE region = 'emea'").fetchone()[0]
            except psycopg.OperationalError:
                log.exception("poll %d failed", poll)
                return 1
            log.info("poll %d: %d shipments in transit", poll, n)
            time.sleep(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
