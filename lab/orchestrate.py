#!/usr/bin/python3
"""Runs fault-lab scenarios one by one and stores their real logs.

For every scenario: copy a freshly initialised cluster, give it the
scenario's settings, start it (and PgBouncer / the NAT proxy / the slow HTTP
stub when the scenario needs them), remember how long each log file is, run
the pipeline script, wait for the server to finish writing, cut out exactly
the bytes written meanwhile, stop everything by pid and write manifest.json.

Invoked by lab/run.sh (which installs dependencies and sets up the network
namespace). Arguments: scenario names (default: all), or --list.
"""
import datetime as dt
import glob
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalog import SCENARIOS  # noqa: E402

LAB = Path(__file__).resolve().parent
REPO = LAB.parent
SAMPLES = REPO / "samples" / "lab"
STATE = LAB / ".tmp"
PY = "/usr/bin/python3"
NODE = shutil.which("node") or "/usr/bin/node"
PGBIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))[-1])
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
JAVA = shutil.which("java")
PGJDBC_JAR = "/usr/share/java/postgresql.jar"  # Debian libpostgresql-jdbc-java

GO = shutil.which("go") or "/usr/bin/go"
RUBY = shutil.which("ruby") or "/usr/bin/ruby"
PHP = shutil.which("php") or "/usr/bin/php"
PERL = shutil.which("perl") or "/usr/bin/perl"
# Go builds offline from Debian's golang-github-* packages (GOPATH mode, no module proxy).
GO_ENV = {"GOPATH": "/usr/share/gocode", "GO111MODULE": "off", "GOPROXY": "off", "GOFLAGS": "",
          "GOCACHE": str(STATE / "gocache"), "CGO_ENABLED": "0"}

DB_NAME, DB_USER, DB_PASSWORD = "warehouse", "etl", "etl-secret"
IN_NETNS = os.environ.get("LAB_NETNS") == "1"


