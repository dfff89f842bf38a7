"""Price ingester on asyncio: an asyncpg pool serves three concurrent writers.

While the writers' statements are running, an operator restarts the database
(pg_ctl restart -m fast). The application's log layout puts the time in
brackets and the thread in braces: "[ts] {thread} LEVEL logger: msg".
"""
import asyncio
import logging
import os
import subprocess
import sys

import asyncpg

logging.basicConfig(level=logging.INFO, style="{",
                    format="[{asctime}] {{{threadName}}} {levelname} {name}: {message}")
log = logging.getLogger("prices.ingest")

DSN = "postgresql://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}".format(**os.environ)


async def write(pool, batch, shard):
    try:
        async with pool.acquire() as conn:
            await conn.execute("SELECT pg_sleep(1.5); UPDATE staging.orders SET amount = amount WHERE order_id %% 3 = %d" % shard)
        log.info("batch %d shard %d written", batch, shard)
        return True
    except Exception:
        log.exception("batch %d shard %d failed", batch, shard)
        return False


async def main():
    pool = await asyncpg.create_pool(DSN, min_size=3, max_size=3, server_settings={"application_name": "price_ingest"})
    log.info("asyncpg pool ready (min_size=3, max_size=3)")
    ok = all(await asyncio.gather(*(write(pool, 1, s) for s in range(3))))
    log.info("batch 2 starting")
    # the operator's restart lands while batch 2's statements run (lab fault, silent)
    fault = subprocess.Popen([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "--after", "0.7", "restart"])
    ok = all(await asyncio.gather(*(write(pool, 2, s) for s in range(3)))) and ok
    fault.wait()
    await pool.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
