#!/usr/bin/env bash
# Regenerates the "real" server samples with the locally installed Debian packages
# (postgresql-15, pgbouncer 1.18). Runs everything as the postgres user, loopback only,
# in a throw-away directory, on private ports; every process it starts is stopped by pid.
# Usage (as root): bash samples/server/generate-real.sh [outdir]
set -u
OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
BIN=/usr/lib/postgresql/15/bin
WORK=$(mktemp -d /tmp/pgt-srv.XXXXXX)
PORT=55433
BPORT=56433
chown postgres "$WORK"
mkdir -p "$OUT"
as_pg() { su postgres -s /bin/bash -c "$*"; }
PSQL="$BIN/psql -X -h 127.0.0.1 -p $PORT"
ADMIN="$BIN/psql -X -h $WORK -p $PORT -U postgres -d postgres"

as_pg "$BIN/initdb -D $WORK/data -U postgres --auth-local=trust --auth-host=scram-sha-256 >$WORK/initdb.log 2>&1"
cat >>"$WORK/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$WORK'
logging_collector = on
log_directory = '$WORK/log'
log_destination = 'stderr,csvlog,jsonlog'
log_connections = on
log_disconnections = on
log_timezone = 'UTC'
max_connections = 20
include_if_exists = 'run.conf'
CONF
as_pg "mkdir -p $WORK/log"

start_pg() { # $1 tag, $2 prefix, $3 extra conf
  printf "log_filename = 'run-%s'\nlog_line_prefix = '%s'\n%s\n" "$1" "$2" "${3:-}" >"$WORK/data/run.conf"
  chown postgres "$WORK/data/run.conf"
  as_pg "$BIN/pg_ctl -D $WORK/data -w -l $WORK/pgctl.log start >/dev/null"
}
stop_pg() { as_pg "$BIN/pg_ctl -D $WORK/data -w -m ${1:-fast} stop >/dev/null"; }
pgsql() { as_pg "PGPASSWORD=secret $PSQL -U ${PGU:-app} -d ${PGD:-appdb} $*"; }

# ---------- run 1: Debian style prefix, the main scenario set ----------
start_pg debian '%m [%p] %q%u@%d '
as_pg "$ADMIN -q" <<SQL
CREATE ROLE app LOGIN PASSWORD 'secret';
CREATE ROLE limited LOGIN PASSWORD 'secret' CONNECTION LIMIT 1;
CREATE DATABASE appdb OWNER app;
SQL
# plain connect/disconnect
pgsql "-c 'SELECT 1'" >/dev/null
# idle-in-transaction timeout
pgsql "-v ON_ERROR_STOP=0" >/dev/null 2>&1 <<'SQL'
SET idle_in_transaction_session_timeout = '1s';
BEGIN;
SELECT 1;
\! sleep 2
SELECT 2;
SQL
# idle-session timeout
pgsql "" >/dev/null 2>&1 <<'SQL'
SET idle_session_timeout = '1s';
\! sleep 2
SELECT 1;
SQL
# errors with STATEMENT (multi-line) and prepared statements
pgsql "" >/dev/null 2>&1 <<'SQL'
EXECUTE S_1;
PREPARE p1 AS SELECT 1;
PREPARE p1 AS SELECT 1;
SELECT 1,
       no_such_column
  FROM pg_class;
SQL
# admin terminate of a running query
pgsql "-c 'SELECT pg_sleep(20)'" >/dev/null 2>&1 &
sleep 1
as_pg "$ADMIN -Atc \"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(20)%' AND pid <> pg_backend_pid()\"" >/dev/null
wait
# wrong password
as_pg "PGPASSWORD=wrong $PSQL -U app -d appdb -c 'SELECT 1'" >/dev/null 2>&1
# connection limit for a role
as_pg "PGPASSWORD=secret $PSQL -U limited -d appdb -c 'SELECT pg_sleep(3)'" >/dev/null 2>&1 &
sleep 1
as_pg "PGPASSWORD=secret $PSQL -U limited -d appdb -c 'SELECT 1'" >/dev/null 2>&1
wait
# client killed inside a transaction
( echo "BEGIN; SELECT 1;"; sleep 5 ) | as_pg "PGPASSWORD=secret exec $PSQL -U app -d appdb" >/dev/null 2>&1 &
sleep 1.5
pkill -9 -P $! 2>/dev/null; kill -9 $(pgrep -f "psql -X -h 127.0.0.1 -p $PORT -U app -d appdb\$" ) 2>/dev/null
wait 2>/dev/null
sleep 0.5
# reload with a changed parameter
echo "idle_session_timeout = '10min'" >>"$WORK/data/run.conf"
as_pg "$BIN/pg_ctl -D $WORK/data reload >/dev/null"
sleep 1
# crash: kill -9 one backend
pgsql "-c 'SELECT pg_sleep(20)'" >/dev/null 2>&1 &
pgsql "-c 'BEGIN; SELECT pg_sleep(20)'" >/dev/null 2>&1 &
sleep 1
VICTIM=$(as_pg "$ADMIN -Atc \"SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(20)'\"")
kill -9 $VICTIM
wait
sleep 3
# fast shutdown with a running session, then start again
pgsql "-c 'SELECT pg_sleep(20)'" >/dev/null 2>&1 &
sleep 1
stop_pg fast
wait
cp "$WORK/log/run-debian" "$OUT/pg15-stderr-debian-prefix.log"
cp "$WORK/log/run-debian.csv" "$OUT/pg15-csvlog.csv" 2>/dev/null || cp "$WORK"/log/run-debian*.csv "$OUT/pg15-csvlog.csv"
cp "$WORK/log/run-debian.json" "$OUT/pg15-jsonlog.json" 2>/dev/null || cp "$WORK"/log/run-debian*.json "$OUT/pg15-jsonlog.json"

