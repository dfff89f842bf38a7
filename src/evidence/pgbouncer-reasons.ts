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
import { evidenceWeight, type Rule, type Strength } from '../rules/types.js';

export interface ReasonMeaning {
  /** What the reason means, in words (shown as the fact's description). */
  meaning: string;
  evidence: Array<{ cause: string; direction: 'for' | 'against'; strength: Strength }>;
}

/** An entry written the way rule files write evidence: the causes it supports and argues against. */
function reason(meaning: string, e: { for: Record<string, Strength>; against?: Record<string, Strength> }): ReasonMeaning {
  const side = (direction: 'for' | 'against', causes: Record<string, Strength> = {}) =>
    Object.entries(causes).map(([cause, strength]) => ({ cause, direction, strength }));
  return { meaning, evidence: [...side('for', e.for), ...side('against', e.against)] };
}

export const POOLER_REASONS: Record<string, ReasonMeaning> = {
  'idle-transaction-timeout': reason(
    "PgBouncer's idle_transaction_timeout closed a client that sat idle inside a transaction.",
    { for: { 'idle-in-transaction-timeout': 'strong', 'held-across-external-call': 'moderate' }, against: { 'tcp-keepalive-nat-drop': 'strong', 'stale-pool-after-restart': 'moderate' } },
  ),
  'client-idle-timeout': reason(
    "PgBouncer's client_idle_timeout closed a client connection the application pool still kept.",
    { for: { 'pool-recycle-exceeds-server-timeout': 'strong', 'idle-session-timeout': 'weak' }, against: { 'tcp-keepalive-nat-drop': 'strong' } },
  ),
  'server-lifetime': reason('PgBouncer retired a server connection at server_lifetime.', { for: { 'pool-recycle-exceeds-server-timeout': 'weak' } }),
  'server-conn-crashed': reason(
    'PgBouncer lost its server connection abruptly (the server restarted, crashed or ended the backend).',
    { for: { 'stale-pool-after-restart': 'moderate', 'server-crash-recovery': 'weak', 'admin-terminated-backend': 'weak' }, against: { 'idle-session-timeout': 'moderate' } },
  ),
  'test-query-failed': reason(
    "PgBouncer's check query found a dead server connection when reusing it.",
    { for: { 'stale-pool-after-restart': 'moderate' } },
  ),
  'reset-query-failed': reason(
    "PgBouncer's reset query found a dead server connection when returning it.",
    { for: { 'stale-pool-after-restart': 'moderate' } },
  ),
  'client-login-timeout': reason('Clients could not log in while the server was down.', { for: { 'stale-pool-after-restart': 'moderate' } }),
  'server-login-failing': reason(
    'PgBouncer could not log in to the server (it was starting up or down).',
    { for: { 'stale-pool-after-restart': 'moderate' } },
  ),
  'pooler-shutting-down': reason('PgBouncer itself was shutting down.', { for: { 'stale-pool-after-restart': 'strong' } }),
  'query-timeout': reason("PgBouncer's query_timeout ended a query that ran too long.", { for: { 'client-command-timeout': 'moderate' } }),
  'transaction-timeout': reason(
    "PgBouncer's transaction_timeout ended a transaction that stayed open too long.",
    { for: { 'held-across-external-call': 'moderate', 'idle-in-transaction-timeout': 'weak' } },
  ),
  'client-disconnect-server-not-ready': reason(
    'The client went away while its server connection was inside a transaction.',
    { for: { 'held-across-external-call': 'weak' } },
  ),
  'client-unexpected-eof': reason(
    'The client socket closed without a Terminate message (process killed, pool discarded the socket, or a middlebox reset it).',
    { for: { 'tcp-keepalive-nat-drop': 'weak' } },
  ),
  'prepared-statement-missing': reason(
    "PgBouncer's prepared-statement tracking found a statement the server connection never had.",
    { for: { 'pgbouncer-transaction-mode': 'strong' } },
  ),
  'prepared-statement-exists': reason(
    "PgBouncer's prepared-statement tracking found a statement name already used on the server connection.",
    { for: { 'pgbouncer-transaction-mode': 'strong' } },
  ),
};

/**
 * The PgBouncer setting whose limit a stated reason reports, for remediation's numbers; when an
 * incident's lines state several, the first here wins. Keyed by the same normalized names, and
 * it includes two housekeeping reasons the table above leaves out (they weigh nothing for a
 * cause, but they still name the limit that closed a connection).
 */
export const REASON_SETTINGS: ReadonlyArray<readonly [reason: string, setting: string]> = [
  ['client-idle-timeout', 'client_idle_timeout'],
  ['idle-transaction-timeout', 'idle_transaction_timeout'],
  ['server-lifetime', 'server_lifetime'],
  ['server-idle-timeout', 'server_idle_timeout'],
  ['query-wait-timeout', 'query_wait_timeout'],
  ['query-timeout', 'query_timeout'],
];

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
    evidence: meaning.evidence.map((e) => ({ ...e, weight: evidenceWeight(e.direction, e.strength) })),
    window: { before: 15 * 60_000, after: 5_000 },
    examples: { match: [], nomatch: [] },
    literals: [],
    pos: { file: 'src/evidence/pgbouncer-reasons.ts', line: 1, column: 1 },
  };
  reasonRules.set(name, rule);
  return rule;
}
