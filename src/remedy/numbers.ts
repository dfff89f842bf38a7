/**
 * The user's own numbers for remediation templates, read from what the incident shows: which
 * limit fired (from the SQLSTATE the client printed, or the reason PgBouncer gave), its value
 * where a configuration line in the case states it, the client pool's lifetime, keepalive
 * settings. Pure: configuration comes in through a lookup function.
 */
import { REASON_SETTINGS } from '../evidence/pgbouncer-reasons.js';
import { normalizePoolerReason } from '../formats/pgbouncer/pgbouncer.js';

export interface RemedyNumbers {
  /** Seconds of the limit that closed the connection. */
  limit?: number;
  /** Its setting name, e.g. `client_idle_timeout`. */
  limit_setting?: string;
  /** `server` or `PgBouncer`. */
  limit_component?: 'server' | 'PgBouncer';
  /** Seconds the client pool keeps a connection, and the setting that says so. */
  pool_lifetime?: number;
  pool_setting?: string;
  /** A lifetime that stays below the limit with margin: 70 % of it, in whole tens of seconds. */
  target?: number;
  target_ms?: number;
  /** Seconds before the first TCP keepalive probe, where configured. */
  keepalive_idle?: number;
}

export type ConfigLookup = (key: string) => string | undefined;

/**
 * Where PgBouncer states a reason: its `closing because:` and `pooler error:` lines, or the
 * ERROR/FATAL it relays to the client. Never free text: a driver's stack trace may dump its own
 * `query_timeout` option.
 */
const REASON_AT = /(?:closing because|pooler error|ERROR|FATAL):\s+/gi;

/**
 * The PgBouncer setting behind a reason the text states, read through the one reason table:
 * the pgbouncer format's spellings give the reason's name, `REASON_SETTINGS` its setting (whose
 * order decides when several are stated).
 */
function poolerLimitStated(text: string): string | undefined {
  const stated = new Set<string>();
  for (const m of text.matchAll(REASON_AT)) {
    const from = m.index + m[0].length;
    const end = text.indexOf('\n', from);
    stated.add(normalizePoolerReason(text.slice(from, end < 0 ? undefined : end)));
  }
  return REASON_SETTINGS.find(([reason]) => stated.has(reason))?.[1];
}

const SERVER_LIMITS: Array<[string, RegExp, string]> = [
  ['57P05', /idle-session timeout|idle_session_timeout/i, 'idle_session_timeout'],
  ['25P03', /idle-in-transaction timeout|idle_in_transaction_session_timeout/i, 'idle_in_transaction_session_timeout'],
];

const POOL_SETTINGS: Array<[string, string]> = [
  ['sqlalchemy.pool_recycle', 'pool_recycle'],
  ['pool.maxlifetime', 'maxLifetime'],
  ['pool.max_lifetime', 'max_lifetime'],
  ['pool.max_idle', 'max_idle'],
  ['pool.idletimeoutmillis', 'idleTimeoutMillis'],
];

function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export function remedyNumbers(input: { observedSqlstates: readonly string[]; texts: readonly string[]; config: ConfigLookup }): RemedyNumbers {
  const out: RemedyNumbers = {};
  const text = input.texts.join('\n');
  const pooler = poolerLimitStated(text);
  const server = SERVER_LIMITS.find(([code, re]) => input.observedSqlstates.includes(code) || re.test(text));
  if (pooler) {
    out.limit_component = 'PgBouncer';
    out.limit_setting = pooler;
    out.limit = seconds(input.config(`pgbouncer.${pooler}`));
  } else if (server) {
    out.limit_component = 'server';
    out.limit_setting = server[2];
    out.limit = seconds(input.config(`postgres.${server[2]}`));
  } else {
    // No limit named: the shortest configured idle limit on the path is the one a pool meets first.
    const candidates: Array<[number | undefined, string, 'server' | 'PgBouncer']> = [
      [seconds(input.config('postgres.idle_session_timeout')), 'idle_session_timeout', 'server'],
      [seconds(input.config('pgbouncer.client_idle_timeout')), 'client_idle_timeout', 'PgBouncer'],
    ];
    const best = candidates.filter((c) => c[0] !== undefined).sort((a, b) => a[0]! - b[0]!)[0];
    if (best) [out.limit, out.limit_setting, out.limit_component] = best;
  }
  for (const [key, name] of POOL_SETTINGS) {
    const v = seconds(input.config(key));
    if (v !== undefined) {
      out.pool_lifetime = v;
      out.pool_setting = name;
      break;
    }
  }
  if (out.limit !== undefined) {
    out.target = Math.max(10, Math.floor((out.limit * 0.7) / 10) * 10);
    out.target_ms = out.target * 1000;
  }
  const keepalive = input.config('libpq.keepalives_idle') ?? input.config('dbt.keepalives_idle') ?? input.config('postgres.tcp_keepalives_idle');
  if (keepalive !== undefined && Number.isFinite(Number(keepalive))) out.keepalive_idle = Number(keepalive);
  return out;
}
