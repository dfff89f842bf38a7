// Deterministic generator of large mixed data-pipeline logs with 08003-family incidents at a
// known rate. Output is streamed (1 MiB chunks with back-pressure, or one small file at a time
// for the tree variant); the whole log is never held in memory.
//
//   node bench/generate.mjs --size 100 --out /tmp/mixed.log [--seed 1] [--every 1000]
//   node bench/generate.mjs --size 100 --tree /tmp/tree --files 10000
//   node bench/generate.mjs --size 5 --out -            (to stdout)
//
// Returns / prints { bytes, lines, incidents, incidentsByKind, ... }: `incidents` is the exact
// number of incidents written. Every incident is a complete failure record of one of three
// kinds, in rotation:
//   a) python-sqlalchemy: a Python logging ERROR line followed by a SQLAlchemy traceback;
//   b) dbt: "Database Error in model ..." block with "  connection does not exist";
//   c) adf: an "Activity failed: ... Error [08003] connection does not exist ..." line.
// Each incident has its own identity (batch number, model name or activity name), its time is
// 21-40 s after the previous one's and it is at least 60 lines from the previous one, with
// noise in between (never two incidents adjacent). Noise never contains 08003-family text.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';

/** sfc32: small, fast, seedable PRNG. */
export function createRng(seed = 1) {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 + seed * 7919;
  let c = 0xb7e15162 ^ (seed * 104729);
  let d = 1;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 20; i++) next();
  return next;
}

const pad2 = (n) => (n < 10 ? '0' + n : '' + n);
const pad3 = (n) => (n < 10 ? '00' + n : n < 100 ? '0' + n : '' + n);
const pad6 = (n) => String(n).padStart(6, '0');

/** Log clock with cached per-second formatting (the hot path of the generator). */
class Clock {
  constructor(startMs) {
    this.ms = startMs;
    this.sec = -1;
  }
  refresh() {
    const sec = Math.floor(this.ms / 1000);
    if (sec === this.sec) return;
    this.sec = sec;
    const d = new Date(sec * 1000);
    this.day = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
    this.tod = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  }
  get millis() {
    return pad3(this.ms % 1000);
  }
  /** 2024-05-01 02:00:00,123 (Python logging) */
  py() {
    this.refresh();
    return `${this.day} ${this.tod},${this.millis}`;
  }
  /** 2024-05-01 02:00:00.123 UTC (PostgreSQL %m, PgBouncer) */
  pg() {
    this.refresh();
    return `${this.day} ${this.tod}.${this.millis} UTC`;
  }
  /** 02:00:00 (dbt console) */
  dbt() {
    this.refresh();
    return this.tod;
  }
  /** 2024-05-01T02:00:00.123Z (ADF JSON) */
  iso(offsetMs = 0) {
    return new Date(this.ms + offsetMs).toISOString();
  }
}

const TABLES = ['staging.orders', 'staging.customers', 'staging.payments', 'staging.shipments', 'staging.events', 'raw.api_orders', 'raw.inventory', 'staging.refunds'];
const APP_LOGGERS = ['etl.load', 'etl.extract', 'etl.transform', 'etl.scheduler', 'etl.quality'];
const MODELS = ['marts.fact_orders', 'marts.dim_customers', 'marts.fact_payments', 'staging.stg_orders', 'staging.stg_events', 'marts.dim_products', 'intermediate.int_order_items', 'marts.fact_shipments'];
const ENDPOINTS = ['/v2/orders', '/v2/customers', '/v1/inventory', '/v2/payments'];
const PG_USERS = [
  ['etl', 'warehouse'],
  ['dbt', 'warehouse'],
  ['adf', 'warehouse'],
  ['reporting', 'analytics'],
];
const APPS = ['psql', 'dbt', 'etl-loader', 'adf-copy', 'metabase'];
const STATEMENTS = [
  'SELECT id, updated_at FROM staging.orders WHERE updated_at > $1',
  'INSERT INTO staging.orders (id, amount) VALUES ($1, $2)',
  'SELECT count(*) FROM marts.fact_orders',
  'UPDATE staging.customers SET last_seen = now() WHERE id = $1',
  'COPY raw.api_orders FROM STDIN WITH (FORMAT csv)',
  'DELETE FROM staging.events WHERE event_date < $1',
];

