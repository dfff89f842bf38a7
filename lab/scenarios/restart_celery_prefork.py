"""Nightly aggregation on Celery: a prefork worker (2 child processes) runs
refresh tasks that write through a module-level SQLAlchemy engine.

The engine is created when the task module is imported, in the parent, and
each ForkPoolWorker opens its own pooled connections on first use. Between
two batches of tasks an operator restarts the database (pg_ctl restart -m
fast); the next tasks in each child meet the stale pooled connections.

This script plays the scheduler: it starts the worker (whose log is what
client.log holds), sends the two batches and stops the worker. It logs
nothing itself. The broker and result backend are Celery's filesystem
transport and file backend under the scenario's directory, so no broker
service is needed.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path.cwd() / "celery"
for sub in ("broker", "results"):
    (WORK / sub).mkdir(parents=True, exist_ok=True)
os.environ["CELERY_LAB_DIR"] = str(WORK)
sys.path.insert(0, str(HERE))

from celery_refresh import app, refresh_region  # noqa: E402

REGIONS = ["emea", "amer", "apac", "latam"]


def run_batch(batch):
    results = [refresh_region.delay(batch, r) for r in REGIONS]
    return [r.get(timeout=60, propagate=False) for r in results]


def main():
    env = dict(os.environ, PYTHONPATH=str(HERE))
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "celery_refresh", "worker",
                               "--pool=prefork", "--concurrency=2", "--loglevel=INFO",
                               "--hostname=refresh@lab", "--without-heartbeat", "--without-gossip",
                               "--without-mingle"], env=env)
    try:
        run_batch(1)
        # the operator's restart between two schedule ticks (lab fault, silent)
        subprocess.run([os.environ["LAB_PY"], os.environ["LAB_FAULT"], "restart"], check=True)
        time.sleep(1)
        outcome = run_batch(2)
    finally:
        worker.send_signal(signal.SIGTERM)  # warm shutdown, as a deploy would
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    app.close()
    return 0 if all(o == "ok" for o in outcome) else 1


if __name__ == "__main__":
    sys.exit(main())
