"""Every fault-lab scenario: what it runs, against which server settings, and
what its logs must show for the run to count as a real reproduction.

Keys: name, cause (ground-truth cause id, None for the non-08003 neighbours),
neighbour, client (manifest client id), client_detail, script
(lab/scenarios/...), prefix (log_line_prefix), log_timezone, pg (extra
postgresql.conf settings), pgbouncer / proxy / http / tls (helpers to start),
env (extra environment for the script), timeout, settle (seconds to wait after
the script for late server lines), what (one sentence for the manifest),
expect_* / reject_* (regexes checked against client.log, server.log,
pgbouncer.log).
"""

# log_line_prefix styles seen in the wild
DEBIAN = "%m [%p] %q%u@%d "                                            # Debian/Ubuntu packaging default
BADGER = "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h "             # pgBadger-friendly
RDS = "%t:%r:%u@%d:[%p]:"                                              # Amazon RDS style
APPNAME = "%m [%p] %q%u@%d/%a "                                        # with application_name

SQLSTATE = "%m [%p] %e %q%u@%d "                                        # with the SQLSTATE of each line
SESSION = "%m %c %h %q%u %d %a "                                       # session id, no brackets

IIT = {"idle_in_transaction_session_timeout": "2s"}
IDLE_SESSION = {"idle_session_timeout": "3s"}

# What libpq prints when the socket is closed under it (psycopg2 hides the server FATAL).
LIBPQ_EOF = r"server closed the connection unexpectedly"

