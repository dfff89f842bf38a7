/**
 * The pool-managed fact: does a connection pool (in the application, the orchestrator or a
 * pooler) hold the connections of this case? Any pool's own wording or setting says yes; it
 * decides between a server idle limit hitting a script's lone connection and a pool keeping
 * connections longer than the server allows.
 */
import type { LogEvent } from '../events.js';

/** Wording only a pool writes, per pool. Matched case-sensitively on the record's first lines. */
const POOL_WORDING: Array<[pool: string, re: RegExp]> = [
  ['sqlalchemy', /\bsqlalchemy\.pool\b|\bQueuePool\b|\b(?:checked out from|returned to|being returned to) pool\b/],
  ['hikaricp', /\bHikariPool-\d+\b|\bHikariCP\b|\bFailed to validate connection\b/],
  ['pg-pool', /\bpool error on idle client\b|\bidle client error\b|\bpg-pool\b/],
  ['psycopg_pool', /\bpsycopg(?:_pool|\.pool)\b/],
  ['asyncpg', /\basyncpg\.pool\b|\bcreate_pool\(/],
  ['npgsql', /\bNpgsql\b[^\n]{0,80}\bpool/i],
  ['dbt', /\bRe-using an available connection from the pool\b/],
  ['django', /\bCONN_MAX_AGE\s*[=:]\s*(?:[1-9]|None)/],
];

/** Configuration keys (as the config format names them) that only a pool has. */
const POOL_CONFIG = /^(?:sqlalchemy\.pool_|pool\.|npgsql\.(?:pooling|max_pool_size|min_pool_size|connection_idle_lifetime|connection_lifetime)|hikari|django\.conn_max_age|pgbouncer\.)/;

/** The pool a record shows, if any (`pgbouncer` for the pooler's own records). */
export function poolShownBy(event: LogEvent): string | undefined {
  if (event.origin === 'pooler') return 'pgbouncer';
  // ADF's PostgreSQL connector talks through Npgsql, which pools by default.
  if (event.format === 'adf-json' || event.format === 'adf-text') return 'npgsql';
  const config = event.fields.config;
  if (config) {
    for (const [key, value] of Object.entries(config)) {
      if (!POOL_CONFIG.test(key)) continue;
      if (key === 'npgsql.pooling' && /^(?:false|0)$/i.test(value)) continue;
      if (key === 'django.conn_max_age' && value.trim() === '0') continue;
      return key.split('.')[0];
    }
  }
  const head = event.text.length > 1500 ? event.text.slice(0, 1500) : event.text;
  for (const [pool, re] of POOL_WORDING) if (re.test(head)) return pool;
  return undefined;
}
