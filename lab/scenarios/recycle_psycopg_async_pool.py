"""Async status poller on psycopg_pool.AsyncConnectionPool, logging with
logging.basicConfig() and nothing else: Python's default layout
``LEVEL:logger:message`` has no time at all.

The pool keeps idle connections for an hour (max_idle=3600) while the server's
idle_session_timeout is 3 s; psycopg_pool 3.1 does not check a connection on
checkout, so the poll after a quiet spell gets a dead one.
"""
import asyncio
import logging
import os
import sys

import psycopg
from psycopg_pool import AsyncConnectionPool

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("status_poller")


async def main():
    conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD} application_name=status_poller".format(**os.environ)
    async with AsyncConnectionPool(conninfo, min_size=2, max_size=2, max_idle=3600, max_lifetime=3600) as pool:
        await pool.wait()
        for poll in (1, 2):
            try:
                async with pool.connection() as conn:
                    cur = await conn.execute("SELECT status, count(*) FROM etl_jobs GROUP BY status")
                    log.info("poll %d: %s", poll, await cur.fetchall())
            except psycopg.OperationalError:
                log.exception("poll %d failed", poll)
                return 1
            await asyncio.sleep(4.5)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
