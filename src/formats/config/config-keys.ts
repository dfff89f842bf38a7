/**
 * Known configuration keys and value normalization, shared by the `config` format, the server
 * formats (`parameter "x" changed to "y"`) and PgBouncer startup lines.
 *
 * Normalized keys are namespaced by the system that reads them:
 *   postgres.<guc>         server settings (postgresql.conf, SHOW, pg_settings, Patroni YAML)
 *   pgbouncer.<setting>    pgbouncer.ini / SHOW CONFIG
 *   sqlalchemy.<param>     create_engine() keyword arguments
 *   libpq.<param>          libpq connection-string / URL parameters and psycopg connect kwargs
 *   dbt.<field>            dbt-postgres profile fields
 *   npgsql.<keyword>       Npgsql connection-string keywords (snake_cased)
 *   odbc.<keyword>         psqlODBC connection-string keywords (snake_cased)
 * Durations are converted to seconds (decimal string); booleans to `true`/`false`; everything
 * else is kept as written (quotes removed). Passwords are never copied: only listed keys are.
 */

export type Namespace = 'postgres' | 'pgbouncer' | 'sqlalchemy' | 'libpq' | 'dbt' | 'npgsql' | 'odbc' | 'pool';
/** `ms`/`s`/`min`: a duration whose bare numbers are in that unit; `bool`; `count`; `raw`. */
export type ValueKind = 'us' | 'ms' | 's' | 'min' | 'bool' | 'count' | 'raw';

export const POSTGRES_KEYS: Record<string, ValueKind> = {
  idle_in_transaction_session_timeout: 'ms',
  idle_session_timeout: 'ms',
  statement_timeout: 'ms',
  transaction_timeout: 'ms',
  lock_timeout: 'ms',
  tcp_keepalives_idle: 's',
  tcp_keepalives_interval: 's',
  tcp_keepalives_count: 'count',
  tcp_user_timeout: 'ms',
  client_connection_check_interval: 'ms',
  authentication_timeout: 's',
  max_connections: 'count',
  superuser_reserved_connections: 'count',
  reserved_connections: 'count',
  restart_after_crash: 'bool',
  log_connections: 'raw',
  log_disconnections: 'bool',
  log_line_prefix: 'raw',
  log_destination: 'raw',
  log_timezone: 'raw',
  log_error_verbosity: 'raw',
  log_min_duration_statement: 'ms',
};

export const PGBOUNCER_KEYS: Record<string, ValueKind> = {
  pool_mode: 'raw',
  server_idle_timeout: 's',
  server_lifetime: 's',
  client_idle_timeout: 's',
  idle_transaction_timeout: 's',
  transaction_timeout: 's',
  query_timeout: 's',
  query_wait_timeout: 's',
  client_login_timeout: 's',
  server_connect_timeout: 's',
  server_login_retry: 's',
  server_check_delay: 's',
  server_check_query: 'raw',
  server_reset_query: 'raw',
  server_reset_query_always: 'bool',
  server_fast_close: 'bool',
  max_prepared_statements: 'count',
  default_pool_size: 'count',
  min_pool_size: 'count',
  reserve_pool_size: 'count',
  reserve_pool_timeout: 's',
  max_client_conn: 'count',
  max_db_connections: 'count',
  max_user_connections: 'count',
  tcp_keepalive: 'bool',
  tcp_keepidle: 's',
  tcp_keepintvl: 's',
  tcp_keepcnt: 'count',
  tcp_user_timeout: 'ms',
  log_connections: 'bool',
  log_disconnections: 'bool',
  log_pooler_errors: 'bool',
  stats_period: 's',
};

export const SQLALCHEMY_KEYS: Record<string, ValueKind> = {
  pool_recycle: 's',
  pool_pre_ping: 'bool',
  pool_size: 'count',
  max_overflow: 'count',
  pool_timeout: 's',
  pool_use_lifo: 'bool',
  pool_reset_on_return: 'raw',
  poolclass: 'raw',
  isolation_level: 'raw',
};

/** Flask-SQLAlchemy spellings of the same parameters. */
const SQLALCHEMY_ALIASES: Record<string, string> = {
  sqlalchemy_pool_recycle: 'pool_recycle',
  sqlalchemy_pool_size: 'pool_size',
  sqlalchemy_pool_timeout: 'pool_timeout',
  sqlalchemy_max_overflow: 'max_overflow',
  sqlalchemy_pool_pre_ping: 'pool_pre_ping',
};

export const LIBPQ_KEYS: Record<string, ValueKind> = {
  keepalives: 'bool',
  keepalives_idle: 's',
  keepalives_interval: 's',
  keepalives_count: 'count',
  tcp_user_timeout: 'ms',
  connect_timeout: 's',
  sslmode: 'raw',
  target_session_attrs: 'raw',
  application_name: 'raw',
  host: 'raw',
  hostaddr: 'raw',
  port: 'raw',
  dbname: 'raw',
  user: 'raw',
};

export const DBT_KEYS: Record<string, ValueKind> = {
  keepalives_idle: 's',
  connect_timeout: 's',
  retries: 'count',
  threads: 'count',
};

/** Npgsql keywords, keyed by lower-case name without spaces. */
export const NPGSQL_KEYS: Record<string, [string, ValueKind]> = {
  keepalive: ['keepalive', 's'],
  tcpkeepalive: ['tcp_keepalive', 'bool'],
  tcpkeepalivetime: ['tcp_keepalive_time', 's'],
  tcpkeepaliveinterval: ['tcp_keepalive_interval', 's'],
  connectionidlelifetime: ['connection_idle_lifetime', 's'],
  connectionlifetime: ['connection_lifetime', 's'],
  loadbalancetimeout: ['connection_lifetime', 's'],
  commandtimeout: ['command_timeout', 's'],
  timeout: ['timeout', 's'],
  pooling: ['pooling', 'bool'],
  maxpoolsize: ['max_pool_size', 'count'],
  maximumpoolsize: ['max_pool_size', 'count'],
  minpoolsize: ['min_pool_size', 'count'],
  minimumpoolsize: ['min_pool_size', 'count'],
};

