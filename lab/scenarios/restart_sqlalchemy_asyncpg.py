"""Async ingestion service: SQLAlchemy 1.4 asyncio engine on asyncpg.

Three tasks share the engine's pool; while the second round's queries run, an
operator restarts the database (pg_ctl restart -m fast). The service logs in
gunicorn's layout, ``[ts +zone] [pid] [LEVEL] msg``.
"""
import asyncio
import logging
import os
import subprocess
import sys

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                    format="[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s", datefmt="%Y-%m-%d %H:%M:%S %z")
log = logging.getLogger("ingest")

URL = "postgresql+asyncpg://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}".format(**os.environ)


async def shard(engine, rnd, n):
    try:
        async with engine.connect() as conn:
            res = await conn.execute(text("SELECT count(*) FROM staging.orders, pg_sleep(1.5) WHERE order_id % 3 = :n"), {"n": n})
            log.info("round %d shard %d: %d rows", rnd, n, res.scalar())
            return True
    except Exception:
        log.exception("round %d shard %d failed", rnd, n)
        return False


async def main():
    engine = create_async_engine(URL, pool_size=3, pool_pre_ping=False,
                                 connect_args={"server_settings": {"application_name": "ingest"}})
    ok = True
    for rnd in (1, 2):
        fault = None
        if rnd == 2:  # the operator's restart lands during round 2 (lab fault, silent)
            fault = subprocess.Popen([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "--after", "0.7", "restart"])
        results = await asyncio.gather(*(shard(engine, rnd, n) for n in range(3)))
        ok = ok and all(results)
        if fault:
            fault.wait()
    await engine.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
