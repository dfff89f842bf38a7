/**
 * The pool-managed fact: does a connection pool (in the application, the orchestrator or a
 * pooler) hold the connections of this case? Any pool's own wording or setting says yes; it
 * decides between a server idle limit hitting a script's lone connection and a pool keeping
 * connections longer than the server allows.
 */
import type { LogEvent } from '../events.js';

/**
 * Wording only a pool writes, per pool, matched case-sensitively on the record's first lines,
 * with the literals one of which every match contains: the prefilter and the reader keep the
 * records that hold them (a pool's line is rarely a rule's), so the case sees its pool. A pool
 * that logs every checkout (`chatty`) is not looked for by the prefilter: on a busy log that
 * would parse every other line, and its lines around a failure are read anyway.
 */
const POOL_WORDING: Array<{ pool: string; re: RegExp; anchors: string[]; chatty?: boolean }> = [
  {
    pool: 'sqlalchemy',
    re: /\bsqlalchemy\.pool\b|\bQueuePool\b|\b(?:checked out from|returned to|being returned to) pool\b/,
    anchors: ['sqlalchemy.pool', 'QueuePool', 'checked out from pool', 'returned to pool'],
    chatty: true,
  },
  { pool: 'hikaricp', re: /\bHikariPool-\d+\b|\bHikariCP\b|\bFailed to validate connection\b/, anchors: ['HikariPool-', 'HikariCP', 'Failed to validate connection'] },
  { pool: 'pg-pool', re: /\bpool error on idle client\b|\bidle client error\b|\bpg-pool\b/, anchors: ['pool error on idle client', 'idle client error', 'pg-pool'] },
  { pool: 'psycopg_pool', re: /\bpsycopg(?:_pool|\.pool)\b/, anchors: ['psycopg_pool', 'psycopg.pool'] },
  { pool: 'asyncpg', re: /\basyncpg\.pool\b|\bcreate_pool\(/, anchors: ['asyncpg.pool', 'create_pool('] },
  { pool: 'npgsql', re: /\bNpgsql\b[^\n]{0,80}\bpool/i, anchors: ['Npgsql'] },
  { pool: 'dbt', re: /\bRe-using an available connection from the pool\b/, anchors: ['Re-using an available connection from the pool'] },
  { pool: 'django', re: /\bCONN_MAX_AGE\s*[=:]\s*(?:[1-9]|None)/, anchors: ['CONN_MAX_AGE'] },
];

/** Literals the prefilter keeps records for: one of them is in every record naming a (quiet) pool. */
export const POOL_ANCHORS: readonly string[] = [...new Set(POOL_WORDING.filter((w) => !w.chatty).flatMap((w) => w.anchors))];
const ANCHOR_HINT = new RegExp(POOL_WORDING.flatMap((w) => w.anchors).map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');

/** Whether the text may show a pool: cheap, and true for every record `poolShownBy` names a pool in. */
export function mayShowPool(text: string): boolean {
  return ANCHOR_HINT.test(text.length > 1500 ? text.slice(0, 1500) : text);
}

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
  for (const { pool, re } of POOL_WORDING) if (re.test(head)) return pool;
  return undefined;
}