function hex(rng, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[(rng() * 16) | 0];
  return s;
}

function uuid(rng) {
  return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-a${hex(rng, 3)}-${hex(rng, 12)}`;
}

/** One noise line (no 08003-family text, no failure text), with its trailing newline. */
function noiseLine(rng, clock, state) {
  const r = rng();
  const int = (n) => (rng() * n) | 0;
  const pick = (arr) => arr[(rng() * arr.length) | 0];
  if (r < 0.3) {
    // Python logging application lines
    const t = clock.py();
    const k = int(8);
    state.batch++;
    switch (k) {
      case 0:
      case 1:
        return `${t} INFO etl.load: inserted ${100 + int(900)} rows into ${pick(TABLES)} (batch ${state.batch})\n`;
      case 2:
        return `${t} INFO etl.extract: fetched ${int(5000)} rows from api ${pick(ENDPOINTS)} page ${1 + int(40)}\n`;
      case 3:
        return `${t} DEBUG etl.transform: normalized ${int(2000)} records in ${(rng() * 2).toFixed(3)}s\n`;
      case 4:
        return `${t} INFO etl.load: committed batch ${state.batch} into ${pick(TABLES)} (${int(1000)} rows, ${(rng() * 3).toFixed(2)}s)\n`;
      case 5:
        return `${t} WARNING etl.extract: api ${pick(ENDPOINTS)} answered slowly (${(1 + rng() * 4).toFixed(1)}s), continuing\n`;
      case 6:
        return `${t} INFO etl.scheduler: job ${pick(['orders_hourly', 'customers_daily', 'payments_sync'])} run ${state.batch} heartbeat ok\n`;
      default:
        return `${t} INFO ${pick(APP_LOGGERS)}: checkpoint saved for ${pick(TABLES)} at offset ${int(1e7)}\n`;
    }
  }
  if (r < 0.5) {
    // SQLAlchemy pool / engine lines (Python logging format)
    const t = clock.py();
    const addr = `0x7f${hex(rng, 10)}`;
    const conn = `<connection object at ${addr}; dsn: 'user=etl dbname=warehouse host=10.0.0.5', closed: 0>`;
    switch (int(7)) {
      case 0:
        return `${t} DEBUG sqlalchemy.pool.impl.QueuePool: Connection ${conn} checked out from pool\n`;
      case 1:
        return `${t} DEBUG sqlalchemy.pool.impl.QueuePool: Connection ${conn} being returned to pool\n`;
      case 2:
        return `${t} DEBUG sqlalchemy.pool.impl.QueuePool: Connection ${conn} rollback-on-return\n`;
      case 3:
        return `${t} DEBUG sqlalchemy.pool.impl.QueuePool: Created new connection ${conn}\n`;
      case 4:
        return `${t} INFO sqlalchemy.engine.Engine: BEGIN (implicit)\n`;
      case 5:
        return `${t} INFO sqlalchemy.engine.Engine: [cached since ${(rng() * 600).toFixed(1)}s ago] {'id': ${int(1e6)}, 'amount': ${(rng() * 1000).toFixed(2)}}\n`;
      default:
        return `${t} INFO sqlalchemy.engine.Engine: COMMIT\n`;
    }
  }
  if (r < 0.6) {
    // dbt console lines
    const t = clock.dbt();
    const total = 40;
    const i = 1 + (state.dbtStep++ % total);
    const model = MODELS[i % MODELS.length];
    switch (int(4)) {
      case 0:
        return `${t}  ${i} of ${total} START sql table model ${model} ${'.'.repeat(20 + int(10))} [RUN]\n`;
      case 1:
        return `${t}  ${i} of ${total} OK created sql table model ${model} ${'.'.repeat(20 + int(10))} [SELECT ${int(100000)} in ${(rng() * 9).toFixed(2)}s]\n`;
      case 2:
        return `${t}  ${i} of ${total} OK created sql view model ${model} ${'.'.repeat(20 + int(10))} [CREATE VIEW in ${(rng() * 2).toFixed(2)}s]\n`;
      default:
        return `${t}  Concurrency: 4 threads (target='prod')\n`;
    }
  }
  if (r < 0.65) {
    // ADF-style monitor JSON, a succeeded activity run
    const start = clock.iso(-int(300000));
    const end = clock.iso();
    const act = pick(['CopyData_orders', 'CopyData_customers', 'Lookup_watermark', 'StoredProc_merge']);
    const rows = int(100000);
    return `{"activityName":"${act}","activityRunId":"${uuid(rng)}","activityType":"Copy","pipelineName":"pl_ingest_postgres","pipelineRunId":"${uuid(rng)}","status":"Succeeded","activityRunStart":"${start}","activityRunEnd":"${end}","durationInMs":${int(300000)},"input":{"source":{"type":"OdbcSource"}},"output":{"rowsRead":${rows},"rowsCopied":${rows},"copyDuration":${int(300)}},"error":{"errorCode":"","message":"","failureType":"","target":"${act}"}}\n`;
  }
  if (r < 0.9) {
    // PostgreSQL stderr, log_line_prefix '%m [%p] %q%u@%d '
    const t = clock.pg();
    const pid = 1000 + int(60000);
    const [user, db] = pick(PG_USERS);
    switch (int(7)) {
      case 0:
        return `${t} [${pid}] ${user}@${db} LOG:  connection authorized: user=${user} database=${db} application_name=${pick(APPS)}\n`;
      case 1:
        return `${t} [${pid}] ${user}@${db} LOG:  disconnection: session time: 0:0${int(10)}:${pad2(int(60))}.${pad3(int(1000))} user=${user} database=${db} host=10.0.0.${2 + int(200)} port=${30000 + int(30000)}\n`;
      case 2:
        return `${t} [${pid}] [unknown]@[unknown] LOG:  connection received: host=10.0.0.${2 + int(200)} port=${30000 + int(30000)}\n`;
      case 3:
        return `${t} [31] LOG:  checkpoint starting: time\n`;
      case 4:
        return `${t} [31] LOG:  checkpoint complete: wrote ${int(5000)} buffers (${(rng() * 10).toFixed(1)}%); 0 WAL file(s) added, 0 removed, ${int(4)} recycled; write=${(rng() * 200).toFixed(3)} s, sync=0.0${int(90)} s, total=${(rng() * 200).toFixed(3)} s; sync files=${int(80)}, longest=0.00${int(9)} s, average=0.001 s; distance=${int(90000)} kB, estimate=${int(90000)} kB\n`;
      default:
        return `${t} [${pid}] ${user}@${db} LOG:  duration: ${(rng() * 500).toFixed(3)} ms  statement: ${pick(STATEMENTS)}\n`;
    }
  }
  // PgBouncer
  const t = clock.pg();
  if (rng() < 0.6) {
    return `${t} [1187] LOG stats: ${int(200)} xacts/s, ${int(900)} queries/s, in ${int(90000)} B/s, out ${int(900000)} B/s, xact ${int(9000)} us, query ${int(3000)} us, wait ${int(500)} us\n`;
  }
  return `${t} [1187] LOG C-0x55d0c8${hex(rng, 4)}: warehouse/etl@10.0.0.${2 + int(200)}:${30000 + int(30000)} login attempt: db=warehouse user=etl tls=no\n`;
}

/** One complete incident record (several lines), kind rotating a -> b -> c. */
function incidentRecord(n, clock, rng) {
  const id = pad6(n);
  const kind = (n - 1) % 3;
  if (kind === 0) {
    // a) Python logging ERROR + SQLAlchemy traceback; the driver wording rotates too.
    const batch = 900000 + n;
    const table = TABLES[n % TABLES.length];
    const variant = Math.floor((n - 1) / 3) % 3;
    const t = clock.py();
    const head = `${t} ERROR etl.load: batch ${batch} failed\nTraceback (most recent call last):\n  File "/app/etl/load.py", line 88, in load_batch\n    conn.execute(stmt, rows)\n  File "/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py", line 1412, in execute\n    return meth(\n`;
    const sql = `\n[SQL: INSERT INTO ${table} (id, amount) VALUES (%(id)s, %(amount)s)]\n[parameters: {'id': ${batch}, 'amount': ${(rng() * 1000).toFixed(2)}}]\n(Background on this error at: https://sqlalche.me/e/14/e3q8)\n`;
    if (variant === 0) {
      return { kind: 'python-sqlalchemy', text: `${head}sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.\n${sql}` };
    }
    if (variant === 1) {
      return { kind: 'python-sqlalchemy', text: `${head}sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) SSL connection has been closed unexpectedly\n${sql}` };
    }
    return { kind: 'python-sqlalchemy', text: `${head}sqlalchemy.exc.InterfaceError: (psycopg2.InterfaceError) connection already closed\n${sql}` };
  }
  if (kind === 1) {
    // b) dbt console error block
    const model = `fact_orders_i${id}`;
    const t = clock.dbt();
    return {
      kind: 'dbt',
      text: `${t}  Database Error in model ${model} (models/marts/${model}.sql)\n  connection does not exist\n  compiled Code at target/compiled/marts/${model}.sql\n`,
    };
  }
  // c) ADF activity failure, pipe-separated
  const secs = 30 + (n % 300);
  const dur = `00:${pad2(Math.floor(secs / 60))}:${pad2(secs % 60)}`;
  return {
    kind: 'adf',
    text: `Activity failed: CopyData_i${id} | ErrorCode: UserErrorOdbcOperationFailed | Message: ODBC Source, Error [08003] connection does not exist | Pipeline: pl_ingest_postgres | Duration: ${dur}\n`,
  };
}

export const DEFAULTS = {
  seed: 1,
  /** Mean noise lines between two incidents (the "rate": about one incident per this many lines). */
  every: 1000,
  start: Date.UTC(2024, 4, 1, 2, 0, 0),
};

/** Minimum noise lines between two incidents, whatever `every` says. */
const MIN_GAP = 60;

/**
 * Writes records through `sink` until `sizeBytes` are written (the last record may overshoot by
 * one record). `sink.push(text)` takes a record (always ends with \n, ASCII only), and when
 * `sink.full` is true the generator awaits `sink.flush()`.
 */
export async function generate(sink, { sizeBytes, seed = DEFAULTS.seed, every = DEFAULTS.every, start = DEFAULTS.start } = {}) {
  if (!(sizeBytes > 0)) throw new Error('generate: sizeBytes must be > 0');
  const rng = createRng(seed);
  const clock = new Clock(start);
  const state = { batch: 0, dbtStep: 0 };
  const gapLo = Math.max(MIN_GAP, Math.round(every * 0.8));
  const gapHi = Math.max(gapLo, Math.round(every * 1.2));
  const nextGap = () => gapLo + Math.floor(rng() * (gapHi - gapLo + 1));
  // Noise line clock step: about 20 ms per line on average, never backwards.
  const stepMax = 40;
  let bytes = 0;
  let lines = 0;
  let incidents = 0;
  const byKind = { 'python-sqlalchemy': 0, dbt: 0, adf: 0 };
  let gap = nextGap();
  let sinceIncident = 0;
  while (bytes < sizeBytes) {
    let text;
    if (sinceIncident >= gap) {
      clock.ms += 21_000 + Math.floor(rng() * 19_000);
      const rec = incidentRecord(incidents + 1, clock, rng);
      text = rec.text;
      incidents++;
      byKind[rec.kind]++;
      sinceIncident = 0;
      gap = nextGap();
      // Lines after the incident are a little later, so no noise shares its second.
      clock.ms += 1000;
      let nl = 0;
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) nl++;
      lines += nl;
    } else {
      clock.ms += Math.floor(rng() * stepMax);
      text = noiseLine(rng, clock, state);
      sinceIncident++;
      lines++;
    }
    bytes += text.length;
    sink.push(text);
    if (sink.full) await sink.flush();
  }
  await sink.flush();
  return {
    bytes,
    lines,
    incidents,
    incidentsByKind: byKind,
    seed,
    every,
    firstTime: new Date(start).toISOString(),
    lastTime: new Date(clock.ms).toISOString(),
  };
}

