/**
 * The variables a `when:` expression may name. The parser rejects other names (with a
 * suggestion) so a typo cannot silently make a condition "unknown" forever; the analyzer's
 * ExprContext supplies the values.
 */

/** `duration` values are milliseconds; `any` is whatever the configuration said. */
export type VariableType = 'duration' | 'number' | 'boolean' | 'string' | 'any';

export interface VariableDef {
  /** Dotted name; `config.*` stands for any key under `config.`. */
  name: string;
  type: VariableType;
  description: string;
}

export const VARIABLES: readonly VariableDef[] = [
  { name: 'gap_before', type: 'duration', description: 'idle time on the failing session (or its source) before the failure' },
  { name: 'tx_open', type: 'boolean', description: 'a transaction was open on the session when it failed' },
  {
    name: 'server.idle_timeout',
    type: 'duration',
    description: 'the shortest idle limit seen on the server side (idle_session_timeout, idle_in_transaction_session_timeout, pooler client_idle_timeout)',
  },
  { name: 'server.idle_in_transaction_session_timeout', type: 'duration', description: 'PostgreSQL idle_in_transaction_session_timeout' },
  { name: 'server.idle_session_timeout', type: 'duration', description: 'PostgreSQL idle_session_timeout' },
  { name: 'pool.recycle', type: 'duration', description: 'the client pool recycle / max lifetime (pool_recycle, maxLifetime, Connection Idle Lifetime)' },
  { name: 'pool.mode', type: 'string', description: "PgBouncer pool_mode ('session', 'transaction', 'statement')" },
  { name: 'server.tcp_keepalives_idle', type: 'duration', description: 'PostgreSQL tcp_keepalives_idle (0 = the OS default, usually 2 h)' },
  { name: 'client.keepalives_idle', type: 'duration', description: 'libpq/dbt keepalives_idle of the client connection' },
  { name: 'client.keepalives', type: 'any', description: 'libpq keepalives switch (0 turns TCP keepalives off)' },
  { name: 'inputs.client', type: 'boolean', description: 'an application or orchestrator log (SQLAlchemy, dbt, ADF...) is part of the input' },
  { name: 'inputs.server', type: 'boolean', description: 'a PostgreSQL server log is part of the input' },
  { name: 'inputs.pooler', type: 'boolean', description: 'a PgBouncer log is part of the input' },
  { name: 'config.*', type: 'any', description: 'any configuration key seen in the inputs, e.g. config.pool_recycle or config.pgbouncer.pool_mode' },
];

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