def log(msg):
    print(f"[lab {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def register_pid(pid):
    """run.sh kills every pid listed here if we die without cleaning up."""
    with open(STATE / "pids", "a") as fh:
        fh.write(f"{pid}\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=15.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def wait_text(path, needle, timeout=15.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if needle in Path(path).read_text(errors="replace"):
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def as_postgres(cmd, **kw):
    """Run a PostgreSQL tool as the postgres OS user (initdb and the server refuse root)."""
    return subprocess.run([str(c) for c in cmd], user="postgres", group="postgres", check=True, **kw)


def size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def slice_bytes(path, start, end):
    with open(path, "rb") as fh:
        fh.seek(start)
        return fh.read(end - start)


def chown_postgres(path):
    pw = pwd.getpwnam("postgres")
    os.chown(path, pw.pw_uid, pw.pw_gid)


# --------------------------------------------------------------------------
# versions (recorded in every manifest)

def collect_versions():
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip()
        except Exception:
            return None

    v = {}
    m = re.search(r"(\d+\.\d+)", out([str(PGBIN / "postgres"), "--version"]) or "")
    v["postgresql"] = m.group(1) if m else None
    m = re.search(r"(\d+\.\d+\.\d+)", out([PGBOUNCER, "--version"]) or "")
    v["pgbouncer"] = m.group(1) if m else None
    py = out([PY, "-c",
              "import sys, sqlalchemy, psycopg2, psycopg, psycopg_pool;"
              "print(sys.version.split()[0], sqlalchemy.__version__, psycopg2.__version__.split()[0],"
              " psycopg.__version__, psycopg_pool.__version__, psycopg.pq.version())"])
    if py:
        parts = py.split()
        v.update(python=parts[0], sqlalchemy=parts[1], psycopg2=parts[2], psycopg=parts[3],
                 psycopg_pool=parts[4], libpq=f"{int(parts[5]) // 10000}.{int(parts[5]) % 100}")
    m = re.search(r'version "([^"]+)"', (subprocess.run([JAVA, "-version"], capture_output=True, text=True).stderr
                                         if JAVA else ""))
    v["java"] = m.group(1) if m else None
    try:
        with zipfile.ZipFile(PGJDBC_JAR) as jar:
            m = re.search(r"^Implementation-Version: (\S+)", jar.read("META-INF/MANIFEST.MF").decode(), re.M)
        v["pgjdbc"] = m.group(1) if m else None
    except OSError:
        v["pgjdbc"] = None
    # the other stacks: each entry is None when that runtime or library is absent
    py2 = out([PY, "-c",
               "import importlib.metadata as m\n"
               "for d in ('asyncpg', 'Django', 'celery', 'kombu', 'structlog'):\n"
               "    try: print(d.lower(), m.version(d))\n"
               "    except Exception: print(d.lower(), '-')"])
    for line in (py2 or "").splitlines():
        k, _, ver = line.partition(" ")
        v[k] = None if ver == "-" else ver
    v["ruby"] = (out([RUBY, "-e", "print RUBY_VERSION"]) or None) if shutil.which("ruby") else None
    v["ruby-pg"] = (out([RUBY, "-e", "require 'pg'; print PG::VERSION"]) or None) if shutil.which("ruby") else None
    m = re.search(r"go(\d+\.\d+(\.\d+)?)", out([GO, "version"]) or "") if shutil.which("go") else None
    v["go"] = m.group(1) if m else None
    for key, deb in (("lib/pq", "golang-github-lib-pq-dev"), ("pgx", "golang-github-jackc-pgx-v4-dev"),
                     ("zerolog", "golang-github-rs-zerolog-dev"), ("logrus", "golang-github-sirupsen-logrus-dev"),
                     ("hikaricp", "libhikaricp-java"), ("logback", "liblogback-java"),
                     ("monolog", "php-monolog"), ("log4perl", "liblog-log4perl-perl"),
                     ("log4j2", "liblog4j2-java"), ("activerecord", "ruby-activerecord"),
                     ("zap", "golang-go.uber-zap-dev")):
        ver = out(["dpkg-query", "-W", "-f=${Version}", deb])
        v[key] = ver.split("-")[0].split(":")[-1].split("+")[0] if ver else None
    m = re.search(r"PHP (\S+)", out([PHP, "-v"]) or "") if shutil.which("php") else None
    v["php"] = m.group(1) if m else None
    v["perl"] = (out([PERL, "-e", "print $^V"]) or "").lstrip("v") or None
    v["dbd-pg"] = out([PERL, "-MDBD::Pg", "-e", "print $DBD::Pg::VERSION"]) or None
    v["node"] = (out([NODE, "--version"]) or "").lstrip("v") or None
    for mod in ("pg", "pino", "pino-pretty", "winston"):
        try:
            v[mod] = json.loads((LAB / f"node_modules/{mod}/package.json").read_text())["version"]
        except OSError:
            v[mod] = None
    return v


# --------------------------------------------------------------------------
# cluster

def make_template(work):
    """initdb once per lab run; each scenario gets a copy (a few ms instead of ~2 s)."""
    tpl = work / "template"
    as_postgres([PGBIN / "initdb", "-D", tpl, "-U", "postgres", "--no-sync", "-E", "UTF8",
                 "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256"],
                stdout=subprocess.DEVNULL)
    sock = work / "tplsock"
    sock.mkdir()
    chown_postgres(sock)
    opts = f"-c listen_addresses='' -c unix_socket_directories='{sock}' -c port=5499"
    as_postgres([PGBIN / "pg_ctl", "start", "-w", "-D", tpl, "-l", work / "template.log", "-o", opts],
                stdout=subprocess.DEVNULL)
    try:
        sql = (LAB / "schema.sql").read_text()
        as_postgres([PGBIN / "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", sock, "-p", "5499",
                     "-U", "postgres", "-d", "postgres", "-f", "-"], input=sql, text=True,
                    stdout=subprocess.DEVNULL)
    finally:
        as_postgres([PGBIN / "pg_ctl", "stop", "-w", "-m", "fast", "-D", tpl], stdout=subprocess.DEVNULL)
    return tpl


def make_tls_files(work):
    """Throwaway self-signed certificate for the TLS scenarios (never committed)."""
    key, crt = work / "server.key", work / "server.crt"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(crt)],
                   check=True, capture_output=True)
    for p in (key, crt):
        chown_postgres(p)
        os.chmod(p, 0o600)
    return key, crt


