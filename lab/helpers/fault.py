#!/usr/bin/python3
"""Fault injector the pipeline scripts call at the right moment.

It plays the part of the outside world (a DBA, an operator restarting the
database, a crashing backend) and prints nothing to the pipeline's log, so the
captured client.log holds only what the pipeline itself wrote.

    fault.py restart              pg_ctl restart -m fast (waits until up again)
    fault.py stop                 pg_ctl stop -m fast
    fault.py terminate APP        pg_terminate_backend() on the etl sessions of application APP
    fault.py crash                kill -9 an unrelated backend, wait for crash recovery
    --after SECONDS               sleep first (callers start it in the background)

Connection details come from LAB_* variables set by lab/orchestrate.py.
"""
import os
import signal
import subprocess
import sys
import time

PGBIN = os.environ["LAB_PGBIN"]
DATA = os.environ["LAB_PGDATA"]
PGLOG = os.environ["LAB_PGLOG"]
SOCK = os.environ["LAB_PGSOCK"]
PORT = os.environ["LAB_PGPORT"]


def pg(*args, **kw):
    return subprocess.run([f"{PGBIN}/{args[0]}", *args[1:]], user="postgres", group="postgres",
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def sql(query, app="psql"):
    """One short superuser session over the Unix socket, as a DBA would open."""
    env = {"PGAPPNAME": app, "PATH": "/usr/bin:/bin"}
    r = subprocess.run([f"{PGBIN}/psql", "-X", "-A", "-t", "-h", SOCK, "-p", PORT, "-U", "postgres",
                        "-d", "warehouse", "-c", query], user="postgres", group="postgres",
                       capture_output=True, text=True, env=env)
    return r.stdout.strip()


def wait_ready(timeout=30):
    """Poll postmaster.pid's status line instead of connecting, so the server
    log gets no extra session from the lab."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            lines = open(os.path.join(DATA, "postmaster.pid")).read().split("\n")
            if len(lines) > 7 and lines[7].strip() == "ready":
                return
        except OSError:
            pass
        time.sleep(0.2)


def find_backend(title_part):
    """Pid of one of this cluster's backends, found by its process title
    (update_process_title is on by default) and its parent, the postmaster."""
    with open(os.path.join(DATA, "postmaster.pid")) as fh:
        postmaster = fh.readline().strip()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                title = fh.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = fh.read().rsplit(")", 1)[1].split()[1]
        except (OSError, IndexError):
            continue
        if title_part in title and ppid == postmaster:
            return int(entry)
    return None


def main(argv):
    if argv[:1] == ["--after"]:
        time.sleep(float(argv[1]))
        argv = argv[2:]
    action = argv[0]
    if action == "restart":
        # -l keeps the restarted server writing to the same log file
        pg("pg_ctl", "restart", "-w", "-m", "fast", "-D", DATA, "-l", PGLOG)
    elif action == "stop":
        pg("pg_ctl", "stop", "-w", "-m", "fast", "-D", DATA)
    elif action == "terminate":
        app = argv[1]
        sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE usename = 'etl' AND application_name = '{app}'")
    elif action == "crash":
        # An unrelated ad-hoc session whose backend dies by SIGKILL (think OOM
        # killer): the postmaster then resets every other session.
        env = {"PGAPPNAME": "adhoc_report", "PATH": "/usr/bin:/bin"}
        victim = subprocess.Popen([f"{PGBIN}/psql", "-X", "-h", SOCK, "-p", PORT, "-U", "postgres",
                                   "-d", "warehouse", "-c", "SELECT pg_sleep(30)"],
                                  user="postgres", group="postgres", env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pid = None
        for _ in range(100):
            pid = find_backend("postgres warehouse [local] SELECT")
            if pid:
                break
            time.sleep(0.05)
        if pid:
            os.kill(pid, signal.SIGKILL)
        victim.wait(timeout=30)
        time.sleep(0.5)
        wait_ready()
    else:
        print(f"unknown fault {action}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
