/**
 * PgBouncer's close reasons as one table: what each reason says about the cause, whoever
 * printed it. The pooler writes `closing because: <reason>`; a client that was linked at that
 * moment receives the same reason as its error text (`FATAL:  client_idle_timeout`, relayed by
 * libpq as `... server conn crashed?`). Both are the same fact and weigh the same.
 *
 * Reasons are the normalized names of the pgbouncer format (`normalizePoolerReason`); reasons
 * that are routine housekeeping (a server link idled out of the pool) say nothing about a
 * client's lost session and are absent.
 */
import { normalizePoolerReason } from '../formats/pgbouncer/pgbouncer.js';
import type { LogEvent } from '../events.js';
import { STRENGTH_WEIGHT, type Rule, type Strength } from '../rules/types.js';

export interface ReasonMeaning {
  /** What the reason means, in words (shown as the fact's description). */
  meaning: string;
  evidence: Array<{ cause: string; direction: 'for' | 'against'; strength: Strength }>;
}

export const POOLER_REASONS: Record<string, ReasonMeaning> = {
  'idle-transaction-timeout': {
    meaning: "PgBouncer's idle_transaction_timeout closed a client that sat idle inside a transaction.",
    evidence: [
      { cause: 'idle-in-transaction-timeout', direction: 'for', strength: 'strong' },
      { cause: 'held-across-external-call', direction: 'for', strength: 'moderate' },
      { cause: 'tcp-keepalive-nat-drop', direction: 'against', strength: 'strong' },
      { cause: 'stale-pool-after-restart', direction: 'against', strength: 'moderate' },
    ],
  },
  'client-idle-timeout': {
    meaning: "PgBouncer's client_idle_timeout closed a client connection the application pool still kept.",
    evidence: [
      { cause: 'pool-recycle-exceeds-server-timeout', direction: 'for', strength: 'strong' },
      { cause: 'idle-session-timeout', direction: 'for', strength: 'weak' },
      { cause: 'tcp-keepalive-nat-drop', direction: 'against', strength: 'strong' },
    ],
  },
  'server-lifetime': {
    meaning: 'PgBouncer retired a server connection at server_lifetime.',
    evidence: [{ cause: 'pool-recycle-exceeds-server-timeout', direction: 'for', strength: 'weak' }],
  },
  'server-conn-crashed': {
    meaning: 'PgBouncer lost its server connection abruptly (the server restarted, crashed or ended the backend).',
    evidence: [
      { cause: 'stale-pool-after-restart', direction: 'for', strength: 'moderate' },
      { cause: 'server-crash-recovery', direction: 'for', strength: 'weak' },
      { cause: 'admin-terminated-backend', direction: 'for', strength: 'weak' },
      { cause: 'idle-session-timeout', direction: 'against', strength: 'moderate' },
    ],
  },
  'test-query-failed': {
    meaning: "PgBouncer's check query found a dead server connection when reusing it.",
    evidence: [{ cause: 'stale-pool-after-restart', direction: 'for', strength: 'moderate' }],
  },
  'reset-query-failed': {
    meaning: "PgBouncer's reset query found a dead server connection when returning it.",
    evidence: [{ cause: 'stale-pool-after-restart', direction: 'for', strength: 'moderate' }],
  },
  'client-login-timeout': {
    meaning: 'Clients could not log in while the server was down.',
    evidence: [{ cause: 'stale-pool-after-restart', direction: 'for', strength: 'moderate' }],
  },
  'server-login-failing': {
    meaning: 'PgBouncer could not log in to the server (it was starting up or down).',
    evidence: [{ cause: 'stale-pool-after-restart', direction: 'for', strength: 'moderate' }],
  },
  'pooler-shutting-down': {
    meaning: 'PgBouncer itself was shutting down.',
    evidence: [{ cause: 'stale-pool-after-restart', direction: 'for', strength: 'strong' }],
  },
  'query-timeout': {
    meaning: "PgBouncer's query_timeout ended a query that ran too long.",
    evidence: [{ cause: 'client-command-timeout', direction: 'for', strength: 'moderate' }],
  },
  'transaction-timeout': {
    meaning: "PgBouncer's transaction_timeout ended a transaction that stayed open too long.",
    evidence: [
      { cause: 'held-across-external-call', direction: 'for', strength: 'moderate' },
      { cause: 'idle-in-transaction-timeout', direction: 'for', strength: 'weak' },
    ],
  },
  'client-disconnect-server-not-ready': {
    meaning: 'The client went away while its server connection was inside a transaction.',
    evidence: [{ cause: 'held-across-external-call', direction: 'for', strength: 'weak' }],
  },
  'client-unexpected-eof': {
    meaning: 'The client socket closed without a Terminate message (process killed, pool discarded the socket, or a middlebox reset it).',
    evidence: [{ cause: 'tcp-keepalive-nat-drop', direction: 'for', strength: 'weak' }],
  },
  'prepared-statement-missing': {
    meaning: "PgBouncer's prepared-statement tracking found a statement the server connection never had.",
    evidence: [{ cause: 'pgbouncer-transaction-mode', direction: 'for', strength: 'strong' }],
  },
  'prepared-statement-exists': {
    meaning: "PgBouncer's prepared-statement tracking found a statement name already used on the server connection.",
    evidence: [{ cause: 'pgbouncer-transaction-mode', direction: 'for', strength: 'strong' }],
  },
};