const CHUNK = 1 << 20;

/** Buffers records into ~1 MiB chunks and writes them to a Writable, honouring back-pressure. */
export class StreamSink {
  constructor(stream) {
    this.stream = stream;
    this.parts = [];
    this.size = 0;
  }
  push(text) {
    this.parts.push(text);
    this.size += text.length;
  }
  get full() {
    return this.size >= CHUNK;
  }
  async flush() {
    if (!this.size) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}

/**
 * Splits the same record stream over `files` small files (records are never split, so every
 * incident stays whole in one file): DIR/d000/f00000.log ... 100 files per sub-directory.
 */
export class TreeSink {
  constructor(dir, { files, sizeBytes }) {
    this.dir = dir;
    this.files = files;
    this.perFile = sizeBytes / files;
    this.index = 0;
    this.total = 0;
    this.parts = [];
    this.written = 0;
    fs.mkdirSync(dir, { recursive: true });
  }
  fileName(i) {
    return path.join(this.dir, `d${String(Math.floor(i / 100)).padStart(3, '0')}`, `f${String(i).padStart(5, '0')}.log`);
  }
  writeCurrent() {
    const file = this.fileName(this.index);
    if (this.index % 100 === 0 || !fs.existsSync(path.dirname(file))) fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, this.parts.join(''));
    this.parts = [];
    this.written++;
  }
  push(text) {
    this.parts.push(text);
    this.total += text.length;
    while (this.index < this.files - 1 && this.total >= (this.index + 1) * this.perFile) {
      this.writeCurrent();
      this.index++;
    }
  }
  get full() {
    return false;
  }
  async flush() {}
  finish() {
    // The last file takes the rest; files the stream never reached are written empty.
    while (this.index < this.files) {
      this.writeCurrent();
      this.index++;
    }
    return this.written;
  }
}

