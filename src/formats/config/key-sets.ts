/**
 * Which namespace a configuration key belongs to, shared by the line shapes of config.ts and
 * the free-text reading of free-text.ts: the key sets built from config-keys.ts's vocabulary,
 * the PgBouncer names that client libraries reuse, and the file-name rule for keys both servers
 * know.
 */
import { normalizeEntry, PGBOUNCER_KEYS, POOL_KEYS, POSTGRES_KEYS, SQLALCHEMY_KEYS, type Namespace } from './config-keys.js';

export const SERVER_KEYS = new Set([...Object.keys(POSTGRES_KEYS), ...Object.keys(PGBOUNCER_KEYS)]);
export const SQLA_KEYS = new Set([...Object.keys(SQLALCHEMY_KEYS), 'sqlalchemy_pool_recycle', 'sqlalchemy_pool_size',
  'sqlalchemy_pool_timeout', 'sqlalchemy_max_overflow', 'sqlalchemy_pool_pre_ping']);
/** libpq parameters that identify a connection string by themselves. */
export const LIBPQ_DISTINCT = ['keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'tcp_user_timeout', 'connect_timeout'];

/** PgBouncer names also used by client libraries (node-pg `query_timeout`, ...): read only in PgBouncer files. */
export const BOUNCER_GENERIC = new Set([
  'query_timeout', 'stats_period', 'default_pool_size', 'min_pool_size', 'reserve_pool_size', 'reserve_pool_timeout',
  'max_db_connections', 'max_user_connections', 'tcp_keepalive', 'tcp_keepidle', 'tcp_keepintvl', 'tcp_keepcnt',
]);
export const looksLikeBouncerSource = (source: string) => /pgbouncer|\.ini$/i.test(source);

export const uniq = (xs: string[]) => [...new Set(xs)].sort((a, b) => b.length - a.length);

export function isServerKey(key: string): boolean {
  return SERVER_KEYS.has(key.toLowerCase());
}

/** Namespace for a server-side key: pgbouncer-only, postgres-only, or decided by the file name. */
export function serverNamespace(key: string, source: string): Namespace {
  const k = key.toLowerCase();
  const inPg = k in POSTGRES_KEYS;
  const inBouncer = k in PGBOUNCER_KEYS;
  if (inBouncer && !inPg) return 'pgbouncer';
  if (inPg && !inBouncer) return 'postgres';
  return looksLikeBouncerSource(source) ? 'pgbouncer' : 'postgres';
}

export function put(out: Record<string, string>, ns: Namespace, key: string, value: string): void {
  const entry = normalizeEntry(ns, key, value);
  if (entry) out[entry[0]] = entry[1];
}

/** A key of SQLAlchemy, of a client pool or of a server, under its namespace. */
export function putSetting(out: Record<string, string>, key: string, value: string, source: string): void {
  if (SQLA_KEYS.has(key)) put(out, 'sqlalchemy', key, value);
  else if (key in POOL_KEYS) put(out, 'pool', key, value);
  else put(out, serverNamespace(key, source), key, value);
}