/** psqlODBC keywords, keyed by lower-case name without spaces. */
export const ODBC_KEYS: Record<string, [string, ValueKind]> = {
  keepalivetime: ['keepalive_time', 's'],
  keepaliveinterval: ['keepalive_interval', 's'],
  keepalive: ['keepalive', 'bool'],
  connsettings: ['conn_settings', 'raw'],
  timeout: ['timeout', 's'],
};

/**
 * Client pool settings of other libraries, keyed lower-case: node-postgres `idleTimeoutMillis`,
 * HikariCP `maxLifetime`/`idleTimeout` (ms), psycopg_pool `max_idle`/`max_lifetime` (s).
 */
export const POOL_KEYS: Record<string, ValueKind> = {
  idletimeoutmillis: 'ms',
  maxlifetime: 'ms',
  max_idle: 's',
  max_lifetime: 's',
};

const TABLES: Record<Namespace, Record<string, ValueKind>> = {
  pool: POOL_KEYS,
  postgres: POSTGRES_KEYS,
  pgbouncer: PGBOUNCER_KEYS,
  sqlalchemy: SQLALCHEMY_KEYS,
  libpq: LIBPQ_KEYS,
  dbt: DBT_KEYS,
  npgsql: {},
  odbc: {},
};

const UNIT_SECONDS: Record<string, number> = {
  us: 1e-6,
  ms: 0.001,
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
};

/**
 * A duration as PostgreSQL and most tools write it (`10min`, `500ms`, `'1 h'`, `30`) to seconds.
 * Bare numbers are read in `bareUnit` (the parameter's own unit). Negative numbers (the usual
 * "disabled" marker, e.g. SQLAlchemy `pool_recycle=-1`) are returned unchanged.
 */
export function normalizeDuration(text: string, bareUnit: 'us' | 'ms' | 's' | 'min' = 's'): number | undefined {
  const m = /^\s*['"]?\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*([A-Za-z]*)\s*['"]?\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return undefined;
  if (n < 0) return n;
  const unit = m[2] ? m[2].toLowerCase() : bareUnit;
  const factor = UNIT_SECONDS[unit];
  if (factor === undefined) return undefined;
  return round6(n * factor);
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** Strip surrounding quotes (text inside quotes is kept exactly, e.g. a prefix's trailing space). */
function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v[0] === "'" && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  if (v.length >= 2 && v[0] === '"' && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

const TRUE_WORDS = new Set(['on', 'true', 'yes', '1', 't', 'y']);
const FALSE_WORDS = new Set(['off', 'false', 'no', '0', 'f', 'n', 'none']);

export function normalizeValue(value: string, kind: ValueKind): string {
  const raw = unquote(value);
  switch (kind) {
    case 'us':
    case 'ms':
    case 's':
    case 'min': {
      const secs = normalizeDuration(raw, kind);
      return secs === undefined ? raw : String(secs);
    }
    case 'bool': {
      const w = raw.toLowerCase();
      if (TRUE_WORDS.has(w)) return 'true';
      if (FALSE_WORDS.has(w)) return 'false';
      return raw;
    }
    default:
      return raw;
  }
}

/** Is `key` (lower case) a known key of `ns`? */
export function isKnownKey(ns: Namespace, key: string): boolean {
  if (ns === 'npgsql') return key.replace(/[\s_]/g, '') in NPGSQL_KEYS;
  if (ns === 'odbc') return key.replace(/[\s_]/g, '') in ODBC_KEYS;
  if (ns === 'sqlalchemy' && key in SQLALCHEMY_ALIASES) return true;
  return  Object.hasOwn(TABLES[ns], key);
}

/** Normalize one key/value of a namespace; undefined when the key is not a known one. */
export function normalizeEntry(ns: Namespace, key: string, value: string): [string, string] | undefined {
  const k = key.trim().toLowerCase();
  if (ns === 'npgsql' || ns === 'odbc') {
    const table = ns === 'npgsql' ? NPGSQL_KEYS : ODBC_KEYS;
    const hit = table[k.replace(/[\s_]/g, '')];
    if (!hit) return undefined;
    const normalized = normalizeValue(value, hit[1]);
    if (!isPlausible(normalized, hit[1])) return undefined;
    return [`${ns}.${hit[0]}`, normalized];
  }
  const name = ns === 'sqlalchemy' ? (SQLALCHEMY_ALIASES[k] ?? k) : k;
  const table = TABLES[ns];
  if (!Object.hasOwn(table, name)) return undefined;
  const kind = table[name];
  const normalized = normalizeValue(value, kind);
  if (!isPlausible(normalized, kind)) return undefined;
  return [`${ns}.${name}`, normalized];
}

/** Drop values that cannot be a setting of that kind (e.g. `statement_timeout: false` in a JS object dump). */
function isPlausible(value: string, kind: ValueKind): boolean {
  if (value === '' || /^(?:undefined|null|none|nil)$/i.test(value)) return false;
  if (kind === 'us' || kind === 'ms' || kind === 's' || kind === 'min') return normalizeDuration(value, kind) !== undefined;
  if (kind === 'count') return /^-?\d+$/.test(value);
  return true;
}

/** Normalize a list of key/value pairs; unknown keys are dropped. */
export function configFromPairs(ns: Namespace, pairs: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) {
    const entry = normalizeEntry(ns, k, v);
    if (entry) out[entry[0]] = entry[1];
  }
  return out;
}
