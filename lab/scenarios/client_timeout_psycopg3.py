"""Async API worker (psycopg 3 AsyncConnection) with a client-side deadline.

asyncio.wait_for() abandons the query after 2 s; the worker then keeps using
the same connection.
"""
import asyncio
import logging
import os
import sys

import psycopg

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("async_worker")


async def main():
    conninfo = "host={DB_HOST} port={DB_PORT} dbname={DB_NAME} user={DB_USER} password={DB_PASSWORD}".format(**os.environ)
    aconn = await psycopg.AsyncConnection.connect(conninfo, autocommit=True, application_name="async_worker")
    try:
        try:
            log.info("running segment query with a 2s deadline")
            await asyncio.wait_for(aconn.execute("SELECT region, sum(amount) FROM staging.orders, pg_sleep(5) GROUP BY 1"), 2)
        except asyncio.TimeoutError:
            log.warning("segment query exceeded 2s deadline, falling back to cached totals")
        cur = await aconn.execute("SELECT count(*) FROM staging.orders")
        log.info("fallback count %s", (await cur.fetchone())[0])
        return 0
    except psycopg.Error:
        log.exception("worker failed")
        return 1
    finally:
        await aconn.close()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