SCENARIOS = [
    # ------------------------------------------------------------------ idle-in-transaction-timeout
    dict(name="iit-sqlalchemy-psycopg2", cause="idle-in-transaction-timeout", client="sqlalchemy+psycopg2",
         script="iit_sqlalchemy_psycopg2.py", prefix=DEBIAN, pg=IIT,
         what="SQLAlchemy job opened a transaction, inserted a batch, spent 3.5 s in Python computing "
              "aggregates while the server's idle_in_transaction_session_timeout was 2 s, then ran the next UPDATE.",
         expect_client=[LIBPQ_EOF, r"Traceback"], expect_server=[r"terminating connection due to idle-in-transaction timeout"]),
    dict(name="iit-node-pg", cause="idle-in-transaction-timeout", client="node-postgres",
         script="iit_node_pg.mjs", prefix=BADGER, pg=IIT,
         what="node-postgres Client ran BEGIN and an INSERT, awaited a 3.5 s in-process step with "
              "idle_in_transaction_session_timeout=2s, then issued the next INSERT.",
         expect_client=[r"idle-in-transaction timeout"], expect_server=[r"idle-in-transaction timeout"]),
    dict(name="iit-psycopg3", cause="idle-in-transaction-timeout", client="psycopg3",
         script="iit_psycopg3.py", prefix=RDS, pg=IIT,
         what="psycopg 3 loader (autocommit off) inserted rows, then parsed the next file for 3.5 s "
              "inside the same transaction (timeout 2 s) before the next executemany.",
         expect_client=[LIBPQ_EOF + "|idle-in-transaction timeout"], expect_server=[r"idle-in-transaction timeout"]),

    # ------------------------------------------------------------------ stale-pool-after-restart
    dict(name="restart-sqlalchemy-psycopg2", cause="stale-pool-after-restart", client="sqlalchemy+psycopg2",
         script="restart_sqlalchemy_psycopg2.py", prefix=DEBIAN, log_timezone="Europe/Berlin",
         what="Four worker threads filled a QueuePool (pool_size=4, pool_pre_ping=False); between batches "
              "the server was restarted with pg_ctl restart -m fast; the next batch checked out the stale connections.",
         expect_client=[LIBPQ_EOF], expect_server=[r"received fast shutdown request", r"ready to accept connections"]),
    dict(name="restart-node-pg", cause="stale-pool-after-restart", client="node-postgres",
         script="restart_node_pg.mjs", prefix=APPNAME,
         what="node-postgres Pool (max 4) ran a batch, then while one report query was running and three "
              "clients sat idle the server got pg_ctl restart -m fast; the script then ran the next batch.",
         expect_client=[r"terminating connection due to administrator command"],
         expect_server=[r"received fast shutdown request"]),
    dict(name="restart-psycopg3-pool", cause="stale-pool-after-restart", client="psycopg3",
         client_detail="psycopg 3 + psycopg_pool.ConnectionPool (no check on checkout)",
         script="restart_psycopg3_pool.py", prefix=BADGER,
         what="psycopg_pool ConnectionPool (min_size=3, no checkout check) served a batch; pg_ctl restart -m fast "
              "between batches; the next batch got the pooled connections whose backends were gone.",
         expect_client=[r"administrator command|server closed the connection|connection is (bad|lost|closed)"],
         expect_server=[r"received fast shutdown request"]),

    # ------------------------------------------------------------------ held-across-external-call
    dict(name="external-call-sqlalchemy-psycopg2", cause="held-across-external-call", client="sqlalchemy+psycopg2",
         script="external_call_sqlalchemy_psycopg2.py", prefix=BADGER, pg=IIT, http={"delay": 3.5},
         what="Inside one SQLAlchemy transaction the job inserted rows, called a local enrichment HTTP API "
              "that answered after 3.5 s (idle_in_transaction_session_timeout=2s), then ran the UPDATE.",
         expect_client=[LIBPQ_EOF, r"enrich"], expect_server=[r"idle-in-transaction timeout"]),
    dict(name="external-call-psycopg3", cause="held-across-external-call", client="psycopg3",
         script="external_call_psycopg3.py", prefix=DEBIAN, pg=IIT, http={"delay": 3.5},
         what="psycopg 3 job selected rows FOR UPDATE, called a local HTTP geo-enrichment API that took 3.5 s "
              "(timeout 2 s) while the transaction stayed open, then wrote the results.",
         expect_client=[r"idle-in-transaction timeout", r"enrich"], expect_server=[r"idle-in-transaction timeout"]),
    dict(name="external-call-node-pg", cause="held-across-external-call", client="node-postgres",
         script="external_call_node_pg.mjs", prefix=RDS, pg=IIT, http={"delay": 3.5},
         what="node-postgres job ran BEGIN and an UPDATE, awaited fetch() of a local HTTP API that answered after "
              "3.5 s (timeout 2 s), then ran the next statement in the same transaction.",
         expect_client=[r"idle-in-transaction timeout|not queryable|terminated"], expect_server=[r"idle-in-transaction timeout"]),

    # ------------------------------------------------------------------ tcp-keepalive-nat-drop
    dict(name="natdrop-psycopg2", cause="tcp-keepalive-nat-drop", client="psycopg2",
         script="natdrop_psycopg2.py", prefix=DEBIAN, proxy={"idle_evict": 3},
         pg={"tcp_keepalives_idle": "5", "tcp_keepalives_interval": "1", "tcp_keepalives_count": "2"},
         settle=3.0,
         what="psycopg2 connected through a local relay that imitates a NAT gateway; after 3 s of idleness the relay's "
              "nftables rules silently dropped every packet of the flow; the next query hung until "
              "tcp_user_timeout=4000 expired, and the server's own keepalive gave up on its side.",
         expect_client=[r"could not receive data from server: Connection timed out|Connection timed out"],
         expect_server=[r"could not receive data from client: Connection timed out"], reject_server=[r"FATAL"]),
    dict(name="natdrop-psycopg3", cause="tcp-keepalive-nat-drop", client="psycopg3",
         script="natdrop_psycopg3.py", prefix=BADGER, proxy={"idle_evict": 3},
         pg={"tcp_keepalives_idle": "5", "tcp_keepalives_interval": "1", "tcp_keepalives_count": "2"},
         settle=3.0,
         what="psycopg 3 connected through a local NAT-like relay that black-holed the flow (nftables drop) after "
              "3 s idle; the next query waited until libpq's tcp_user_timeout (4 s) expired.",
         expect_client=[r"Connection timed out"],
         expect_server=[r"could not receive data from client: Connection timed out"], reject_server=[r"FATAL"]),

    # ------------------------------------------------------------------ pool-recycle-exceeds-server-timeout
    dict(name="recycle-sqlalchemy-psycopg2", cause="pool-recycle-exceeds-server-timeout", client="sqlalchemy+psycopg2",
         script="recycle_sqlalchemy_psycopg2.py", prefix=RDS, pg=IDLE_SESSION,
         what="SQLAlchemy engine with pool_recycle=3600 and pool_pre_ping=False ran a batch, idled 4.5 s while the "
              "server's idle_session_timeout was 3 s, then reused the pooled connection.",
         expect_client=[LIBPQ_EOF, r"pool_recycle=3600"], expect_server=[r"idle-session timeout"]),
    dict(name="recycle-node-pg", cause="pool-recycle-exceeds-server-timeout", client="node-postgres",
         script="recycle_node_pg.mjs", prefix=DEBIAN, pg=IDLE_SESSION,
         what="node-postgres Pool with idleTimeoutMillis=3600000 kept two idle clients for 4.5 s while the server's "
              "idle_session_timeout was 3 s, then ran the next batch.",
         expect_client=[r"idle-session timeout"], expect_server=[r"idle-session timeout"]),
    dict(name="recycle-psycopg3-pool", cause="pool-recycle-exceeds-server-timeout", client="psycopg3",
         client_detail="psycopg 3 + psycopg_pool.ConnectionPool (max_idle=3600, max_lifetime=3600)",
         script="recycle_psycopg3_pool.py", prefix=APPNAME, pg=IDLE_SESSION,
         what="psycopg_pool ConnectionPool with max_idle=3600 and max_lifetime=3600 idled 4.5 s while the server's "
              "idle_session_timeout was 3 s, then handed out the dead connection.",
         expect_client=[r"idle-session timeout|server closed the connection"], expect_server=[r"idle-session timeout"]),

    # ------------------------------------------------------------------ pgbouncer-transaction-mode
    dict(name="pgbouncer-psycopg3-prepared", cause="pgbouncer-transaction-mode", client="psycopg3",
         script="pgbouncer_psycopg3_prepared.py", prefix=DEBIAN, pgbouncer=True,
         what="psycopg 3 with prepare_threshold=0 through PgBouncer 1.18 in pool_mode=transaction: the loader's "
              "statement was prepared on one server connection, a job-tracking transaction then held that server "
              "connection, and the loader's next execute landed on another.",
         expect_client=[r'prepared statement "_pg3_\d+" does not exist']),
    dict(name="pgbouncer-psycopg2-prepare", cause="pgbouncer-transaction-mode", client="psycopg2",
         script="pgbouncer_psycopg2_prepare.py", prefix=BADGER, pgbouncer=True,
         what="psycopg2 ran SQL PREPARE once and EXECUTE per row through PgBouncer in transaction mode; after a "
              "second connection's transaction took the server connection that held the statement, EXECUTE failed.",
         expect_client=[r'prepared statement "\w+" does not exist']),
    dict(name="pgbouncer-sqlalchemy-temp-table", cause="pgbouncer-transaction-mode", client="sqlalchemy+psycopg2",
         script="pgbouncer_sqlalchemy_temp_table.py", prefix=RDS, pgbouncer=True,
         what="SQLAlchemy job set search_path and created a TEMP table in one transaction and used them in the next, "
              "through PgBouncer in transaction mode, while another connection's transaction held the first server connection.",
         expect_client=[r'relation "\w+" does not exist']),
    dict(name="pgbouncer-node-pg-named", cause="pgbouncer-transaction-mode", client="node-postgres",
         script="pgbouncer_node_pg_named.mjs", prefix=APPNAME, pgbouncer=True,
         what="node-postgres named prepared query (name: 'insert-order') through PgBouncer in transaction mode; "
              "the statement was parsed on one server connection and later executed on another.",
         expect_client=[r'prepared statement "[\w-]+" does not exist']),

    # ------------------------------------------------------------------ admin-terminated-backend
    dict(name="admin-terminate-sqlalchemy-psycopg2", cause="admin-terminated-backend", client="sqlalchemy+psycopg2",
         script="admin_terminate_sqlalchemy_psycopg2.py", prefix=BADGER,
         what="Between two batches of a SQLAlchemy job a superuser session ran pg_terminate_backend() on the job's "
              "idle pooled connection (application_name=orders_loader); the next batch used it.",
         expect_client=[LIBPQ_EOF], expect_server=[r"terminating connection due to administrator command"],
         reject_server=[r"shutdown request"]),
    dict(name="admin-terminate-psycopg3", cause="admin-terminated-backend", client="psycopg3",
         script="admin_terminate_psycopg3.py", prefix=DEBIAN,
         what="While a psycopg 3 report query was running, a superuser session ran pg_terminate_backend() on it.",
         expect_client=[r"terminating connection due to administrator command"],
         expect_server=[r"terminating connection due to administrator command"], reject_server=[r"shutdown request"]),
    dict(name="admin-terminate-node-pg", cause="admin-terminated-backend", client="node-postgres",
         script="admin_terminate_node_pg.mjs", prefix=RDS,
         what="A superuser session ran pg_terminate_backend() on a node-postgres Client while its long aggregate "
              "query was running.",
         expect_client=[r"terminating connection due to administrator command"],
         expect_server=[r"terminating connection due to administrator command"], reject_server=[r"shutdown request"]),

    # ------------------------------------------------------------------ server-crash-recovery
    dict(name="crash-sqlalchemy-psycopg2", cause="server-crash-recovery", client="sqlalchemy+psycopg2",
         script="crash_sqlalchemy_psycopg2.py", prefix=DEBIAN, settle=2.0,
         what="Three SQLAlchemy worker threads were running queries when an unrelated backend was killed with "
              "SIGKILL; the postmaster reset all sessions and ran crash recovery.",
         expect_client=[LIBPQ_EOF], expect_server=[r"was terminated by signal 9", r"reinitializing"]),
    dict(name="crash-node-pg", cause="server-crash-recovery", client="node-postgres",
         script="crash_node_pg.mjs", prefix=BADGER, settle=2.0,
         what="A node-postgres Pool had a query in flight and idle clients when an unrelated backend was "
              "killed with SIGKILL and the postmaster reinitialized.",
         expect_client=[r"crash of another server process|Connection terminated unexpectedly"],
         expect_server=[r"was terminated by signal 9", r"reinitializing"]),
    dict(name="crash-psycopg3", cause="server-crash-recovery", client="psycopg3",
         script="crash_psycopg3.py", prefix=APPNAME, settle=2.0,
         what="A psycopg 3 connection was idle between two steps when an unrelated backend was killed with "
              "SIGKILL; the next statement met the reset session.",
         expect_client=[r"crash of another server process|server closed the connection|consuming input failed"],
         expect_server=[r"was terminated by signal 9", r"reinitializing"]),

    # ------------------------------------------------------------------ idle-session-timeout
    dict(name="idle-session-psycopg3", cause="idle-session-timeout", client="psycopg3",
         script="idle_session_psycopg3.py", prefix=APPNAME, pg=IDLE_SESSION,
         what="A psycopg 3 watcher kept one plain autocommit connection (no pool) and polled every 4.5 s; "
              "the server's idle_session_timeout of 3 s closed it between polls.",
         expect_client=[r"idle-session timeout|server closed the connection"], expect_server=[r"idle-session timeout"]),
    dict(name="idle-session-node-pg", cause="idle-session-timeout", client="node-postgres",
         script="idle_session_node_pg.mjs", prefix=RDS, pg=IDLE_SESSION,
         what="A node-postgres Client (no pool) polled a job table every 4.5 s while idle_session_timeout was 3 s.",
         expect_client=[r"idle-session timeout"], expect_server=[r"idle-session timeout"]),

    # ------------------------------------------------------------------ shared-connection-after-fork
    dict(name="fork-tls-psycopg2", cause="shared-connection-after-fork", client="psycopg2",
         script="fork_tls_psycopg2.py", prefix=DEBIAN, tls=True,
         what="A psycopg2 connection opened with sslmode=require before os.fork() was used by the parent and "
              "two forked workers at the same time over TLS.",
         expect_client=[r"SSL|decryption|bad record mac|EOF detected|server closed the connection"]),
    dict(name="fork-tls-psycopg3", cause="shared-connection-after-fork", client="psycopg3",
         script="fork_tls_psycopg3.py", prefix=BADGER, tls=True,
         what="A module-level psycopg 3 connection (sslmode=require) was inherited by multiprocessing workers "
              "started with the fork method, and all of them queried through it.",
         expect_client=[r"SSL|decryption|bad record mac|EOF detected|server closed the connection|lost"]),

    # ------------------------------------------------------------------ client-command-timeout (optional cause)
    dict(name="client-timeout-node-pg", cause="client-command-timeout", client="node-postgres",
         script="client_timeout_node_pg.mjs", prefix=DEBIAN,
         what="node-postgres Client with query_timeout=2000 ran a 5 s query; the client gave up on its own, and "
              "the server saw the socket close afterwards.",
         expect_client=[r"Query read timeout"]),
    dict(name="client-timeout-psycopg3", cause="client-command-timeout", client="psycopg3",
         script="client_timeout_psycopg3.py", prefix=BADGER, pg={"statement_timeout": "0"},
         what="psycopg 3 AsyncConnection ran a 5 s query under asyncio.wait_for(..., 2); after the client "
              "abandoned it, the worker reused the same connection while the server was still running the first query.",
         expect_client=[r"another command is already in progress|canceling statement"]),

    # ------------------------------------------------------------------ pgjdbc (optional: needs java + libpostgresql-jdbc-java)
    dict(name="admin-terminate-pgjdbc", cause="admin-terminated-backend", client="pgjdbc", requires="pgjdbc",
         script="AdminTerminatePgjdbc.java", prefix=BADGER,
         what="A JDBC batch job (pgjdbc, java.util.logging) was idle between two steps when a superuser session ran "
              "pg_terminate_backend() on it; the next statement failed and the job's error handler then tried to "
              "record the failure on the same connection.",
         expect_client=[r"This connection has been closed|I/O error"],
         expect_server=[r"terminating connection due to administrator command"], reject_server=[r"shutdown request"]),
    dict(name="iit-pgjdbc", cause="idle-in-transaction-timeout", client="pgjdbc", requires="pgjdbc",
         script="IitPgjdbc.java", prefix=DEBIAN, pg=IIT,
         what="A JDBC job with autoCommit=false ran an UPDATE, spent 3.5 s building a file in Java while "
              "idle_in_transaction_session_timeout was 2 s, then ran the next UPDATE and, on failure, rollback().",
         expect_client=[r"idle-in-transaction timeout|I/O error|This connection has been closed"],
         expect_server=[r"idle-in-transaction timeout"]),

    # ================================================================== second batch: stacks and layouts
    # the samples above do not have (first-sight cases, see samples/lab/README.md)
    dict(name="iit-psycopg-pool-pipe", cause="idle-in-transaction-timeout", client="psycopg3",
         client_detail="psycopg 3 + psycopg_pool; logging layout 'ts | LEVEL | logger:lineno | msg'",
         script="iit_psycopg_pool_pipe.py", prefix=SQLSTATE, pg=IIT, server_format="csvlog",
         what="An invoice exporter took a connection from psycopg_pool, opened a transaction, updated its job row, then "
              "rendered the batch in Python for 3.5 s inside the transaction (idle_in_transaction_session_timeout=2s) "
              "before the next UPDATE; the server logged in csvlog.",
         expect_client=[r"\| ERROR +\| invoices\.export:\d+ \|", r"Traceback"],
         expect_server=[r"idle-in-transaction timeout"]),
    dict(name="restart-asyncpg-brace", cause="stale-pool-after-restart", client="asyncpg",
         client_detail="asyncpg Pool (min_size=3); logging layout '[ts] {thread} LEVEL logger: msg'",
         script="restart_asyncpg_brace.py", prefix=DEBIAN, server_format="jsonlog",
         what="Three asyncio writers shared an asyncpg pool; while the second batch's statements were running the "
              "server got pg_ctl restart -m fast; the server logged in jsonlog.",
         expect_client=[r"\] \{MainThread\} ERROR prices\.ingest: batch 2", r"asyncpg"],
         expect_server=[r"received fast shutdown request"]),

    dict(name="admin-terminate-ruby-pg", cause="admin-terminated-backend", client="ruby-pg",
         client_detail="Ruby pg gem; Ruby Logger default layout in naive local time (TZ=America/Chicago)",
         script="admin_terminate_ruby_pg.rb", prefix=BADGER, client_tz="America/Chicago",
         what="A Ruby reconciler kept one pg connection for its run; between two regions a superuser session ran "
              "pg_terminate_backend() on it (application_name=ledger_reconcile). Ruby's Logger wrote local time "
              "(America/Chicago) without a zone while the server logged UTC.",
         expect_client=[r"E, \[\d{4}-\d\d-\d\dT", r"PG::"],
         expect_server=[r"terminating connection due to administrator command"], reject_server=[r"shutdown request"]),
    dict(name="external-call-go-libpq", cause="held-across-external-call", client="go-lib/pq",
         client_detail="Go database/sql + lib/pq; Go log package in naive local time (TZ=Asia/Kolkata)",
         script="external_call_go_libpq.go", prefix=SESSION, pg=IIT, http={"delay": 3.5}, client_tz="Asia/Kolkata",
         timeout=120,
         what="Inside one database/sql transaction a Go service updated an order, then called a local carrier HTTP API "
              "that answered after 3.5 s (idle_in_transaction_session_timeout=2s) before its next statement. The Go "
              "log package wrote local time (Asia/Kolkata, +05:30) without a zone while the server logged UTC.",
         expect_client=[r"ERROR order 101", r"carrier API"], expect_server=[r"idle-in-transaction timeout"]),
    dict(name="iit-go-pgx-zerolog", cause="idle-in-transaction-timeout", client="go-pgx",
         client_detail="Go pgx v4 pgxpool; zerolog JSON lines with epoch-millisecond time",
         script="iit_go_pgx_zerolog.go", prefix=APPNAME, pg=IIT, timeout=120,
         what="A Go worker (pgx v4 pool) opened a transaction, counted the rows to reserve, planned in memory for 3.5 s "
              "with idle_in_transaction_session_timeout=2s, then ran the UPDATE; it logs zerolog JSON lines.",
         expect_client=[r'"level":"error"'], expect_server=[r"idle-in-transaction timeout"]),

    dict(name="admin-terminate-php-pdo", cause="admin-terminated-backend", client="php-pdo",
         client_detail="PHP 8.2 PDO pgsql; Monolog 2 default LineFormatter",
         script="admin_terminate_php_pdo.php", prefix=SQLSTATE,
         what="A PHP billing export kept one PDO connection; while its second query was running a superuser session "
              "ran pg_terminate_backend() on it (application_name=billing_export). It logs with Monolog's default layout.",
         expect_client=[r"billing\.ERROR: invoice export failed", r"PDOException"],
         expect_server=[r"terminating connection due to administrator command"], reject_server=[r"shutdown request"]),

    dict(name="recycle-django-conn-max-age", cause="pool-recycle-exceeds-server-timeout", client="django+psycopg2",
         client_detail="Django 3.2 persistent connections (CONN_MAX_AGE=600) on psycopg2; Django docs' verbose log format",
         script="recycle_django_conn_max_age.py", prefix=SESSION, pg=IDLE_SESSION, log_timezone="Asia/Tokyo",
         what="A Django 3.2 site with CONN_MAX_AGE=600 served a report page, then had no traffic for 4.5 s while the "
              "server's idle_session_timeout was 3 s; the next page view reused the persistent connection. The server "
              "logged in Asia/Tokyo time.",
         expect_client=[r"ERROR .* Internal Server Error: /reports/daily", r"OperationalError"],
         expect_server=[r"idle-session timeout"]),

    dict(name="pgbouncer-node-pg-pino", cause="pgbouncer-transaction-mode", client="node-postgres",
         client_detail="node-postgres Pool (max 2) with a named query; pino JSON lines",
         script="pgbouncer_node_pg_pino.mjs", prefix=RDS, pgbouncer=True,
         what="A node-postgres Pool served a named balance query through PgBouncer in transaction mode; a settlement "
              "transaction on the pool's other client then held the server connection that had the statement, and the "
              "next balance query ran on another server connection. The worker logs pino JSON lines.",
         expect_client=[r'"level":50', r'prepared statement \\"q_balance\\" does not exist']),
    dict(name="pgbouncer-hikari-pgjdbc", cause="pgbouncer-transaction-mode", client="pgjdbc",
         client_detail="HikariCP 2.7 + pgjdbc (prepareThreshold=5, default); logback pattern layout",
         requires="pgjdbc", script="PgbouncerHikariPgjdbc.java", prefix=BADGER,
         pgbouncer={"pool_mode": "transaction", "default_pool_size": 4, "server_round_robin": 1},
         classpath=["/usr/share/java/HikariCP.jar", "/usr/share/java/slf4j-api.jar",
                    "/usr/share/java/logback-classic.jar", "/usr/share/java/logback-core.jar"],
         what="A HikariCP pool (2 connections) wrote ledger rows through PgBouncer in transaction mode with one "
              "PreparedStatement while the pool's other connection ran a short transaction; pgjdbc named the statement "
              "S_1 on its fifth execution, and with server_round_robin=1 PgBouncer ran that transaction on a server "
              "connection where a statement named S_1 already existed (each pgjdbc connection numbers its statements from S_1).",
         expect_client=[r'prepared statement "S_\d+" (already exists|does not exist)', r"HikariPool-1"]),

    # ------------------------------------------------------------------ first-sight batch 2
    dict(name="restart-celery-prefork", cause="stale-pool-after-restart", client="celery+sqlalchemy+psycopg2",
         client_detail="Celery 5.2 prefork worker (2 ForkPoolWorker children), module-level SQLAlchemy engine; Celery's default worker layout",
         script="restart_celery_prefork.py", prefix=RDS, server_format="csvlog", timeout=120, settle=2.0,
         what="A Celery prefork worker ran refresh tasks through a module-level SQLAlchemy engine (pool_pre_ping=False); "
              "between two batches the server got pg_ctl restart -m fast, and the next tasks in each ForkPoolWorker used "
              "their stale pooled connections. The server logged in csvlog.",
         expect_client=[r"ERROR/ForkPoolWorker-\d+\] Task refresh\.region\[[0-9a-f-]+\] raised unexpected"],
         expect_server=[r"received fast shutdown request"]),
    dict(name="natdrop-perl-dbd-pg", cause="tcp-keepalive-nat-drop", client="perl-dbd-pg",
         client_detail="Perl DBI + DBD::Pg 3.16 (libpq tcp_user_timeout in the DSN); Log::Log4perl PatternLayout",
         script="natdrop_perl_dbd_pg.pl", prefix=APPNAME, proxy={"idle_evict": 3},
         pg={"tcp_keepalives_idle": "5", "tcp_keepalives_interval": "1", "tcp_keepalives_count": "2"}, settle=3.0,
         what="A Perl feed (DBD::Pg) connected through a local NAT-like relay that black-holed the flow (nftables drop) "
              "after 3 s idle; the next query waited until libpq's tcp_user_timeout (4 s) expired.",
         expect_client=[r"ERROR Feed.Warehouse - chunk 2: query failed", r"timed out"],
         expect_server=[r"could not receive data from client: Connection timed out"], reject_server=[r"FATAL"]),
    dict(name="iit-pgbouncer-structlog", cause="idle-in-transaction-timeout", client="sqlalchemy+psycopg2",
         client_detail="SQLAlchemy 1.4 + psycopg2 through PgBouncer (idle_transaction_timeout=2); structlog JSON lines",
         script="iit_pgbouncer_structlog.py", prefix=SESSION,
         pgbouncer={"pool_mode": "transaction", "default_pool_size": 4, "idle_transaction_timeout": 2,
                    "server_idle_timeout": 2, "server_lifetime": 5},
         what="A SQLAlchemy job behind PgBouncer (pool_mode=transaction, idle_transaction_timeout=2, server_idle_timeout=2, "
              "server_lifetime=5) staged a batch inside a transaction and waited 3.5 s before its next statement; the "
              "pooler, not the server, closed the client connection. The job logs structlog JSON lines.",
         expect_client=[r'"level": "error"', r"OperationalError"],
         expect_pooler=[r"idle transaction timeout"], reject_server=[r"FATAL"]),
    dict(name="recycle-pgbouncer-winston", cause="pool-recycle-exceeds-server-timeout", client="node-postgres",
         client_detail="node-postgres Pool (idleTimeoutMillis=3600000) through PgBouncer (client_idle_timeout=3); winston JSON lines",
         script="recycle_pgbouncer_winston.mjs", prefix=DEBIAN,
         pgbouncer={"pool_mode": "transaction", "default_pool_size": 4, "client_idle_timeout": 3},
         what="A node-postgres Pool kept two idle clients for up to an hour while PgBouncer's client_idle_timeout was 3 s; "
              "the service idled 4.5 s between polls. The service logs winston JSON lines.",
         expect_client=[r'"level":"error"'], expect_pooler=[r"client_idle_timeout"]),
    dict(name="iit-psycopg2-lc-messages-de", cause="idle-in-transaction-timeout", client="psycopg2",
         client_detail="plain psycopg2; server lc_messages=de_DE.UTF-8 (German server log)",
         script="iit_psycopg2_lc_messages_de.py", prefix=DEBIAN, pg={**IIT, "lc_messages": "de_DE.UTF-8"},
         what="A psycopg2 job opened a transaction, then compared rows in Python for 3.5 s with "
              "idle_in_transaction_session_timeout=2s; the server logged in German (lc_messages=de_DE.UTF-8).",
         expect_client=[LIBPQ_EOF], expect_server=[r"FATAL:  Verbindung wird abgebrochen wegen Zeitüberschreitung in inaktiver Transaktion"]),
    dict(name="admin-terminate-pgbouncer-session", cause="admin-terminated-backend", client="psycopg3",
         client_detail="psycopg 3 through PgBouncer in session mode",
         script="admin_terminate_pgbouncer_session.py", prefix=BADGER, pgbouncer={"pool_mode": "session", "default_pool_size": 4},
         what="A psycopg 3 loader connected through PgBouncer (pool_mode=session); while its aggregate ran, a superuser "
              "session ran pg_terminate_backend() on the server backend behind the pooler.",
         expect_client=[r"Traceback"], expect_server=[r"terminating connection due to administrator command"],
         expect_pooler=[r"closing because"]),

    # ------------------------------------------------------------------ first-sight batch 3
    dict(name="recycle-sqlalchemy-naive-tz", cause="pool-recycle-exceeds-server-timeout", client="sqlalchemy+psycopg2",
         client_detail="SQLAlchemy 1.4 + psycopg2 (pool_recycle=3600); Python logging in naive local time (TZ=Europe/Paris)",
         script="recycle_sqlalchemy_naive_tz.py", prefix=DEBIAN, pg=IDLE_SESSION, client_tz="Europe/Paris",
         what="A SQLAlchemy feeder with pool_recycle=3600 and no pre-ping idled 4.5 s between pages while "
              "idle_session_timeout was 3 s. Its logging layout prints local time (Europe/Paris, UTC+1 in winter) "
              "without a zone while the server logged UTC.",
         expect_client=[LIBPQ_EOF, r" - index_feeder - ERROR - page 2"], expect_server=[r"idle-session timeout"]),
    dict(name="restart-go-pgx-logrus", cause="stale-pool-after-restart", client="go-pgx",
         client_detail="Go pgx v4 pgxpool (3 connections); logrus text layout (time=… level=… msg=… error=…)",
         script="restart_go_pgx_logrus.go", prefix=SQLSTATE, server_format="jsonlog", timeout=120,
         what="Three goroutines wrote through a pgx v4 pool; while the second round's statements ran the server got "
              "pg_ctl restart -m fast. The service logs logrus key=value text; the server logged in jsonlog.",
         expect_client=[r'level=error msg="projection failed"'], expect_server=[r"received fast shutdown request"]),

    # ------------------------------------------------------------------ first-sight batch 4: more stacks, layouts,
    # transports and server languages (see samples/lab/README.md)
    dict(name="iit-pgjdbc-log4j2-default", cause="idle-in-transaction-timeout", client="pgjdbc",
         client_detail="plain pgjdbc (autoCommit off); log4j2 2.19 with no configuration file (default layout: time of day, no date, ERROR only)",
         requires="pgjdbc", script="IitPgjdbcLog4j2.java", prefix=SQLSTATE, pg=IIT,
         classpath=["/usr/share/java/log4j-api.jar", "/usr/share/java/log4j-core.jar"],
         what="A JDBC invoice archiver (autoCommit off) updated three rows, then compressed an archive for 3.5 s inside the "
              "transaction while idle_in_transaction_session_timeout was 2 s, then ran its next UPDATE. It logs through "
              "log4j2 with no configuration file, so only ERROR lines appear, stamped with the time of day and no date.",
         expect_client=[r"(?m)^\d\d:\d\d:\d\d\.\d{3} \[main\] ERROR com\.example\.archive\.InvoiceArchiver - archive batch failed"],
         expect_server=[r"idle-in-transaction timeout"]),
    dict(name="crash-hikari-logback-default", cause="server-crash-recovery", client="pgjdbc",
         client_detail="HikariCP 2.7 + pgjdbc, 3 worker threads; logback 1.2 with no logback.xml (basic configuration: DEBUG, time of day only)",
         requires="pgjdbc", script="CrashHikariLogbackDefault.java", prefix=RDS, settle=2.0,
         classpath=["/usr/share/java/HikariCP.jar", "/usr/share/java/slf4j-api.jar",
                    "/usr/share/java/logback-classic.jar", "/usr/share/java/logback-core.jar"],
         what="Three threads of a metrics rollup ran queries on HikariCP connections when an unrelated backend was killed "
              "with SIGKILL and the postmaster reset every session. logback had no configuration file, so its basic "
              "configuration printed DEBUG lines (HikariCP's included) with the time of day and no date.",
         expect_client=[r"ERROR com\.example\.metrics\.Rollup - shard \d rollup failed"],
         expect_server=[r"was terminated by signal 9", r"reinitializing"]),
    dict(name="external-call-psycopg2-airflow", cause="held-across-external-call", client="psycopg2",
         client_detail="plain psycopg2 in an Airflow-style task; layout '[ISO ts+zone] {file.py:NN} LEVEL - msg'",
         script="external_call_psycopg2_airflow.py", prefix=APPNAME, pg=IIT, http={"delay": 3.5}, server_format="csvlog",
         what="An Airflow-style task locked orders FOR UPDATE with psycopg2, called a local scoring HTTP service that answered "
              "after 3.5 s (idle_in_transaction_session_timeout=2s) inside the transaction, then ran its UPDATE. The task "
              "logs in Airflow's task-log layout; the server logged in csvlog.",
         expect_client=[r"\{external_call_psycopg2_airflow\.py:\d+\} ERROR - Task failed with exception", LIBPQ_EOF],
         expect_server=[r"idle-in-transaction timeout"]),
    dict(name="restart-sqlalchemy-asyncpg", cause="stale-pool-after-restart", client="sqlalchemy+asyncpg",
         client_detail="SQLAlchemy 1.4 asyncio engine (create_async_engine, pool_size=3) on asyncpg; gunicorn-style layout '[ts +zone] [pid] [LEVEL] msg'",
         script="restart_sqlalchemy_asyncpg.py", prefix=BADGER,
         what="Three asyncio tasks shared a SQLAlchemy asyncio engine on asyncpg (pool_pre_ping=False); while the second "
              "round's queries ran the server got pg_ctl restart -m fast.",
         expect_client=[r"\] \[ERROR\] round 2 shard \d failed", r"asyncpg"],
         expect_server=[r"received fast shutdown request"]),
    dict(name="recycle-psycopg-async-pool", cause="pool-recycle-exceeds-server-timeout", client="psycopg3",
         client_detail="psycopg 3 AsyncConnectionPool (max_idle=3600); logging.basicConfig() default layout 'LEVEL:logger:msg' (no time)",
         script="recycle_psycopg_async_pool.py", prefix=DEBIAN, pg=IDLE_SESSION,
         what="An asyncio poller used psycopg_pool's AsyncConnectionPool with max_idle=3600 and max_lifetime=3600 and waited "
              "4.5 s between polls while the server's idle_session_timeout was 3 s. It logs with logging.basicConfig() "
              "defaults, so no line carries a time.",
         expect_client=[r"(?m)^ERROR:status_poller:poll 2 failed"], expect_server=[r"idle-session timeout"]),
    dict(name="admin-terminate-django-default-logging", cause="admin-terminated-backend", client="django+psycopg2",
         client_detail="Django 3.2 (DEBUG=True, no LOGGING setting) with CONN_MAX_AGE=60 on psycopg2: Django's default console logging (bare message, no time)",
         script="admin_terminate_django_default_logging.py", prefix=BADGER,
         what="A Django 3.2 site with Django's default logging (DEBUG on, no LOGGING setting) and CONN_MAX_AGE=60 served a "
              "page; between two page views a superuser session ran pg_terminate_backend() on its persistent connection "
              "(application_name=orders_admin), and the next view used it.",
         expect_client=[r"(?m)^Internal Server Error: /admin/orders/open", r"OperationalError"],
         expect_server=[r"terminating connection due to administrator command"], reject_server=[r"shutdown request"]),
    dict(name="admin-terminate-psycopg3-lc-fr", cause="admin-terminated-backend", client="psycopg3",
         client_detail="psycopg 3; server lc_messages=fr_FR.UTF-8 (French server log and French FATAL text on the client)",
         script="admin_terminate_psycopg3_lc_fr.py", prefix=RDS, pg={"lc_messages": "fr_FR.UTF-8"},
         what="While a psycopg 3 valuation query ran, a superuser session ran pg_terminate_backend() on it; the server "
              "logged in French (lc_messages=fr_FR.UTF-8) and sent the FATAL to the client in French.",
         expect_client=[r"Traceback", r"arrêt des connexions"], expect_server=[r"FATAL:  arrêt des connexions"],
         reject_server=[r"shutdown request"]),
    dict(name="restart-node-pg-lc-ja", cause="stale-pool-after-restart", client="node-postgres",
         client_detail="node-postgres Pool (max 3); server lc_messages=ja_JP.UTF-8 (Japanese server log and FATAL text)",
         script="restart_node_pg_lc_ja.mjs", prefix=DEBIAN, pg={"lc_messages": "ja_JP.UTF-8"},
         what="A node-postgres Pool warmed three clients, then while its report query ran the server got pg_ctl restart -m "
              "fast; the server logged in Japanese (lc_messages=ja_JP.UTF-8) and sent the FATAL in Japanese.",
         expect_client=[r"ERROR order-sync sync report failed"], expect_server=[r"FATAL"]),
    dict(name="restart-activerecord-logger", cause="stale-pool-after-restart", client="ruby-activerecord",
         client_detail="ActiveRecord 6.1 connection pool (3) on the pg gem, 3 threads; Ruby Logger default layout with ActiveRecord's SQL lines",
         script="restart_activerecord_logger.rb", prefix=SESSION, server_format="jsonlog", timeout=90,
         what="Three Ruby threads ran settlement queries from an ActiveRecord 6.1 connection pool; while they ran the server "
              "got pg_ctl restart -m fast. ActiveRecord logs through Ruby's Logger in its default layout; the server "
              "logged in jsonlog.",
         expect_client=[r"ERROR -- settle: shard \d settlement failed"], expect_server=[r"received fast shutdown request"]),
    dict(name="idle-session-go-zap", cause="idle-session-timeout", client="go-pgx",
         client_detail="Go, one pgx v4 connection (no pool); zap production JSON (epoch-seconds float ts, caller)",
         script="idle_session_go_zap.go", prefix=APPNAME, pg=IDLE_SESSION, timeout=120,
         what="A Go queue watcher kept one pgx connection (no pool) and polled every 4.5 s while the server's "
              "idle_session_timeout was 3 s. It logs zap's production JSON lines.",
         expect_client=[r'"level":"error".*"msg":"poll failed"'], expect_server=[r"idle-session timeout"]),
    dict(name="pgbouncer-php-pdo-monolog-json", cause="pgbouncer-transaction-mode", client="php-pdo",
         client_detail="PHP 8.2 PDO pgsql with server-side prepares (ATTR_EMULATE_PREPARES=false) through PgBouncer; Monolog 2 JsonFormatter",
         script="pgbouncer_php_pdo_monolog_json.php", prefix=SQLSTATE,
         pgbouncer={"pool_mode": "transaction", "default_pool_size": 4, "log_connections": 0, "log_disconnections": 0},
         what="A PHP price sync prepared its UPDATE server-side (PDO names it pdo_stmt_NNNNNNNN) through PgBouncer in "
              "transaction mode; a stock-lock transaction on a second connection then held the server connection that "
              "had the statement, and the next execute ran on another. PgBouncer ran with log_connections=0 and "
              "log_disconnections=0; the job logs Monolog JSON lines.",
         expect_client=[r'"level_name":"ERROR"', r"pdo_stmt_\d+\\\\?\" does not exist"]),
    dict(name="crash-node-pg-pino-pretty", cause="server-crash-recovery", client="node-postgres",
         client_detail="node-postgres Pool (max 3); pino 9 through the pino-pretty transport (multi-line, time of day only)",
         script="crash_node_pg_pino_pretty.mjs", prefix=SESSION, settle=2.0,
         what="A node-postgres Pool had three queries in flight when an unrelated backend was killed with SIGKILL and the "
              "postmaster reset every session. The service logs through pino-pretty: a time-of-day header line and "
              "the error object spread over indented lines.",
         expect_client=[r"ERROR \(indexer/\d+\): shard indexing failed"],
         expect_server=[r"was terminated by signal 9", r"reinitializing"]),
    dict(name="natdrop-psycopg3-cri", cause="tcp-keepalive-nat-drop", client="psycopg3",
         client_detail="psycopg 3 through a NAT-like relay; client log stored in the Kubernetes CRI file format (time, stream, F tag)",
         script="natdrop_psycopg3_cri.py", prefix=SQLSTATE, proxy={"idle_evict": 3}, client_transport="cri",
         pg={"tcp_keepalives_idle": "5", "tcp_keepalives_interval": "1", "tcp_keepalives_count": "2"}, settle=3.0,
         what="A psycopg 3 tracker connected through a local NAT-like relay that black-holed the flow (nftables drop) after "
              "3 s idle; the next poll waited until libpq's tcp_user_timeout (4 s) expired. Its stdout and stderr were "
              "stored as a container runtime (CRI) writes a pod's log.",
         expect_client=[r"Z stderr F .*ERROR shipment_tracker poll 2 failed", r"timed out"],
         expect_server=[r"could not receive data from client: Connection timed out"], reject_server=[r"FATAL"]),

    # ------------------------------------------------------------------ negatives (not 08003)
    dict(name="neg-refused-sqlalchemy-psycopg2", cause=None, neighbour="08001-connection-refused",
         client="sqlalchemy+psycopg2", script="neg_refused_sqlalchemy_psycopg2.py", prefix=DEBIAN,
         what="The database was shut down (pg_ctl stop -m fast) before a SQLAlchemy job started; it retried "
              "connecting three times and gave up.",
         expect_client=[r"Connection refused"]),
    dict(name="neg-refused-node-pg", cause=None, neighbour="08001-connection-refused",
         client="node-postgres", script="neg_refused_node_pg.mjs", prefix=BADGER,
         what="The database was shut down before a node-postgres job connected; connect() failed with ECONNREFUSED.",
         expect_client=[r"ECONNREFUSED"]),
    dict(name="neg-too-many-psycopg3", cause=None, neighbour="53300-too-many-connections",
         client="psycopg3", script="neg_too_many_psycopg3.py", prefix=APPNAME,
         pg={"max_connections": "6", "superuser_reserved_connections": "3"},
         what="With max_connections=6 (3 reserved for superusers) a psycopg 3 job opened one connection per "
              "worker for 5 workers; the fourth connect was refused.",
         expect_client=[r"remaining connection slots are reserved|too many clients"],
         expect_server=[r"remaining connection slots are reserved|too many clients"]),
    dict(name="neg-too-many-node-pg", cause=None, neighbour="53300-too-many-connections",
         client="node-postgres", script="neg_too_many_node_pg.mjs", prefix=RDS,
         pg={"max_connections": "5", "superuser_reserved_connections": "3"},
         what="With max_connections=5 (3 reserved) a node-postgres Pool of max 4 ran 4 queries in parallel; "
              "the third connection was refused.",
         expect_client=[r"remaining connection slots are reserved|too many clients"]),
    dict(name="neg-auth-sqlalchemy-psycopg2", cause=None, neighbour="28P01-auth-failed",
         client="sqlalchemy+psycopg2", script="neg_auth_sqlalchemy_psycopg2.py", prefix=BADGER,
         env={"DB_PASSWORD": "etl-secret-old"},
         what="A SQLAlchemy job started with an outdated password (scram-sha-256 auth) and failed to connect.",
         expect_client=[r"password authentication failed"], expect_server=[r"password authentication failed"]),
    dict(name="neg-auth-pgbouncer-compose", cause=None, neighbour="28P01-auth-failed", client="psycopg2",
         client_detail="psycopg2 through PgBouncer (verbose=1); client log as 'docker compose logs' prints it",
         script="neg_auth_pgbouncer_compose.py", prefix=DEBIAN, env={"DB_PASSWORD": "etl-secret-2023"},
         client_transport="compose:nightly-export",
         pgbouncer={"pool_mode": "transaction", "default_pool_size": 4, "verbose": 1},
         what="A psycopg2 export connected through PgBouncer (verbose=1) with an outdated password and PgBouncer refused "
              "the login; the client log is stored with docker compose's service prefix.",
         expect_client=[r"(?m)^nightly-export-1  \| .*(SASL|password) authentication failed"],
         expect_pooler=[r"password authentication failed"]),
    dict(name="neg-too-many-hikari", cause=None, neighbour="53300-too-many-connections", client="pgjdbc",
         client_detail="HikariCP 2.7 + pgjdbc; logback 1.2 basic configuration (no logback.xml)",
         requires="pgjdbc", script="NegTooManyHikari.java", prefix=BADGER,
         pg={"max_connections": "5", "superuser_reserved_connections": "3"},
         classpath=["/usr/share/java/HikariCP.jar", "/usr/share/java/slf4j-api.jar",
                    "/usr/share/java/logback-classic.jar", "/usr/share/java/logback-core.jar"],
         what="A HikariCP pool of up to 4 connections served report workers while max_connections was 5 with 3 reserved "
              "for superusers; the third connection was refused.",
         expect_client=[r"remaining connection slots are reserved|too many clients"]),
    dict(name="neg-auth-node-pg", cause=None, neighbour="28P01-auth-failed",
         client="node-postgres", script="neg_auth_node_pg.mjs", prefix=DEBIAN, env={"DB_PASSWORD": "rotated-2024"},
         what="A node-postgres job connected with an outdated password (scram-sha-256 auth).",
         expect_client=[r"password authentication failed"], expect_server=[r"password authentication failed"]),
]