class Scenario:
    def __init__(self, spec, work, template, versions):
        self.spec = spec
        self.name = spec["name"]
        self.dir = work / self.name
        self.data = self.dir / "data"
        self.sock = self.dir
        fmt = spec.get("server_format", "stderr")
        # the file the server writes its records to, and the name it is stored under
        self.pglog = self.dir / {"stderr": "postgresql.log", "csvlog": "postgresql.csv",
                                 "jsonlog": "postgresql.json"}[fmt]
        self.server_file = {"stderr": "server.log", "csvlog": "server.csv", "jsonlog": "server.json"}[fmt]
        # pg_ctl -l gets the server's stderr; with the collector that is only start-up chatter
        self.ctl_log = self.pglog if fmt == "stderr" else self.dir / "pg_ctl.log"
        self.bouncer_log = self.dir / "pgbouncer.log"
        self.template = template
        self.versions = versions
        self.work = work
        self.children = []  # (name, Popen) helper processes we started
        self.pg_port = free_port()
        self.notes = []

    # -- postgres -----------------------------------------------------------
    def write_conf(self):
        s = self.spec
        conf = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.pg_port),
            "unix_socket_directories": f"'{self.sock}'",
            "logging_collector": "off",
            "log_line_prefix": "'" + s["prefix"].replace("'", "''") + "'",
            "log_timezone": f"'{s.get('log_timezone', 'UTC')}'",
            "log_connections": "on",
            "log_disconnections": "on",
            "lc_messages": "'C'",
            "shared_buffers": "'32MB'",
            "fsync": "off",  # throwaway cluster; keeps restarts and crash recovery quick
        }
        fmt = s.get("server_format", "stderr")
        if fmt != "stderr":
            # csvlog/jsonlog are only written by the logging collector; it writes
            # <log_filename minus .log>.csv/.json next to a stderr file we ignore.
            conf.update(logging_collector="on", log_destination=f"'{fmt}'",
                        log_directory=f"'{self.dir}'", log_filename="'postgresql.log'",
                        log_rotation_age="0", log_rotation_size="0")
        if s.get("tls"):
            key, crt = make_tls_files(self.work)
            conf.update(ssl="on", ssl_cert_file=f"'{crt}'", ssl_key_file=f"'{key}'")
        for k, v in s.get("pg", {}).items():
            conf[k] = "'" + str(v) + "'"  # postgresql.conf accepts every value quoted
        with open(self.data / "postgresql.conf", "a") as fh:
            fh.write("\n# --- pgtriage lab scenario " + self.name + " ---\n")
            for k, v in conf.items():
                fh.write(f"{k} = {v}\n")

    def start_pg(self):
        self.dir.mkdir(parents=True)
        chown_postgres(self.dir)
        subprocess.run(["cp", "-a", str(self.template), str(self.data)], check=True)
        self.write_conf()
        as_postgres([PGBIN / "pg_ctl", "start", "-w", "-t", "30", "-D", self.data, "-l", self.ctl_log],
                    stdout=subprocess.DEVNULL)
        register_pid(self.postmaster_pid())

    def postmaster_pid(self):
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n")[0])
        except (OSError, ValueError):
            return None

    def stop_pg(self):
        pid = self.postmaster_pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGINT)  # fast shutdown
        except ProcessLookupError:
            return
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGQUIT)  # immediate shutdown if fast did not finish

    # -- helpers ------------------------------------------------------------
    def spawn(self, name, cmd, **kw):
        out = open(self.dir / f"{name}.out", "ab")
        p = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=subprocess.STDOUT, **kw)
        register_pid(p.pid)
        self.children.append((name, p))
        return p

    def start_pgbouncer(self):
        port = free_port()
        userlist = self.dir / "userlist.txt"
        userlist.write_text(f'"{DB_USER}" "{DB_PASSWORD}"\n')
        ini = self.dir / "pgbouncer.ini"
        settings = {"pool_mode": "transaction", "default_pool_size": "4"}
        if isinstance(self.spec.get("pgbouncer"), dict):
            settings.update({k: str(v) for k, v in self.spec["pgbouncer"].items()})
        ini.write_text("\n".join([
            "[databases]",
            f"{DB_NAME} = host=127.0.0.1 port={self.pg_port} dbname={DB_NAME}",
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            f"listen_port = {port}",
            "unix_socket_dir =",
            f"logfile = {self.bouncer_log}",
            "auth_type = scram-sha-256",
            f"auth_file = {userlist}",
            *[f"{k} = {v}" for k, v in settings.items()],
            "max_client_conn = 50",
            "ignore_startup_parameters = extra_float_digits",
            "",
        ]))
        for p in (userlist, ini):
            chown_postgres(p)
        # PgBouncer refuses to run as root; start it directly as postgres so
        # the pid we hold is PgBouncer's own.
        self.spawn("pgbouncer", [PGBOUNCER, ini], user="postgres", group="postgres")
        if not wait_port(port):
            raise RuntimeError("pgbouncer did not start")
        # let PgBouncer log the readiness probe's disconnect before the slice starts
        time.sleep(0.5)
        return port

    def start_proxy(self):
        port = free_port()
        s = self.spec["proxy"]
        mode = "blackhole" if IN_NETNS and shutil.which("nft") else "reset"
        if mode != "blackhole":
            self.notes.append("proxy ran in reset mode (no private netns / nft): it closed the client side with RST")
        self.proxy_mode = mode
        self.spawn("natproxy", [PY, LAB / "helpers/natproxy.py", "--listen", port, "--upstream", self.pg_port,
                                "--idle-evict", s["idle_evict"], "--mode", mode, "--table", f"lab_{os.getpid()}"])
        # not wait_port(): a probe through the relay would show up in the server log
        if not wait_text(self.dir / "natproxy.out", "listening on"):
            raise RuntimeError("proxy did not start")
        return port

    def start_http(self):
        port = free_port()
        self.spawn("slowhttp", [PY, LAB / "helpers/slowhttp.py", "--port", port,
                                "--delay", self.spec["http"]["delay"]])
        if not wait_port(port):
            raise RuntimeError("http stub did not start")
        return port

    def stop_children(self):
        for name, p in reversed(self.children):
            if p.poll() is None:
                p.send_signal(signal.SIGINT if name == "pgbouncer" else signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()

    def client_command(self, script, env):
        """How each language's pipeline is started (Go is compiled first, outside the timed run)."""
        suffix = script.suffix
        if suffix == ".mjs":
            return [NODE, script]
        if suffix == ".java":  # single-file source launch (JDK 11+), no build step
            return [JAVA, "-cp", ":".join([PGJDBC_JAR, *self.spec.get("classpath", [])]), script]
        if suffix == ".go":
            exe = self.dir / script.stem
            build_env = {**env, **GO_ENV}
            r = subprocess.run([GO, "build", "-o", str(exe), str(script)], env=build_env,
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError("go build failed: " + r.stderr.strip()[-2000:])
            return [exe]
        if suffix == ".rb":
            return [RUBY, script]
        if suffix == ".php":
            return [PHP, script]
        if suffix == ".pl":
            return [PERL, script]
        return [PY, script]

    # -- run ----------------------------------------------------------------
    def run(self):
        s = self.spec
        self.start_pg()
        db_port = self.pg_port
        bouncer = proxy = http = None
        if s.get("pgbouncer"):
            bouncer = db_port = self.start_pgbouncer()
        if s.get("proxy"):
            proxy = db_port = self.start_proxy()
        if s.get("http"):
            http = self.start_http()

        env = dict(os.environ)
        for k in list(env):
            if k.startswith("PG"):
                del env[k]  # libpq must not pick up anything from the caller
        env.update({
            "DB_HOST": "127.0.0.1", "DB_PORT": str(db_port), "DB_NAME": DB_NAME,
            "DB_USER": DB_USER, "DB_PASSWORD": DB_PASSWORD,
            "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1", "TZ": s.get("client_tz", "UTC"),
            # for the silent fault injector (helpers/fault.py) the scripts call
            "LAB_PY": PY, "LAB_FAULT": str(LAB / "helpers/fault.py"), "LAB_PGBIN": str(PGBIN),
            "LAB_PGDATA": str(self.data), "LAB_PGLOG": str(self.ctl_log), "LAB_PGSOCK": str(self.sock),
            "LAB_PGPORT": str(self.pg_port),
        })
        if http:
            env["ENRICH_URL"] = f"http://127.0.0.1:{http}/enrich"
        env.update(s.get("env", {}))

        pg_start, pb_start = size(self.pglog), size(self.bouncer_log)
        # Write next to the stored sample and swap at the end, so an interrupted
        # run never leaves a half-written sample behind.
        final_dir = SAMPLES / self.name
        out_dir = SAMPLES / f".{self.name}.partial"
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.mkdir(parents=True)
        script = LAB / "scenarios" / s["script"]
        cmd = self.client_command(script, env)
        started = time.time()
        with open(out_dir / "client.log", "wb") as client_log:
            transport = s.get("client_transport")
            if transport:
                proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        env=env, cwd=self.dir)
                pumps = relay_transport(proc, client_log, transport)
            else:
                proc = subprocess.Popen([str(c) for c in cmd], stdout=client_log, stderr=subprocess.STDOUT,
                                        env=env, cwd=self.dir)
                pumps = []
            register_pid(proc.pid)
            try:
                rc = proc.wait(timeout=s.get("timeout", 60))
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = proc.wait()
                self.notes.append("pipeline script hit the lab timeout and was killed")
            for t in pumps:
                t.join()
        elapsed = time.time() - started
        # Give the server time to log what happens after the client gave up
        # (keepalive expiry, crash recovery finishing, disconnection lines).
        time.sleep(s.get("settle", 1.0))
        pg_end, pb_end = size(self.pglog), size(self.bouncer_log)

        (out_dir / self.server_file).write_bytes(slice_bytes(self.pglog, pg_start, pg_end))
        if bouncer:
            (out_dir / "pgbouncer.log").write_bytes(slice_bytes(self.bouncer_log, pb_start, pb_end))

        self.stop_children()
        self.stop_pg()

        manifest = {
            "scenario": self.name,
            "cause": s["cause"],
            "is08003Family": s["cause"] is not None,
            "neighbour": s.get("neighbour"),
            "client": s["client"],
            **({"clientDetail": s["client_detail"]} if s.get("client_detail") else {}),
            "files": {"client": "client.log", "server": self.server_file,
                      "pooler": "pgbouncer.log" if bouncer else None},
            "whatWasDone": s["what"],
            "versions": self.versions,
            "generatedAt": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "script": f"lab/scenarios/{s['script']}",
            "serverSettings": {"log_line_prefix": s["prefix"], "log_timezone": s.get("log_timezone", "UTC"),
                               **({"log_destination": s["server_format"]} if s.get("server_format") else {}),
                               **s.get("pg", {}), **({"ssl": "on"} if s.get("tls") else {})},
            "pipelineExitCode": rc,
            "durationSeconds": round(elapsed, 1),
        }
        if isinstance(s.get("pgbouncer"), dict):
            manifest["poolerSettings"] = s["pgbouncer"]
        if s.get("client_transport"):
            manifest["clientTransport"] = s["client_transport"]
        if s.get("client_tz"):
            manifest["clientTimeZone"] = s["client_tz"]
        if proxy:
            manifest["proxy"] = {"idleEvictSeconds": s["proxy"]["idle_evict"], "mode": self.proxy_mode}
        if self.notes:
            manifest["notes"] = self.notes
        (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        if final_dir.exists():
            shutil.rmtree(final_dir)
        out_dir.rename(final_dir)
        return self.check(final_dir)

    def check(self, out_dir):
        """Did the real failure happen? Compare the captured logs with the catalog's expectations."""
        problems = []
        for fname, key in (("client.log", "expect_client"), (self.server_file, "expect_server"),
                           ("pgbouncer.log", "expect_pooler")):
            text = (out_dir / fname).read_text(errors="replace") if (out_dir / fname).exists() else ""
            for pat in self.spec.get(key, []):
                if not re.search(pat, text):
                    problems.append(f"{fname}: no match for /{pat}/")
            for pat in self.spec.get(key.replace("expect", "reject"), []):
                if re.search(pat, text):
                    problems.append(f"{fname}: unexpected match for /{pat}/")
        return problems


def relay_transport(proc, sink, transport):
    """Write the pipeline's stdout and stderr as a log collector stores them.

    "cri": the container runtime's file format (containerd/CRI-O under
    Kubernetes): ``<RFC 3339 nano UTC> <stdout|stderr> F <line>``, the time
    taken when the line arrives. "compose:<service>": what ``docker compose
    logs`` prints, ``<service>-1  | <line>``. Each line is stamped as it is read,
    as the collectors do, so the two streams interleave in arrival order.
    """
    lock = threading.Lock()

    def prefix(stream):
        if transport == "cri":
            now = dt.datetime.now(dt.timezone.utc)
            return (now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond:06d}{time.time_ns() % 1000:03d}Z "
                    + f"{stream} F ").encode()
        service = transport.split(":", 1)[1]
        return f"{service}-1  | ".encode()

    def pump(pipe, stream):
        for line in iter(pipe.readline, b""):
            with lock:
                sink.write(prefix(stream) + line.rstrip(b"\n") + b"\n")
                sink.flush()
        pipe.close()

    threads = [threading.Thread(target=pump, args=(proc.stdout, "stdout"), daemon=True),
               threading.Thread(target=pump, args=(proc.stderr, "stderr"), daemon=True)]
    for t in threads:
        t.start()
    return threads


def write_index():
    """samples/lab/index.json: one line per stored scenario, for tests that iterate over them."""
    entries = []
    for mf in sorted(SAMPLES.glob("*/manifest.json")):
        m = json.loads(mf.read_text())
        entries.append({k: m.get(k) for k in ("scenario", "cause", "is08003Family", "neighbour", "client", "files")})
    (SAMPLES / "index.json").write_text(json.dumps(entries, indent=1) + "\n")


def main(argv):
    if "--list" in argv:
        for s in SCENARIOS:
            print(f"{s['name']:42} {str(s['cause'] or s.get('neighbour')):38} {s['client']}")
        return 0
    names = [a for a in argv if not a.startswith("--")]
    by_name = {s["name"]: s for s in SCENARIOS}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        print("unknown scenario(s): " + ", ".join(unknown) + " (see --list)", file=sys.stderr)
        return 2
    chosen = [by_name[n] for n in names] if names else SCENARIOS

    STATE.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="pgtriage-lab-", dir="/tmp"))
    os.chmod(work, 0o755)
    chown_postgres(work)
    (STATE / "workdir").write_text(str(work))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    for stale in SAMPLES.glob(".*.partial"):
        shutil.rmtree(stale, ignore_errors=True)
    log(f"work dir {work}; network namespace: {'private' if IN_NETNS else 'host'}")
    versions = collect_versions()
    log("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    template = make_template(work)
    results = {}
    skipped = []
    t0 = time.time()
    try:
        for spec in chosen:
            if spec.get("requires") == "pgjdbc" and not (JAVA and os.path.exists(PGJDBC_JAR)):
                log(f"{spec['name']}: skipped (java or {PGJDBC_JAR} missing)")
                skipped.append(spec["name"])
                continue
            absent = [f for f in spec.get("classpath", []) if not os.path.exists(f)]
            if absent:
                log(f"{spec['name']}: skipped ({', '.join(absent)} missing)")
                skipped.append(spec["name"])
                continue
            sc = Scenario(spec, work, template, versions)
            log(f"{spec['name']}: running ({spec['cause'] or spec.get('neighbour')}, {spec['client']})")
            try:
                problems = sc.run()
            except Exception as exc:  # keep going: one broken scenario should not hide the others
                problems = [f"lab error: {exc!r}"]
            finally:
                sc.stop_children()
                sc.stop_pg()
                if os.environ.get("LAB_KEEP_WORK") != "1":
                    shutil.rmtree(sc.dir, ignore_errors=True)  # ~40 MB of cluster per scenario
            results[spec["name"]] = problems
            log(f"{spec['name']}: " + ("OK" if not problems else "PROBLEM " + "; ".join(problems)))
    finally:
        if os.environ.get("LAB_KEEP_WORK") != "1":
            shutil.rmtree(work, ignore_errors=True)
    # Everything registered has been stopped; forget the pids so run.sh's
    # safety net cannot hit an unrelated process that reused one of them.
    (STATE / "pids").write_text("")
    write_index()
    bad = [n for n, p in results.items() if p]
    log(f"{len(results) - len(bad)}/{len(results)} scenarios reproduced their failure in {time.time() - t0:.0f}s"
        + (": problems in " + ", ".join(bad) if bad else "")
        + (f"; skipped {', '.join(skipped)}" if skipped else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