/** The known reason a pooler record states (its `serverEventKind`), if the table has it. */
export function reasonOfPoolerRecord(event: LogEvent): string | undefined {
  if (event.origin !== 'pooler') return undefined;
  const kind = event.fields.serverEventKind;
  return kind && POOLER_REASONS[kind] ? kind : undefined;
}

/**
 * The known reason relayed in a client's error text: PgBouncer sends it as the whole message,
 * so it stands after a severity tag or a driver's class, or alone on a line.
 */
export function reasonRelayedByClient(event: LogEvent): string | undefined {
  if (event.origin === 'pooler' || event.origin === 'server' || event.origin === 'config') return undefined;
  const text = event.text.length > 4000 ? event.text.slice(0, 4000) : event.text;
  // Most client records name no reason at all; normalizing every part of every line of them
  // was a fifth of the CPU on a busy service log.
  if (!MAY_NAME_REASON.test(text)) return undefined;
  for (const line of text.split('\n', 40)) {
    for (const candidate of candidatesIn(line)) {
      const name = normalizePoolerReason(candidate);
      if (POOLER_REASONS[name]) return name;
    }
  }
  return undefined;
}

/**
 * A word every reason of the table holds, in any case, whether PgBouncer's wording names it
 * (`server conn crashed?`, `client_idle_timeout`) or its slug does (`server-lifetime`): text
 * without any of them cannot normalize to a known reason (checked over the table by a test).
 */
export const MAY_NAME_REASON = /timeout|lifetime|crash|eof|ready|fail|shutting|prepared/i;

/** The message parts of a line that PgBouncer's error text could fill. */
function candidatesIn(line: string): string[] {
  const out: string[] = [];
  const trimmed = line.trim();
  if (trimmed) out.push(trimmed);
  // after "FATAL:", "ERROR:", "psycopg2.OperationalError:", "error:" ...
  const re = /(?<=^|[\s)])(?:FATAL|ERROR|[A-Za-z_][\w.]*(?:Error|Exception)|error):\s+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) out.push(line.slice(m.index + m[0].length).trim());
  return out;
}

/** Either side's reason for the record. */
export function poolerReasonOf(event: LogEvent): string | undefined {
  return reasonOfPoolerRecord(event) ?? reasonRelayedByClient(event);
}

const reasonRules = new Map<string, Rule>();

/**
 * The table entry as a rule, so a reason is one fact like any other (`pooler-reason:<name>`):
 * the same weights whether the pooler logged it or a client relayed it.
 */
export function reasonRule(name: string): Rule {
  let rule = reasonRules.get(name);
  if (rule) return rule;
  const meaning = POOLER_REASONS[name];
  rule = {
    id: `pooler-reason:${name}`,
    description: meaning.meaning,
    evidence: meaning.evidence.map((e) => ({ cause: e.cause, direction: e.direction, strength: e.strength, weight: (e.direction === 'for' ? 1 : -1) * STRENGTH_WEIGHT[e.strength] })),
    window: { before: 15 * 60_000, after: 5_000 },
    examples: { match: [], nomatch: [] },
    literals: [],
    pos: { file: 'src/evidence/pgbouncer-reasons.ts', line: 1, column: 1 },
  };
  reasonRules.set(name, rule);
  return rule;
}
