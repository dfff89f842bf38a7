/**
 * The one registry of the variables a `when:` expression may name: name, type, description and
 * how each is resolved for an incident. The parser's lookup and "did you mean", the hint listing
 * known names, the table in docs/rules.md (checked by a test) and the binding all derive from it,
 * so a documented variable cannot go unbound. The parser rejects other names (with a
 * suggestion) so a typo cannot silently make a condition "unknown" forever.
 */
import type { LogEvent, Origin } from '../../events.js';
import type { ExprValue, ValueOrigin } from './evaluate.js';

/** `duration` values are milliseconds; `any` is whatever the configuration said. */
export type VariableType = 'duration' | 'number' | 'boolean' | 'string' | 'any';

/** What a resolver may read of the incident's case (implemented by `evidence/case.ts`). */
export interface CaseView {
  saw(origin: Origin): boolean;
  readonly hasClientLog: boolean;
  /** Client failures of the case that carry no time (they may be any server failure). */
  readonly untimedClientFailures: number;
  /** The case's record with this mark closest to `ts` within ±windowMs (see `evidence/case.ts`). */
  nearestMark(key: string, ts: number, windowMs: number): ValueOrigin | undefined;
  /** A pool manages the case's connections (true, with its witness), none does (false), or unknown. */
  poolManaged(): ExprValue | undefined;
  readonly config: {
    /** The first of these keys that holds a duration. */
    duration(...keys: string[]): ExprValue | undefined;
    /** The shortest duration among these keys. */
    shortest(...keys: string[]): ExprValue | undefined;
    value(name: string): ExprValue | undefined;
  };
}

/** What a variable is resolved against: the incident's failing event and its case. */
export interface VariableScope {
  failure: LogEvent;
  case: CaseView;
  /** The dotted name as written (for `config.*`, the key after `config.`). */
  path: readonly string[];
}

export interface VariableDef {
  /** Dotted name; `config.*` stands for any key under `config.`. */
  name: string;
  type: VariableType;
  description: string;
  /** The value for one incident; undefined when the inputs never showed it. */
  resolve(scope: VariableScope): ExprValue | undefined;
}

/** How far from a server or pooler failure a client failure still covers it (`client.failed_nearby`). */
const CLIENT_COVER_MS = 10 * 60_000;

/** How far from the failure a server line may say a transaction was open (the EOF is logged when the socket dies). */
const TX_OPEN_WINDOW_MS = 60_000;

