// Deterministic generators of the worst realistic inputs pgtriage meets (issue 13): a busy Python
// service log, a mixed pipeline (Airflow) log, a PostgreSQL server log with connection logging, a
// PgBouncer log with its normal chatter and crash bursts, and a large dbt.log. The friendly mixed
// log of generate.mjs stays the best case.
//
// What makes them "worst realistic": most lines carry words pgtriage's rules also use (pool
// checkouts and pre-pings with connection reprs, `connection` and `http` everywhere, Celery
// worker thread names, `LOG:  connection received`, `closing because:`), failures come from
// several drivers on different threads minutes apart, and tracebacks are as deep as SQLAlchemy
// makes them (up to 200 frames). Everything is drawn from one seeded PRNG and written as a
// stream, so the same options give byte-identical files and the whole log is never in memory.
//
// Every generator returns `incidents`, the exact number of 08003-family incidents pgtriage must
// report, by the README's definition: one per failed client operation (whatever number of lines
// and records it spans), and on a server or PgBouncer log alone one per session the server or
// pooler ended (on the PgBouncer log also reported as `sessionsCut`).
//
//   node bench/shapes.mjs --shape busy --size 50 --out /tmp/busy.log [--seed 1] [--every N]
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { StreamSink, createRng } from './generate.mjs';

const p2 = (n) => (n < 10 ? '0' + n : '' + n);
const p3 = (n) => (n < 10 ? '00' + n : n < 100 ? '0' + n : '' + n);
const p6 = (n) => String(n).padStart(6, '0');