/** Generates one log file; resolves to the stats (incidents = exact count written). */
export async function generateFile(file, options) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const stream = fs.createWriteStream(file);
  const stats = await generate(new StreamSink(stream), options);
  stream.end();
  await once(stream, 'finish');
  return { file, ...stats };
}

/** Generates the same content as generateFile with the same options, split into `files` files. */
export async function generateTree(dir, { files = 10_000, ...options }) {
  const sink = new TreeSink(dir, { files, sizeBytes: options.sizeBytes });
  const stats = await generate(sink, options);
  const written = sink.finish();
  return { dir, files: written, ...stats };
}

async function cli(argv) {
  const { parseArgs, MB } = await import('./lib.mjs');
  const a = parseArgs(argv, { size: 'string', out: 'string', tree: 'string', files: 'string', seed: 'string', every: 'string', help: 'boolean' });
  if (a.help || (!a.out && !a.tree)) {
    process.stderr.write('usage: node bench/generate.mjs --size MB (--out FILE|- | --tree DIR [--files 10000]) [--seed 1] [--every 1000]\n');
    process.exit(a.help ? 0 : 2);
  }
  const options = {
    sizeBytes: Math.round(Number(a.size ?? 10) * MB),
    seed: Number(a.seed ?? DEFAULTS.seed),
    every: Number(a.every ?? DEFAULTS.every),
  };
  let stats;
  if (a.tree) stats = await generateTree(a.tree, { files: Number(a.files ?? 10_000), ...options });
  else if (a.out === '-') {
    stats = await generate(new StreamSink(process.stdout), options);
  } else stats = await generateFile(a.out, options);
  process.stderr.write(JSON.stringify(stats) + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`generate: ${error.message}\n`);
    process.exit(2);
  });
}
