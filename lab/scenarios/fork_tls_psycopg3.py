"""Report renderer using multiprocessing with the fork start method (psycopg 3).

A module-level connection (sslmode=require) is inherited by every worker
process; their queries interleave on one TLS session.
"""
import logging
import multiprocessing as mp
import os
import signal
import sys

import psycopg

logging.basicConfig(level=logging.INFO,
                    format="%(asctime)s [%(levelname)s] %(processName)s %(name)s - %(message)s")
log = logging.getLogger("report_render")

conninfo = ("host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD} "
            "sslmode=require").format(**os.environ)
conn = psycopg.connect(conninfo, autocommit=True, application_name="report_render")


def render(region):
    signal.alarm(8)  # deadline for a stuck worker
    try:
        for _ in range(40):
            conn.execute("SELECT order_id, amount FROM staging.orders WHERE region = %s LIMIT 200", (region,)).fetchall()
        log.info("region %s rendered", region)
    except Exception:
        log.exception("rendering %s failed", region)
        sys.exit(1)


def main():
    log.info("connected, TLS %s; starting workers", conn.info.pgconn.ssl_in_use)
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=render, args=(r,), name=f"render-{r}") for r in ("emea", "amer", "apac")]
    for p in procs:
        p.start()
    failed = False
    for p in procs:
        p.join(12)
        if p.exitcode != 0:
            log.error("%s exited with code %s", p.name, p.exitcode)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