/** The log clock; per-second parts are cached because every line formats a time. */
class Clock {
  constructor(ms) {
    this.ms = ms;
    this.sec = -1;
  }
  parts() {
    const sec = Math.floor(this.ms / 1000);
    if (sec !== this.sec) {
      this.sec = sec;
      const d = new Date(sec * 1000);
      this.day = `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
      this.tod = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
    }
    return this;
  }
  /** 2026-11-03 06:00:00,123 (Python logging's default asctime) */
  py() {
    this.parts();
    return `${this.day} ${this.tod},${p3(this.ms % 1000)}`;
  }
  /** 2026-11-03 06:00:00.123 UTC (PostgreSQL %m, PgBouncer) */
  pg() {
    this.parts();
    return `${this.day} ${this.tod}.${p3(this.ms % 1000)} UTC`;
  }
  /** [2026-11-03, 06:00:00 UTC] (Airflow task log) */
  airflow() {
    this.parts();
    return `[${this.day}, ${this.tod} UTC]`;
  }
  /** 06:00:00.123456 (dbt.log line time; the date is in the invocation header) */
  dbt(micro) {
    this.parts();
    return `${this.tod}.${p3(this.ms % 1000)}${p3(micro)}`;
  }
  iso() {
    return new Date(this.ms).toISOString();
  }
}

function tools(rng) {
  const int = (n) => (rng() * n) | 0;
  const pick = (a) => a[(rng() * a.length) | 0];
  const hex = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[(rng() * 16) | 0];
    return s;
  };
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  return { int, pick, hex, uuid };
}

const TABLES = ['orders', 'order_items', 'customers', 'payments', 'shipments', 'inventory', 'events_raw'];
const HOSTS = ['api.partner.example.com', 'auth.example.com', 'hooks.example.net'];
const BLOB = 'stetlprod.blob.core.windows.net';
const NL = (s) => {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
};

// ---- SQLAlchemy pieces shared by the Python shapes -----------------------------------------

/** `%r` of a psycopg2 connection, as echo_pool prints it. */
const psycopg2Repr = (t) => `<connection object at 0x7f${t.hex(10)}; dsn: 'user=etl password=xxx dbname=warehouse host=pg-main.internal port=5432 sslmode=require', closed: 0>`;
const psycopg3Repr = (t) => `<psycopg.Connection [IDLE] (host=pg-main.internal user=etl database=warehouse) at 0x7f${t.hex(10)}>`;
const asyncpgRepr = (t) => `<AdaptedConnection <asyncpg.connection.Connection object at 0x7f${t.hex(10)}>>`;

function poolMessage(t, repr) {
  const r = t.int(100);
  if (r < 28) return ['DEBUG', `Connection ${repr} checked out from pool`];
  if (r < 44) return ['DEBUG', `Pool pre-ping on connection ${repr}`];
  if (r < 72) return ['DEBUG', `Connection ${repr} being returned to pool`];
  if (r < 86) return ['DEBUG', `Connection ${repr} rollback-on-return`];
  if (r < 92) return ['DEBUG', `Connection ${repr} reset, transaction already reset`];
  if (r < 96) return ['DEBUG', `Created new connection ${repr}`];
  if (r < 98) return ['INFO', `Connection ${repr} exceeded timeout; recycling`];
  return ['DEBUG', `Closing connection ${repr}`];
}

const SELECTS = [
  'SELECT orders.id, orders.customer_id, orders.amount, orders.updated_at FROM orders WHERE orders.updated_at > %(updated_at_1)s ORDER BY orders.id LIMIT %(param_1)s',
  'SELECT customers.id, customers.email FROM customers WHERE customers.id = %(pk_1)s',
  'INSERT INTO order_items (order_id, sku, qty, price) VALUES (%(order_id)s, %(sku)s, %(qty)s, %(price)s) ON CONFLICT (order_id, sku) DO UPDATE SET qty = excluded.qty',
  'UPDATE watermarks SET ts=%(ts)s WHERE watermarks.job = %(job_1)s',
  'SELECT pg_advisory_xact_lock(%(pg_advisory_xact_lock_1)s)',
];

function engineMessage(t) {
  const r = t.int(100);
  if (r < 30) return t.pick(SELECTS);
  if (r < 55) return `[generated in 0.000${100 + t.int(900)}s] {'updated_at_1': '2026-11-03T05:${p2(t.int(60))}:00', 'param_1': 500}`;
  if (r < 75) return `[cached since ${(t.int(9000) / 10).toFixed(1)}s ago] {'order_id': ${t.int(1e7)}, 'sku': 'SKU-${t.int(99999)}', 'qty': ${1 + t.int(9)}, 'price': ${t.int(99999) / 100}}`;
  if (r < 87) return 'BEGIN (implicit)';
  if (r < 97) return 'COMMIT';
  return 'ROLLBACK';
}

function httpLine(t) {
  const r = t.int(100);
  const path = `/raw/${t.pick(TABLES)}/2026/11/03/part-${p6(t.int(1e5))}.parquet`;
  if (r < 40) return ['DEBUG', 'urllib3.connectionpool', `https://${BLOB}:443 "PUT ${path}?comp=block&blockid=${t.hex(24)} HTTP/1.1" 201 0`];
  if (r < 55) return ['DEBUG', 'urllib3.connectionpool', `Starting new HTTPS connection (${1 + t.int(4)}): ${t.pick(HOSTS)}:443`];
  if (r < 62) return ['DEBUG', 'urllib3.connectionpool', `Resetting dropped connection: ${t.pick(HOSTS)}`];
  if (r < 85) return ['INFO', 'httpx', `HTTP Request: ${t.pick(['GET', 'POST'])} https://${t.pick(HOSTS)}/v2/orders?page=${t.int(400)} "HTTP/1.1 ${t.pick(['200 OK', '200 OK', '201 Created', '304 Not Modified'])}"`];
  if (r < 93) return ['DEBUG', 'httpcore.connection', `connect_tcp.complete return_value=<httpcore._backends.sync.SyncStream object at 0x7f${t.hex(10)}>`];
  return ['WARNING', 'urllib3.connectionpool', `Retrying (Retry(total=2, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ReadTimeoutError("HTTPSConnectionPool(host='${t.pick(HOSTS)}', port=443): Read timed out. (read timeout=30)")': /v2/orders`];
}

/** The Azure SDK logs one request as a single multi-line record. */
function azureRecord(t) {
  const path = `/raw/${t.pick(TABLES)}/part-${p6(t.int(1e5))}.parquet`;
  if (t.int(2))
    return `Request URL: 'https://${BLOB}${path}?comp=REDACTED&blockid=REDACTED'\nRequest method: 'PUT'\nRequest headers:\n    'Content-Length': '${1 + t.int(4194304)}'\n    'x-ms-version': 'REDACTED'\n    'x-ms-client-request-id': '${t.uuid()}'\n    'User-Agent': 'azsdk-python-storage-blob/12.19.0 Python/3.11.9 (Linux-5.15.0-x86_64-with-glibc2.36)'\n    'Authorization': 'REDACTED'\nNo body was attached to the request`;
  return `Response status: 201\nResponse headers:\n    'Content-Length': '0'\n    'Server': 'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0'\n    'x-ms-request-id': '${t.uuid()}'\n    'x-ms-version': 'REDACTED'\n    'Date': 'Tue, 03 Nov 2026 06:00:00 GMT'`;
}

const FRAMES = [
  ['/usr/local/lib/python3.11/site-packages/celery/app/trace.py', 477, 'trace_task', 'R = retval = fun(*args, **kwargs)'],
  ['/app/etl/tasks.py', 142, 'load_partition', 'loader.run(partition)'],
  ['/app/etl/load.py', 88, 'run', 'session.execute(stmt, rows)'],
  ['/usr/local/lib/python3.11/site-packages/sqlalchemy/orm/session.py', 2351, 'execute', 'return self._execute_internal('],
  ['/usr/local/lib/python3.11/site-packages/sqlalchemy/orm/session.py', 2245, '_execute_internal', 'result = conn.execute('],
  ['/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py', 1418, 'execute', 'return meth('],
  ['/usr/local/lib/python3.11/site-packages/sqlalchemy/sql/elements.py', 515, '_execute_on_connection', 'return connection._execute_clauseelement('],
  ['/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py', 1640, '_execute_clauseelement', 'ret = self._execute_context('],
  ['/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py', 1846, '_execute_context', 'return self._exec_single_context('],
  ['/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py', 1986, '_exec_single_context', 'self._handle_dbapi_exception('],
  ['/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py', 2355, '_handle_dbapi_exception', 'raise sqlalchemy_exception.with_traceback(exc_info[2]) from e'],
  ['/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py', 1967, '_exec_single_context', 'self.dialect.do_execute('],
  ['/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/default.py', 924, 'do_execute', 'cursor.execute(statement, parameters)'],
];

/** A traceback of `depth` frames (recursive helpers repeat in the middle, as real deep stacks do). */
function traceback(depth) {
  let s = 'Traceback (most recent call last):\n';
  const head = FRAMES.slice(0, 3);
  const tail = FRAMES.slice(3);
  const middle = Math.max(0, depth - head.length - tail.length);
  const frame = ([file, line, fn, code]) => `  File "${file}", line ${line}, in ${fn}\n    ${code}\n`;
  for (const f of head) s += frame(f);
  for (let i = 0; i < middle; i++) s += frame(['/app/etl/graph.py', 57 + (i % 3), 'visit', 'return self.visit(child, depth + 1)']);
  for (const f of tail.slice(Math.max(0, tail.length - (depth - head.length)))) s += frame(f);
  return s;
}

/** The end of a SQLAlchemy-wrapped driver error, driver wording rotating by `variant`. */
function driverError(variant, table, id) {
  const sql = `\n[SQL: INSERT INTO ${table} (id, amount) VALUES (%(id)s, %(amount)s)]\n[parameters: {'id': ${id}, 'amount': 12.5}]\n(Background on this error at: https://sqlalche.me/e/20/e3q8)\n`;
  switch (variant % 5) {
    case 0:
      return `sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.\n${sql}`;
    case 1:
      return `sqlalchemy.exc.OperationalError: (psycopg.OperationalError) consuming input failed: server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.\n${sql}`;
    case 2:
      return `sqlalchemy.exc.InterfaceError: (sqlalchemy.dialects.postgresql.asyncpg.InterfaceError) <class 'asyncpg.exceptions.ConnectionDoesNotExistError'>: connection was closed in the middle of operation\n${sql}`;
    case 3:
      return `sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) SSL SYSCALL error: EOF detected\n${sql}`;
    default:
      return `sqlalchemy.exc.InterfaceError: (psycopg2.InterfaceError) connection already closed\n${sql}`;
  }
}
const DRIVER_REPR = [psycopg2Repr, psycopg3Repr, asyncpgRepr, psycopg2Repr, psycopg2Repr];
const INVALIDATE_REASON = [
  'OperationalError:server closed the connection unexpectedly',
  'OperationalError:consuming input failed: server closed the connection unexpectedly',
  "InterfaceError:<class 'asyncpg.exceptions.ConnectionDoesNotExistError'>: connection was closed in the middle of operation",
  'OperationalError:SSL SYSCALL error: EOF detected',
  'InterfaceError:connection already closed',
];
/** Traceback depths in rotation: shallow, a common SQLAlchemy depth, and a very deep one. */
const DEPTHS = [14, 40, 200];

// ---- shapes -----------------------------------------------------------------------------------

/**
 * Busy Python service: Celery worker + thread pool, `%(asctime)s %(levelname)s [%(threadName)s]
 * %(name)s: %(message)s`, SQLAlchemy with echo_pool="debug" and echo=True, HTTP clients, the
 * Azure SDK. A failure is an ERROR record with a traceback on one thread, preceded by the pool's
 * INFO invalidation line (evidence, never an incident).
 */
function busyShape(rng) {
  const t = tools(rng);
  const threads = ['MainThread', ...Array.from({ length: 8 }, (_, i) => `ForkPoolWorker-${i + 1}`), ...Array.from({ length: 4 }, (_, i) => `ThreadPoolExecutor-0_${i}`)];
  const line = (c, level, thread, logger, msg) => `${c.py()} ${level} [${thread}] ${logger}: ${msg}\n`;
  return {
    stepMs: 18,
    noise(c) {
      const r = t.int(100);
      const th = t.pick(threads);
      if (r < 38) {
        const [level, msg] = poolMessage(t, t.pick(DRIVER_REPR)(t));
        return line(c, level, th, 'sqlalchemy.pool.impl.QueuePool', msg);
      }
      if (r < 60) return line(c, 'INFO', th, 'sqlalchemy.engine.Engine', engineMessage(t));
      if (r < 74) {
        const [level, logger, msg] = httpLine(t);
        return line(c, level, th, logger, msg);
      }
      if (r < 78) return line(c, 'INFO', th, 'azure.core.pipeline.policies.http_logging_policy', azureRecord(t));
      if (r < 86) {
        const id = t.uuid();
        if (t.int(2)) return line(c, 'INFO', 'MainThread', 'celery.worker.strategy', `Task etl.tasks.load_partition[${id}] received`);
        return line(c, 'INFO', t.pick(threads.slice(1, 9)), 'celery.app.trace', `Task etl.tasks.load_partition[${id}] succeeded in ${(rng() * 9).toFixed(6)}s: None`);
      }
      if (r < 97) return line(c, 'INFO', th, `etl.${t.pick(['load', 'extract', 'sync'])}`, `upserted ${t.int(5000)} rows into ${t.pick(TABLES)} (partition 2026-11-03/${t.int(24)})`);
      return line(c, 'WARNING', th, 'etl.extract', `partner api answered slowly (${(1 + rng() * 9).toFixed(1)}s), page ${t.int(400)} will be retried later`);
    },
    incident(n, c) {
      const variant = n - 1;
      const th = t.pick(threads.slice(1));
      const table = TABLES[n % TABLES.length];
      const reason = INVALIDATE_REASON[variant % 5];
      const inv = line(c, 'INFO', th, 'sqlalchemy.pool.impl.QueuePool', `Invalidate connection ${DRIVER_REPR[variant % 5](t)} (reason: ${reason})`);
      c.ms += 3;
      const head = line(c, 'ERROR', th, 'celery.app.trace', `Task etl.tasks.load_partition[${t.uuid()}] raised unexpected: ${reason.split(':')[0]}('connection lost')`);
      return { text: inv + head + traceback(DEPTHS[Math.floor(variant / 5) % 3]) + driverError(variant, table, 700000 + n), incidents: 1 };
    },
  };
}

/**
 * Mixed pipeline log: an Airflow task log (`[date, time UTC] {file.py:N} LEVEL - msg`) that
 * carries the pool DEBUG lines of its SQLAlchemy hook, blob uploads, and dbt's console output
 * relayed by a subprocess operator. Failures are Airflow's "Task failed with exception"
 * tracebacks with the driver wording rotating.
 */
function mixedShape(rng) {
  const t = tools(rng);
  const line = (c, where, level, msg) => `${c.airflow()} {${where}} ${level} - ${msg}\n`;
  let step = 0;
  return {
    stepMs: 25,
    noise(c) {
      const r = t.int(100);
      if (r < 30) {
        const [level, msg] = poolMessage(t, t.pick(DRIVER_REPR)(t));
        return line(c, `base.py:${400 + t.int(900)}`, level, msg);
      }
      if (r < 45) return line(c, 'base.py:1846', 'INFO', engineMessage(t));
      if (r < 65) {
        const f = `part-${p6(t.int(1e5))}.parquet`;
        const k = t.int(4);
        if (k === 0) return line(c, 'wasb.py:233', 'INFO', `Uploading /tmp/export/${f} to wasb://raw@${BLOB}/${t.pick(TABLES)}/${f}`);
        if (k === 1) return line(c, 'connectionpool.py:546', 'DEBUG', `https://${BLOB}:443 "PUT /raw/${t.pick(TABLES)}/${f}?comp=block HTTP/1.1" 201 0`);
        if (k === 2) return line(c, 's3.py:1157', 'INFO', `Uploaded ${t.int(64)} MiB to s3://etl-archive/${t.pick(TABLES)}/${f} in ${(rng() * 4).toFixed(2)}s`);
        return line(c, 'connectionpool.py:1003', 'DEBUG', `Starting new HTTPS connection (${1 + t.int(3)}): ${BLOB}:443`);
      }
      if (r < 85) {
        step = (step % 600) + 1;
        const model = `${t.pick(['stg', 'int', 'fct', 'dim'])}_${t.pick(TABLES)}_${p3(step % 1000)}`;
        if (t.int(2)) return line(c, 'subprocess.py:93', 'INFO', `06:${p2(t.int(60))}:${p2(t.int(60))}  ${step} of 600 START sql table model analytics.${model} .................. [RUN]`);
        return line(c, 'subprocess.py:93', 'INFO', `06:${p2(t.int(60))}:${p2(t.int(60))}  ${step} of 600 OK created sql table model analytics.${model} ............ [SELECT ${t.int(1e5)} in ${(rng() * 9).toFixed(2)}s]`);
      }
      if (r < 95) return line(c, `taskinstance.py:${1100 + t.int(1500)}`, 'INFO', `Dependencies all met for dep_context=non-requeueable deps ti=<TaskInstance: warehouse_load.load_${t.pick(TABLES)} scheduled__2026-11-03T05:00:00+00:00 [running]>`);
      return line(c, 'logging_mixin.py:188', 'INFO', `heartbeat: ${t.int(5000)} rows staged for ${t.pick(TABLES)}`);
    },
    incident(n, c) {
      const variant = n - 1;
      const head = line(c, 'taskinstance.py:2731', 'ERROR', 'Task failed with exception');
      const body = traceback(DEPTHS[Math.floor(variant / 5) % 3]) + driverError(variant, TABLES[n % TABLES.length], 800000 + n);
      c.ms += 40;
      const after = line(c, 'taskinstance.py:1206', 'INFO', `Marking task as UP_FOR_RETRY. dag_id=warehouse_load, task_id=load_${TABLES[n % TABLES.length]}_${n}, execution_date=20261103T050000`);
      return { text: head + body + after, incidents: 1 };
    },
  };
}

/**
 * PostgreSQL server log, log_line_prefix = '%m [%p] %q%u@%d ', with log_connections and
 * log_disconnections on, log_checkpoints, log_autovacuum_min_duration = 0, slow statements and
 * statement errors. Incidents are the sessions the server ended: idle-in-transaction and
 * idle-session timeouts, pg_terminate_backend, and one fast-shutdown restart in the middle of
 * the log that ends every open session.
 */
function serverShape(rng, { sizeBytes }) {
  const t = tools(rng);
  const pfx = (c, pid, who) => `${c.pg()} [${pid}] ${who ? who + ' ' : ''}`;
  const users = [['etl', 'warehouse'], ['app', 'shop'], ['dbt', 'warehouse'], ['grafana', 'shop']];
  const ip = () => `10.0.${t.int(4)}.${2 + t.int(250)}`;
  let restarted = false;
  let pidBase = 20000;
  const pid = () => pidBase + t.int(40000);
  return {
    stepMs: 20,
    noise(c, state) {
      if (!restarted && state.bytes > sizeBytes / 2) {
        restarted = true;
        return { restart: true };
      }
      const r = t.int(100);
      const p = pid();
      const [u, d] = t.pick(users);
      const who = `${u}@${d}`;
      if (r < 16) return `${pfx(c, p, '[unknown]@[unknown]')}LOG:  connection received: host=${ip()} port=${30000 + t.int(30000)}\n`;
      if (r < 30) return `${pfx(c, p, who)}LOG:  connection authenticated: identity="${u}" method=scram-sha-256 (/etc/postgresql/16/main/pg_hba.conf:${100 + t.int(30)})\n`;
      if (r < 46) return `${pfx(c, p, who)}LOG:  connection authorized: user=${u} database=${d} application_name=${t.pick(['psycopg2', 'dbt', 'grafana', 'airflow'])} SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)\n`;
      if (r < 62) return `${pfx(c, p, who)}LOG:  disconnection: session time: 0:${p2(t.int(60))}:${p2(t.int(60))}.${p3(t.int(1000))} user=${u} database=${d} host=${ip()} port=${30000 + t.int(30000)}\n`;
      if (r < 80) return `${pfx(c, p, who)}LOG:  duration: ${(rng() * 3000).toFixed(3)} ms  statement: ${t.pick(SELECTS).replace(/%\((\w+)\)s/g, '$1')}\n`;
      if (r < 83) return `${pfx(c, 41, '')}LOG:  checkpoint starting: time\n`;
      if (r < 86) return `${pfx(c, 41, '')}LOG:  checkpoint complete: wrote ${t.int(9000)} buffers (${(rng() * 20).toFixed(1)}%); 0 WAL file(s) added, 0 removed, ${t.int(9)} recycled; write=${(rng() * 260).toFixed(3)} s, sync=0.${p3(t.int(999))} s, total=${(rng() * 270).toFixed(3)} s; sync files=${t.int(90)}, longest=0.0${p2(t.int(99))} s, average=0.001 s; distance=${t.int(900000)} kB, estimate=${t.int(900000)} kB; lsn=2A/${t.hex(8).toUpperCase()}, redo lsn=2A/${t.hex(8).toUpperCase()}\n`;
      if (r < 92) {
        const tab = t.pick(TABLES);
        return `${pfx(c, pid(), '')}LOG:  automatic vacuum of table "${d}.public.${tab}": index scans: 1\n\tpages: 0 removed, ${t.int(90000)} remain, ${t.int(9000)} scanned (${(rng() * 30).toFixed(2)}% of total)\n\ttuples: ${t.int(9000)} removed, ${t.int(900000)} remain, 0 are dead but not yet removable\n\tremovable cutoff: ${t.int(9e6)}, which was ${t.int(40)} XIDs old when operation ended\n\tindex scan needed: ${t.int(900)} pages from table (${(rng() * 9).toFixed(2)}% of total) had ${t.int(9000)} dead item identifiers removed\n\tindex "${tab}_pkey": pages: ${t.int(9000)} in total, 0 newly deleted, 0 currently deleted, 0 reusable\n\tavg read rate: ${(rng() * 90).toFixed(3)} MB/s, avg write rate: ${(rng() * 90).toFixed(3)} MB/s\n\tbuffer usage: ${t.int(90000)} hits, ${t.int(900)} misses, ${t.int(900)} dirtied\n\tWAL usage: ${t.int(9000)} records, ${t.int(90)} full page images, ${t.int(9e6)} bytes\n\tsystem usage: CPU: user: 0.${p2(t.int(99))} s, system: 0.0${t.int(9)} s, elapsed: ${(rng() * 9).toFixed(2)} s\n`;
      }
      if (r < 94) return `${pfx(c, pid(), '')}LOG:  automatic analyze of table "${d}.public.${t.pick(TABLES)}"\n\tavg read rate: ${(rng() * 90).toFixed(3)} MB/s, avg write rate: 0.000 MB/s\n\tbuffer usage: ${t.int(9000)} hits, ${t.int(90)} misses, 0 dirtied\n\tsystem usage: CPU: user: 0.0${t.int(9)} s, system: 0.00 s, elapsed: 0.${p2(t.int(99))} s\n`;
      if (r < 96) return `${pfx(c, p, who)}ERROR:  duplicate key value violates unique constraint "order_items_pkey"\n${pfx(c, p, who)}DETAIL:  Key (order_id, sku)=(${t.int(1e7)}, SKU-${t.int(99999)}) already exists.\n${pfx(c, p, who)}STATEMENT:  INSERT INTO order_items (order_id, sku, qty, price) VALUES ($1, $2, $3, $4)\n`;
      if (r < 97) return `${pfx(c, p, who)}ERROR:  canceling statement due to statement timeout\n${pfx(c, p, who)}STATEMENT:  SELECT * FROM events_raw WHERE payload @> $1\n`;
      if (r < 98) return `${pfx(c, p, who)}ERROR:  relation "tmp_orders_${t.int(999)}" does not exist at character 15\n${pfx(c, p, who)}STATEMENT:  SELECT * FROM tmp_orders_${t.int(999)}\n`;
      if (r < 99) return `${pfx(c, p, who)}LOG:  could not receive data from client: Connection reset by peer\n`;
      return `${pfx(c, p, who)}LOG:  unexpected EOF on client connection with an open transaction\n`;
    },
    incident(n, c) {
      const p = pid();
      const [u, d] = users[n % users.length];
      const who = `${u}@${d}`;
      const kind = (n - 1) % 3;
      if (kind === 0) return { text: `${pfx(c, p, who)}FATAL:  terminating connection due to idle-in-transaction timeout\n`, incidents: 1 };
      if (kind === 1) return { text: `${pfx(c, p, who)}FATAL:  terminating connection due to idle-session timeout\n`, incidents: 1 };
      // pg_terminate_backend from an admin session: the killer's statement, then the victim's FATAL.
      const admin = pid();
      const text = `${pfx(c, admin, 'postgres@postgres')}LOG:  duration: 0.412 ms  statement: SELECT pg_terminate_backend(${p})\n${pfx(c, p, who)}FATAL:  terminating connection due to administrator command\n`;
      return { text, incidents: 1 };
    },
    /** Fast shutdown and start: every open session is ended by the postmaster. */
    restart(c) {
      const post = 812;
      const sessions = 6;
      let text = `${pfx(c, post, '')}LOG:  received fast shutdown request\n${pfx(c, post, '')}LOG:  aborting any active transactions\n`;
      for (let i = 0; i < sessions; i++) {
        c.ms += 2;
        const [u, d] = users[i % users.length];
        const p = pid();
        text += `${pfx(c, p, `${u}@${d}`)}FATAL:  terminating connection due to administrator command\n`;
        text += `${pfx(c, p, `${u}@${d}`)}LOG:  disconnection: session time: 0:${p2(t.int(60))}:${p2(t.int(60))}.${p3(t.int(1000))} user=${u} database=${d} host=${ip()} port=${30000 + t.int(30000)}\n`;
      }
      text += `${pfx(c, pid(), '')}FATAL:  terminating autovacuum process due to administrator command\n`;
      text += `${pfx(c, post, '')}LOG:  background worker "logical replication launcher" (PID ${pid()}) exited with exit code 1\n`;
      text += `${pfx(c, 41, '')}LOG:  shutting down\n${pfx(c, 41, '')}LOG:  checkpoint starting: shutdown immediate\n`;
      c.ms += 300;
      text += `${pfx(c, 41, '')}LOG:  checkpoint complete: wrote 812 buffers (5.0%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.011 s, sync=0.002 s, total=0.019 s; sync files=31, longest=0.001 s, average=0.001 s; distance=4190 kB, estimate=90000 kB; lsn=2B/10000028, redo lsn=2B/10000028\n`;
      text += `${pfx(c, post, '')}LOG:  database system is shut down\n`;
      c.ms += 1800;
      pidBase = 60000;
      const post2 = 913;
      text += `${pfx(c, post2, '')}LOG:  starting PostgreSQL 16.4 (Debian 16.4-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit\n`;
      text += `${pfx(c, post2, '')}LOG:  listening on IPv4 address "0.0.0.0", port 5432\n${pfx(c, post2, '')}LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"\n`;
      text += `${pfx(c, 915, '')}LOG:  database system was shut down at ${c.pg().slice(0, 19)} UTC\n${pfx(c, post2, '')}LOG:  database system is ready to accept connections\n`;
      return { text, incidents: sessions };
    },
  };
}

/**
 * PgBouncer log: logins, server connections, normal closes and stats every minute; now and then a
 * crash burst (PostgreSQL went away under the pooler: every server link reports `server conn
 * crashed?`, the clients using them are closed with the same reason and get a pooler error, then
 * logins fail until the server is back).
 */
function pgbouncerShape(rng) {
  const t = tools(rng);
  const conn = (kind, db, user, host, port) => `${kind}-0x55d0c${t.hex(7)}: ${db}/${user}@${host}:${port}`;
  const pfx = (c, level) => `${c.pg()} [1187] ${level} `;
  const client = () => conn('C', t.pick(['warehouse', 'shop']), t.pick(['etl', 'app', 'dbt']), `10.0.3.${2 + t.int(250)}`, 30000 + t.int(30000));
  const server = () => conn('S', t.pick(['warehouse', 'shop']), t.pick(['etl', 'app', 'dbt']), '10.0.1.5', 5432);
  let lastStats = 0;
  return {
    stepMs: 30,
    noise(c) {
      if (c.ms - lastStats >= 60_000) {
        lastStats = c.ms;
        return `${pfx(c, 'LOG')}stats: ${t.int(400)} xacts/s, ${t.int(2000)} queries/s, ${t.int(40)} client parses/s, 0 server parses/s, 0 binds/s, in ${t.int(900000)} B/s, out ${t.int(9000000)} B/s, xact ${t.int(90000)} us, query ${t.int(9000)} us, wait ${t.int(900)} us\n`;
      }
      const r = t.int(100);
      if (r < 30) return `${pfx(c, 'LOG')}${client()} login attempt: db=${t.pick(['warehouse', 'shop'])} user=${t.pick(['etl', 'app', 'dbt'])} tls=TLSv1.3/TLS_AES_256_GCM_SHA384/ECDH=X25519\n`;
      if (r < 60) return `${pfx(c, 'LOG')}${client()} closing because: client close request (age=${t.int(900)}s)\n`;
      if (r < 72) return `${pfx(c, 'LOG')}${server()} new connection to server (from 10.0.2.4:${30000 + t.int(30000)})\n`;
      if (r < 82) return `${pfx(c, 'LOG')}${server()} closing because: server idle timeout (age=${600 + t.int(60)}s)\n`;
      if (r < 90) return `${pfx(c, 'LOG')}${server()} closing because: server lifetime over (age=${3600 + t.int(60)}s)\n`;
      if (r < 96) return `${pfx(c, 'LOG')}${client()} closing because: client unexpected eof (age=${t.int(9000)}s)\n`;
      return `${pfx(c, 'LOG')}${server()} SSL established: TLSv1.3/TLS_AES_256_GCM_SHA384/ECDH=X25519\n`;
    },
    incident(n, c) {
      const cut = 3 + (n % 4);
      let text = '';
      for (let i = 0; i < cut; i++) {
        c.ms += 1;
        text += `${pfx(c, 'LOG')}${server()} closing because: server conn crashed? (age=${t.int(9000)}s)\n`;
        const cl = client();
        text += `${pfx(c, 'LOG')}${cl} closing because: server conn crashed? (age=${t.int(9000)}s)\n`;
        text += `${pfx(c, 'WARNING')}${cl} pooler error: server conn crashed?\n`;
      }
      for (let i = 0; i < 3; i++) {
        c.ms += 400;
        text += `${pfx(c, 'LOG')}${server()} closing because: connect failed (age=0s)\n`;
        text += `${pfx(c, 'LOG')}${client()} closing because: server login has been failing, cached error: the database system is starting up (server_login_retry) (age=0s)\n`;
      }
      // Alone, the pooler's view makes one incident per client session it ended (README).
      return { text, incidents: cut, sessionsCut: cut };
    },
  };
}

/**
 * dbt.log (file log, debug level) of invocations over 600 models on 8 threads whose lines
 * interleave. A failed model logs the adapter's debug error, its ERROR result line, and the
 * "Database Error in model" block again in the run summary: one incident per failed model.
 * Invocations are two hours apart, so the same model failing twice is two incidents.
 */
function dbtShape(rng) {
  const t = tools(rng);
  const MODELS = 600;
  const THREADS = 8;
  let inv = null;
  const newInvocation = (c) => {
    c.ms += 2 * 3600_000;
    const failing = new Set();
    const k = 1 + t.int(4);
    while (failing.size < k) failing.add(1 + t.int(MODELS));
    inv = { next: 1, active: [], failing, failed: [], done: false, started: c.ms };
    const head = `\n\n============================== ${c.pg().slice(0, 23)}${p3(t.int(1000))} | ${t.uuid()} ==============================\n`;
    return head + `\x1b[0m${c.dbt(t.int(1000))} [info ] [MainThread]: Running with dbt=1.8.7\n\x1b[0m${c.dbt(t.int(1000))} [debug] [MainThread]: running dbt with arguments {'printer_width': '80', 'log_format': 'default', 'write_json': 'True', 'warn_error': 'None', 'log_path': '/app/logs'}\n\x1b[0m${c.dbt(t.int(1000))} [info ] [MainThread]: Found ${MODELS} models, 1200 data tests, 40 sources, 900 macros\n\x1b[0m${c.dbt(t.int(1000))} [info ] [MainThread]: Concurrency: ${THREADS} threads (target='prod')\n`;
  };
  const modelName = (i) => `${['stg', 'int', 'fct', 'dim'][i % 4]}_${TABLES[i % TABLES.length]}_${p3(i)}`;
  const steps = (i, thread) => {
    const m = modelName(i);
    const node = `model.warehouse.${m}`;
    const fail = inv.failing.has(i);
    const d = (msg) => ['debug', thread, msg];
    const out = [
      ['info ', thread, `${i} of ${MODELS} START sql table model analytics.${m} ${'.'.repeat(20)} [RUN]`],
      d(`Began running node ${node}`),
      d(`Re-using an available connection from the pool (formerly ${node.replace(m, modelName(i + 7))}, now ${node})`),
      d(`Began compiling node ${node}`),
      d(`Writing injected SQL for node "${node}"`),
      d(`Using postgres connection "${node}"`),
      d(`On ${node}: BEGIN`),
      d('Opening a new connection, currently in state closed'),
      d('SQL status: BEGIN in 0.003 seconds'),
      d(`On ${node}: /* {"app": "dbt", "dbt_version": "1.8.7", "profile_name": "warehouse", "target_name": "prod", "node_id": "${node}"} */\n\n  \n    \n\n  create  table "warehouse"."analytics"."${m}__dbt_tmp"\n  \n  \n    as\n  \n  (\n    select o.id, o.customer_id, sum(i.qty * i.price) as amount\n    from "warehouse"."staging"."orders" o join "warehouse"."staging"."order_items" i on i.order_id = o.id\n    group by 1, 2\n  );\n  `),
    ];
    if (fail) {
      const wording = ['SSL SYSCALL error: EOF detected', 'server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.', 'connection already closed'][i % 3];
      inv.failed.push({ m, wording });
      // The failure is counted when its adapter line is written: a run cut off by the end of the
      // log never writes its summary, and its failures are still failures.
      out.push([...d(`Postgres adapter: Postgres error: ${wording}\n`), 'fails'], d(`On ${node}: ROLLBACK`), d(`Failed to rollback '${node}'`), d(`On ${node}: Close`));
      out.push(['error', thread, `${i} of ${MODELS} ERROR creating sql table model analytics.${m} ${'.'.repeat(12)} [\x1b[31mERROR\x1b[0m in ${(rng() * 400).toFixed(2)}s]`]);
    } else {
      out.push(d(`SQL status: SELECT ${t.int(1e6)} in ${(rng() * 30).toFixed(3)} seconds`), d(`On ${node}: COMMIT`), d('SQL status: COMMIT in 0.001 seconds'), d(`Timing info for ${node} (execute): ${c0()} => ${c0()}`), d(`On ${node}: Close`));
      out.push(['info ', thread, `${i} of ${MODELS} OK created sql table model analytics.${m} ${'.'.repeat(12)} [\x1b[32mSELECT ${t.int(1e6)}\x1b[0m in ${(rng() * 30).toFixed(2)}s]`]);
    }
    out.push(d(`Finished running node ${node}`));
    return out;
  };
  let clockRef;
  const c0 = () => clockRef.iso();
  return {
    stepMs: 40,
    noise(c, state) {
      clockRef = c;
      if (!inv || inv.done) return newInvocation(c);
      while (inv.active.length < THREADS && inv.next <= MODELS) {
        // A dbt thread runs one node at a time: take the lowest thread number not busy.
        let n = 1;
        while (inv.active.some((a) => a.th === `Thread-${n} (worker)`)) n++;
        const th = `Thread-${n} (worker)`;
        inv.active.push({ th, steps: steps(inv.next++, th) });
      }
      if (inv.active.length === 0) {
        // Run summary: every failure repeated as a Database Error block.
        inv.done = true;
        const tm = () => `\x1b[0m${c.dbt(t.int(1000))}`;
        let text = `${tm()} [info ] [MainThread]: \n${tm()} [info ] [MainThread]: Finished running ${MODELS} table models in 0 hours 41 minutes and 3.20 seconds (2463.20s).\n`;
        text += `${tm()} [info ] [MainThread]: Completed with ${inv.failed.length} error${inv.failed.length === 1 ? '' : 's'} and 0 warnings:\n`;
        for (const f of inv.failed) {
          text += `${tm()} [info ] [MainThread]: \n${tm()} [error] [MainThread]:   Database Error in model ${f.m} (models/marts/${f.m}.sql)\n  ${f.wording.replace(/\n\t/g, '\n  ')}\n  compiled code at target/run/warehouse/models/marts/${f.m}.sql\n`;
        }
        text += `${tm()} [info ] [MainThread]: \n${tm()} [info ] [MainThread]: Done. PASS=${MODELS - inv.failed.length} WARN=0 ERROR=${inv.failed.length} SKIP=0 TOTAL=${MODELS}\n`;
        return text;
      }
      const k = t.int(inv.active.length);
      const a = inv.active[k];
      const [level, th, msg, fails] = a.steps.shift();
      if (fails) state.pendingIncidents++;
      if (a.steps.length === 0) inv.active.splice(k, 1);
      return `\x1b[0m${c.dbt(t.int(1000))} [${level}] [${th}]: ${msg}\n`;
    },
  };
}

export const SHAPES = {
  busy: { make: busyShape, every: 20_000, title: 'busy Python service log (Celery + SQLAlchemy echo_pool DEBUG + HTTP clients)' },
  mixed: { make: mixedShape, every: 5_000, title: 'mixed pipeline log (Airflow task: pool DEBUG, uploads, dbt output)' },
  server: { make: serverShape, every: 10_000, title: 'PostgreSQL server log (log_connections/disconnections, checkpoints, autovacuum, errors, one restart)' },
  pgbouncer: { make: pgbouncerShape, every: 20_000, title: 'PgBouncer log (login/close chatter, stats, crash bursts)' },
  dbt: { make: dbtShape, every: 0, title: 'dbt.log (debug file log, 600 models on 8 threads per invocation)' },
};

/**
 * Writes one shape through `sink` until `sizeBytes` are written. Incidents are spaced by
 * `every` noise lines (uniformly 0.8-1.2x) and at least 90 s of log time; the dbt shape places
 * its own (failing models per invocation).
 */
export async function generateShape(sink, { shape, sizeBytes, seed = 1, every, start = Date.UTC(2026, 10, 3, 6, 0, 0) }) {
  const spec = SHAPES[shape];
  if (!spec) throw new Error(`unknown shape "${shape}" (known: ${Object.keys(SHAPES).join(', ')})`);
  if (!(sizeBytes > 0)) throw new Error('generateShape: sizeBytes must be > 0');
  const rng = createRng(seed);
  const gen = spec.make(rng, { sizeBytes });
  const c = new Clock(start);
  const state = { bytes: 0, pendingIncidents: 0 };
  const mean = every ?? spec.every;
  const gapLo = Math.round(mean * 0.8);
  const gapHi = Math.round(mean * 1.2);
  const nextGap = () => gapLo + Math.floor(rng() * (gapHi - gapLo + 1));
  let gap = mean ? nextGap() : Infinity;
  let since = 0;
  let lines = 0;
  let incidents = 0;
  let failures = 0;
  let sessionsCut = 0;
  let undefinedIncidents = false;
  const emit = (text) => {
    state.bytes += text.length;
    lines += NL(text);
    sink.push(text);
  };
  const account = (rec) => {
    if (rec.incidents === null) undefinedIncidents = true;
    else incidents += rec.incidents;
    if (rec.sessionsCut) sessionsCut += rec.sessionsCut;
    failures++;
  };
  while (state.bytes < sizeBytes) {
    if (since >= gap) {
      c.ms += 90_000 + Math.floor(rng() * 120_000);
      const rec = gen.incident(failures + 1, c);
      account(rec);
      emit(rec.text);
      c.ms += 1500;
      since = 0;
      gap = nextGap();
    } else {
      c.ms += Math.floor(rng() * 2 * gen.stepMs);
      const out = gen.noise(c, state);
      if (out.restart) {
        c.ms += 60_000;
        const rec = gen.restart(c);
        account(rec);
        emit(rec.text);
        c.ms += 60_000;
      } else emit(out);
      since++;
      if (state.pendingIncidents) {
        incidents += state.pendingIncidents;
        failures += state.pendingIncidents;
        state.pendingIncidents = 0;
      }
    }
    if (sink.full) await sink.flush();
  }
  await sink.flush();
  return {
    shape,
    bytes: state.bytes,
    lines,
    incidents: undefinedIncidents ? null : incidents,
    failures,
    ...(sessionsCut ? { sessionsCut } : {}),
    seed,
    every: mean || null,
    firstTime: new Date(start).toISOString(),
    lastTime: new Date(c.ms).toISOString(),
  };
}

export async function generateShapeFile(file, options) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const stream = fs.createWriteStream(file);
  const stats = await generateShape(new StreamSink(stream), options);
  stream.end();
  await once(stream, 'finish');
  return { file, ...stats };
}

async function cli(argv) {
  const { parseArgs, MB } = await import('./lib.mjs');
  const a = parseArgs(argv, { shape: 'string', size: 'string', out: 'string', seed: 'string', every: 'string', help: 'boolean' });
  if (a.help || !a.out || !a.shape) {
    process.stderr.write(`usage: node bench/shapes.mjs --shape ${Object.keys(SHAPES).join('|')} --size MB --out FILE|- [--seed 1] [--every N]\n`);
    process.exit(a.help ? 0 : 2);
  }
  const options = { shape: a.shape, sizeBytes: Math.round(Number(a.size ?? 10) * MB), seed: Number(a.seed ?? 1), every: a.every ? Number(a.every) : undefined };
  const stats = a.out === '-' ? await generateShape(new StreamSink(process.stdout), options) : await generateShapeFile(a.out, options);
  process.stderr.write(JSON.stringify(stats) + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`shapes: ${error.message}\n`);
    process.exit(2);
  });
}
