#!/usr/bin/env bash
# pgtriage fault lab: provokes real "connection vanished" failures with real
# PostgreSQL, PgBouncer, psycopg2, psycopg 3, SQLAlchemy and node-postgres, and
# stores what each piece of software logged under samples/lab/<scenario>/.
#
#   bash lab/run.sh                 # every scenario
#   bash lab/run.sh iit-node-pg ... # only the named ones
#   bash lab/run.sh --list          # names, causes and clients
#
# Needs root (Debian packages, a private network namespace, running the
# database as the "postgres" OS user). Everything listens on 127.0.0.1 only.
set -euo pipefail

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3
STATE_DIR="$LAB_DIR/.tmp"
PIDS_FILE="$STATE_DIR/pids"

# Debian packages the scenarios use. nftables and iproute2 give the NAT-drop
# scenario a real packet black hole inside the lab's own network namespace.
DEBS=(postgresql pgbouncer python3-sqlalchemy python3-psycopg2 python3-psycopg python3-asyncpg
      python3-django python3-celery python3-structlog ruby-pg php-cli php-pgsql php-monolog
      libdbd-pg-perl liblog-log4perl-perl golang-go golang-github-lib-pq-dev
      golang-github-jackc-pgx-v4-dev golang-github-rs-zerolog-dev golang-github-sirupsen-logrus-dev
      python3-psycopg-pool golang-go.uber-zap-dev ruby-activerecord nftables iproute2 openssl)

missing_debs() {
  local p
  for p in "${DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

if [ -n "$(missing_debs)" ]; then
  echo "lab: installing Debian packages: $(missing_debs | tr '\n' ' ')"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${DEBS[@]}"
fi

# pgjdbc is optional: its scenarios run only when a JDK and Debian's driver jar
# are present. Install the jar when a JDK is there; never fail the lab over it.
if command -v java >/dev/null 2>&1 && [ ! -f /usr/share/java/postgresql.jar ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y libpostgresql-jdbc-java \
    || echo "lab: libpostgresql-jdbc-java not installed; pgjdbc scenarios will be skipped" >&2
fi

# The HikariCP, logback and log4j2 scenarios need those Debian jars (optional
# like pgjdbc itself: each scenario is skipped when a jar of its classpath is absent).
if command -v java >/dev/null 2>&1; then
  for jar in HikariCP logback-classic log4j-core; do
    [ -f "/usr/share/java/$jar.jar" ] && continue
    DEBIAN_FRONTEND=noninteractive apt-get install -y libhikaricp-java liblogback-java liblog4j2-java \
      || echo "lab: Java logging/pool jars not installed; their scenarios will be skipped" >&2
    break
  done
fi

# The localized-server scenarios need their locales in the OS (PostgreSQL's
# lc_messages is applied with setlocale); Debian's locales package can build them.
for loc in de_DE fr_FR ja_JP; do
  if ! locale -a 2>/dev/null | grep -qi "^${loc}\.utf-\?8$"; then
    localedef -i "$loc" -f UTF-8 "$loc.UTF-8" \
      || echo "lab: could not build $loc.UTF-8; that server log will be in English" >&2
  fi
done

# node-postgres for the node scenarios, pinned by lab/package-lock.json.
if [ ! -f "$LAB_DIR/node_modules/pg/package.json" ] || [ ! -f "$LAB_DIR/node_modules/pino-pretty/package.json" ]; then
  npm --prefix "$LAB_DIR" ci --no-audit --no-fund
fi

mkdir -p "$STATE_DIR"
: > "$PIDS_FILE"

# Safety net: whatever the orchestrator registered (postmasters, PgBouncer,
# proxies, HTTP stubs) is stopped by pid if it is still alive when we leave,
# including after Ctrl-C or an orchestrator crash.
ORCH_PID=""
cleanup() {
  local pid
  # the orchestrator first: its own handlers stop the running scenario cleanly
  if [ -n "$ORCH_PID" ] && kill -0 "$ORCH_PID" 2>/dev/null; then
    kill -TERM "$ORCH_PID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$ORCH_PID" 2>/dev/null || break; sleep 1; done
  fi
  if [ -f "$STATE_DIR/workdir" ]; then
    for pidfile in "$(cat "$STATE_DIR/workdir")"/*/data/postmaster.pid; do
      [ -f "$pidfile" ] || continue
      pid="$(head -n1 "$pidfile")"
      [ -n "$pid" ] && kill -INT "$pid" 2>/dev/null || true
    done
  fi
  if [ -f "$PIDS_FILE" ]; then
    while read -r pid; do
      [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
    done < "$PIDS_FILE"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Run the orchestrator in a private network namespace when the kernel lets us:
# it then sees only its own loopback interface, so nothing it starts can reach
# another machine, and the firewall rule of the NAT-drop scenario cannot touch
# the host. Without it the lab still runs; that one scenario falls back to a
# proxy that resets the client side (recorded in its manifest).
# (Started in the background and waited for, so the traps can act on Ctrl-C.)
if unshare --net true 2>/dev/null; then
  LAB_NETNS=1 unshare --net -- bash -c 'ip link set lo up && exec "$@"' lab \
    "$PY" "$LAB_DIR/orchestrate.py" "$@" &
else
  echo "lab: no private network namespace available; running on the host loopback" >&2
  LAB_NETNS=0 "$PY" "$LAB_DIR/orchestrate.py" "$@" &
fi
ORCH_PID=$!
wait "$ORCH_PID"