export const VARIABLES: readonly VariableDef[] = [
  {
    name: 'gap_before',
    type: 'duration',
    description: 'idle time on the failing session (or its source) before the failure',
    resolve: ({ failure }) => {
      if (failure.idleMs !== undefined) return { value: failure.idleMs, duration: true };
      return failure.ts !== undefined && failure.prevTs !== undefined ? { value: Math.max(0, failure.ts - failure.prevTs), duration: true } : undefined;
    },
  },
  {
    name: 'tx_open',
    type: 'boolean',
    description:
      'a transaction was open when a session ended: a server line within 60 s of the failure says so (unexpected EOF with an open transaction, idle-in-transaction timeout); unknown otherwise',
    resolve: ({ failure, case: c }) => {
      if (failure.ts === undefined) return undefined;
      const origin = c.nearestMark('tx-open', failure.ts, TX_OPEN_WINDOW_MS);
      // Only presence is evidence: no such line leaves it unknown, never false.
      return origin ? { value: true, origin } : undefined;
    },
  },
  {
    name: 'server.idle_timeout',
    type: 'duration',
    description: 'the shortest idle limit seen on the server side (idle_session_timeout, idle_in_transaction_session_timeout, pooler client_idle_timeout)',
    resolve: ({ case: c }) => c.config.shortest('postgres.idle_session_timeout', 'postgres.idle_in_transaction_session_timeout', 'pgbouncer.client_idle_timeout'),
  },
  {
    name: 'server.idle_in_transaction_session_timeout',
    type: 'duration',
    description: 'PostgreSQL idle_in_transaction_session_timeout',
    resolve: ({ case: c }) => c.config.duration('postgres.idle_in_transaction_session_timeout'),
  },
  {
    name: 'server.idle_session_timeout',
    type: 'duration',
    description: 'PostgreSQL idle_session_timeout',
    resolve: ({ case: c }) => c.config.duration('postgres.idle_session_timeout'),
  },
  {
    name: 'pool.recycle',
    type: 'duration',
    description: 'the client pool recycle / max lifetime (pool_recycle, maxLifetime, Connection Idle Lifetime)',
    resolve: ({ case: c }) =>
      c.config.shortest(
        'sqlalchemy.pool_recycle',
        'pool.idletimeoutmillis',
        'pool.maxlifetime',
        'pool.max_idle',
        'pool.max_lifetime',
        'npgsql.connection_idle_lifetime',
        'npgsql.connection_lifetime',
      ),
  },
  {
    name: 'pool.managed',
    type: 'boolean',
    description: 'a connection pool manages the connections: any pool wording or setting (SQLAlchemy QueuePool, HikariCP, pg-pool, psycopg_pool, asyncpg, Npgsql and ADF, dbt connection reuse, Django CONN_MAX_AGE, PgBouncer); false when a client log shows none',
    resolve: ({ case: c }) => c.poolManaged(),
  },
  {
    name: 'pool.mode',
    type: 'string',
    description: "PgBouncer pool_mode ('session', 'transaction', 'statement')",
    resolve: ({ case: c }) => c.config.value('pgbouncer.pool_mode'),
  },
  {
    name: 'server.tcp_keepalives_idle',
    type: 'duration',
    description: 'PostgreSQL tcp_keepalives_idle (0 = the OS default, usually 2 h)',
    resolve: ({ case: c }) => c.config.duration('postgres.tcp_keepalives_idle'),
  },
  {
    name: 'client.keepalives_idle',
    type: 'duration',
    description: 'libpq/dbt keepalives_idle of the client connection',
    resolve: ({ case: c }) => c.config.duration('libpq.keepalives_idle', 'dbt.keepalives_idle'),
  },
  {
    name: 'client.keepalives',
    type: 'any',
    description: 'libpq keepalives switch (0 turns TCP keepalives off)',
    resolve: ({ case: c }) => c.config.value('libpq.keepalives'),
  },
  {
    name: 'inputs.client',
    type: 'boolean',
    description: 'an application or orchestrator log (SQLAlchemy, dbt, ADF...) is part of the input',
    resolve: ({ case: c }) => ({ value: c.hasClientLog }),
  },
  {
    name: 'inputs.server',
    type: 'boolean',
    description: 'a PostgreSQL server log is part of the input',
    resolve: ({ case: c }) => ({ value: c.saw('server') }),
  },
  {
    name: 'inputs.pooler',
    type: 'boolean',
    description: 'a PgBouncer log is part of the input',
    resolve: ({ case: c }) => ({ value: c.saw('pooler') }),
  },
  {
    name: 'client.failed_nearby',
    type: 'boolean',
    description:
      'an application, orchestrator or unrecognized log of the same case shows an 08003-family failure within 10 minutes of this record, or one with no time at all (untimed records: an application log is part of the case)',
    // A server or pooler line is a failure of its own only when no client failure covers it;
    // a client failure that nothing places in time may be this one.
    resolve: ({ failure, case: c }) =>
      failure.ts === undefined
        ? { value: c.hasClientLog }
        : { value: c.untimedClientFailures > 0 || c.nearestMark('incidents', failure.ts, CLIENT_COVER_MS) !== undefined },
  },
  {
    name: 'config.*',
    type: 'any',
    description: 'any configuration key seen in the inputs, e.g. config.pool_recycle or config.pgbouncer.pool_mode',
    resolve: ({ case: c, path }) => c.config.value(path.slice(1).join('.')),
  },
];

/** The hint listing known names, for an unknown variable without a close match. */
export function knownVariablesHint(): string {
  return `known: ${VARIABLES.map((v) => (v.name.endsWith('.*') ? `${v.name.slice(0, -2)}.<key>` : v.name)).join(', ')}`;
}

const EXACT = new Map(VARIABLES.filter((v) => !v.name.endsWith('.*')).map((v) => [v.name, v]));
const PREFIXES = VARIABLES.filter((v) => v.name.endsWith('.*')).map((v) => ({ prefix: v.name.slice(0, -1), def: v }));

/** The definition for a path, or undefined when the name is not known. */
export function lookupVariable(path: readonly string[]): VariableDef | undefined {
  const name = path.join('.');
  const exact = EXACT.get(name);
  if (exact) return exact;
  for (const { prefix, def } of PREFIXES) if (name.startsWith(prefix) && name.length > prefix.length) return def;
  return undefined;
}

/** The closest known name, for "did you mean" hints. */
export function suggestVariable(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const v of VARIABLES) {
    const candidate = v.name.endsWith('.*') ? undefined : v.name;
    if (!candidate) continue;
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
