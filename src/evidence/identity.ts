/**
 * Session identity: what tells one client session (or server backend) from another in a log.
 *
 * A record may carry several kinds of identity at once (a dbt thread and the process pid, a
 * pool line naming a connection object). Two records are the same session when they share a
 * kind with equal values, different sessions when they share a kind with different values, and
 * incomparable otherwise: then only nearness in time and source can relate them.
 */
import type { LogEvent } from '../events.js';

export type IdentityKind = 'thread' | 'run' | 'pid' | 'conn';

/** Kinds a record carries, most specific first. */
export type Identity = Partial<Record<IdentityKind, string>>;

export type SessionRelation = 'same' | 'other' | 'unrelated';

/**
 * Object addresses printed by drivers and pools for one connection: Python reprs
 * (`<connection object at 0x7f...>`, `<psycopg.Connection [IDLE] ... at 0x7f...>`), Java's
 * `PgConnection@1b2c3d`, PgBouncer's `C-0x55d...`/`S-0x...` prefixes.
 */
const CONN_ADDRESS = /<[^<>\n]{0,120}? at (0x[0-9a-f]{6,16})\b[^<>\n]{0,60}>|\b(?:PgConnection|ProxyConnection|NpgsqlConnection)@([0-9a-f]{4,16})\b|\b([CS]-0x[0-9a-f]{6,16}):/i;

/** Formats whose `sessionId` is the whole invocation (all threads), not one session. */
const RUN_WIDE_SESSION_ID = new Set(['dbt-json', 'dbt-text', 'dbt-run-results']);

/** Formats whose pid is the process of every thread, not one session: the thread decides there. */
const PROCESS_WIDE_PID = new Set(['dbt-json', 'dbt-text', 'dbt-run-results', 'python-logging', 'generic']);

export function identityOf(event: LogEvent): Identity {
  const f = event.fields;
  const id: Identity = {};
  if (f.thread && !/^MainThread$/i.test(f.thread)) id.thread = f.thread;
  if (f.sessionId && !RUN_WIDE_SESSION_ID.has(event.format)) id.run = f.sessionId;
  if (f.pid !== undefined && !(id.thread && PROCESS_WIDE_PID.has(event.format))) id.pid = `${event.origin === 'server' ? 'backend' : 'process'}:${f.pid}`;
  const head = event.text.length > 2000 ? event.text.slice(0, 2000) : event.text;
  const m = CONN_ADDRESS.exec(head);
  if (m) id.conn = (m[1] ?? m[2] ?? m[3]).toLowerCase();
  return id;
}

/** How two records' identities relate (see the module comment). */
export function relate(a: Identity, b: Identity): SessionRelation {
  let shared = false;
  for (const kind of ['thread', 'run', 'pid', 'conn'] as const) {
    const x = a[kind];
    const y = b[kind];
    if (x === undefined || y === undefined) continue;
    if (x !== y) return 'other';
    shared = true;
  }
  return shared ? 'same' : 'unrelated';
}

/** A short stable key for the record's most specific identity, for bucketing; '' when none. */
export function identityKey(id: Identity): string {
  for (const kind of ['thread', 'run', 'conn', 'pid'] as const) if (id[kind] !== undefined) return `${kind}:${id[kind]}`;
  return '';
}

export function hasIdentity(id: Identity): boolean {
  return id.thread !== undefined || id.run !== undefined || id.pid !== undefined || id.conn !== undefined;
}