# ---------- short runs with other prefixes ----------
short_run() { # tag prefix extra
  start_pg "$1" "$2" "${3:-}"
  pgsql "-c 'SELECT 1'" >/dev/null
  pgsql "" >/dev/null 2>&1 <<'SQL'
SET idle_in_transaction_session_timeout = '1s';
BEGIN;
SELECT 1;
\! sleep 2
SELECT 2;
SQL
  pgsql "" >/dev/null 2>&1 <<'SQL'
EXECUTE S_1;
SQL
  pgsql "-c 'SELECT pg_sleep(20)'" >/dev/null 2>&1 &
  sleep 1
  stop_pg "${4:-fast}"
  wait
  cp "$WORK/log/run-$1" "$OUT/pg15-stderr-$1.log"
}
short_run pgbadger '%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h '
short_run default '%m [%p] '
short_run rds '%t:%r:%u@%d:[%p]:' '' smart
short_run azure '%t-%c-' '' immediate
short_run verbose '%m [%p] %q[%l] %e %u@%d/%a ' "log_error_verbosity = verbose"
short_run epoch '%n [%p] %c %s %v %x %i %b %Q %r %% ' "compute_query_id = on"

# ---------- PgBouncer in transaction mode ----------
start_pg bouncer '%m [%p] %q%u@%d '
cat >"$WORK/pgbouncer.ini" <<INI
[databases]
appdb = host=127.0.0.1 port=$PORT dbname=appdb
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BPORT
unix_socket_dir =
auth_type = trust
auth_file = $WORK/userlist.txt
logfile = $WORK/pgbouncer.log
pidfile = $WORK/pgbouncer.pid
pool_mode = transaction
server_idle_timeout = 3
server_lifetime = 3600
client_idle_timeout = 6
idle_transaction_timeout = 2
query_wait_timeout = 4
default_pool_size = 1
max_client_conn = 10
stats_period = 5
admin_users = postgres
INI
printf '"app" "secret"\n"postgres" ""\n' >"$WORK/userlist.txt"
sed -i "s/^appdb = .*/appdb = host=127.0.0.1 port=$PORT dbname=appdb user=app password=secret/" "$WORK/pgbouncer.ini"
chown postgres "$WORK/pgbouncer.ini" "$WORK/userlist.txt"
as_pg "pgbouncer -d $WORK/pgbouncer.ini"
sleep 1
BPSQL="$BIN/psql -X -h 127.0.0.1 -p $BPORT -U app -d appdb"
as_pg "$BPSQL -c 'SELECT 1'" >/dev/null 2>&1
# prepared statement lost between transactions (SQL-level PREPARE in transaction mode)
as_pg "$BPSQL" >/dev/null 2>&1 <<'SQL'
PREPARE s1 AS SELECT 1;
EXECUTE s1;
SQL
# idle transaction timeout enforced by PgBouncer
as_pg "$BPSQL" >/dev/null 2>&1 <<'SQL'
BEGIN;
SELECT 1;
\! sleep 3
SELECT 2;
SQL
# client idle timeout
as_pg "$BPSQL" >/dev/null 2>&1 <<'SQL'
SELECT 1;
\! sleep 8
SELECT 2;
SQL
# server connection killed by the server while a client is linked
as_pg "$BPSQL -c 'SELECT pg_sleep(20)'" >/dev/null 2>&1 &
sleep 1
as_pg "$ADMIN -Atc \"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(20)%'\"" >/dev/null
wait
# query_wait_timeout: pool size 1, one long transaction holds it
as_pg "$BPSQL -c 'SELECT pg_sleep(7)'" >/dev/null 2>&1 &
sleep 0.5
as_pg "$BPSQL -c 'SELECT 1'" >/dev/null 2>&1
wait
# client killed without Terminate
( echo "SELECT 1;"; sleep 5 ) | as_pg "exec $BPSQL" >/dev/null 2>&1 &
sleep 1
kill -9 $(pgrep -f "psql -X -h 127.0.0.1 -p $BPORT -U app -d appdb\$") 2>/dev/null
wait 2>/dev/null
sleep 6   # let server_idle_timeout and stats fire
# server restart behind PgBouncer
stop_pg fast
start_pg bouncer '%m [%p] %q%u@%d '
as_pg "$BPSQL -c 'SELECT 1'" >/dev/null 2>&1
sleep 1
kill -INT "$(cat $WORK/pgbouncer.pid)"
sleep 1
cp "$WORK/pgbouncer.log" "$OUT/pgbouncer-1.18-transaction.log"
cp "$WORK/log/run-bouncer" "$OUT/pg15-stderr-behind-pgbouncer.log"
stop_pg fast

# ---------- psql SHOW / pg_settings output for the config samples ----------
start_pg extra '%m [%p] %q%u@%d ' "idle_session_timeout = '10min'
idle_in_transaction_session_timeout = 60000
tcp_keepalives_idle = 300"
as_pg "$ADMIN -c 'SHOW idle_session_timeout' -c 'SHOW idle_in_transaction_session_timeout' -c 'SHOW tcp_keepalives_idle' -c \"SELECT name, setting, unit FROM pg_settings WHERE name IN ('idle_session_timeout','idle_in_transaction_session_timeout','tcp_keepalives_idle','tcp_keepalives_interval','tcp_keepalives_count','statement_timeout','max_connections') ORDER BY name\"" >"$OUT/../config/psql-show-pg15.txt" 2>/dev/null
stop_pg fast

# The data directory path is random; make the samples stable.
sed -i "s#$WORK#/tmp/pgt-srv#g" "$OUT"/pg15-* "$OUT"/pgbouncer-1.18-transaction.log
echo "work dir: $WORK"
