import type { LogEvent } from '../events.js';
import type { Case } from '../evidence/case.js';
import type { Fact, RankedCause } from '../report-types.js';
import type { Rule, RulePack } from '../rules/types.js';
import { referencedRules } from '../rules/expr/index.js';
import { UNKNOWN_CAUSE } from './rank.js';

/**
 * "What would decide it", computed from the facts: for the two leading hypotheses, the rules
 * whose factors differ most between them and that have not fired, each with the input that
 * would carry it. Nothing already present is asked for, and nothing an input that is present
 * (and so would have shown it) lacks.
 */
export function whatWouldDecide(
  pack: RulePack,
  causes: RankedCause[],
  failure: LogEvent,
  kase: Case,
  facts: Fact[] = [],
  kind: 'connection-lost' | 'session-state-lost' = 'connection-lost',
): string[] {
  const named = causes.filter((c) => c.id !== UNKNOWN_CAUSE);
  const top = causes[0];
  const present = new Set(facts.map((f) => f.id));
  const when = failure.ts !== undefined ? windowText(failure.ts) : 'the time of the failure';
  const [a, b] = top && top.id !== UNKNOWN_CAUSE ? [top.id, named.find((c) => c.id !== top.id)?.id] : [named[0]?.id, named[1]?.id];
  const deciders = a ? decidersBetween(pack, a, b, present, kase) : [];
  if (top && top.id !== UNKNOWN_CAUSE && top.confidence === 'high') {
    // Settled: say only what it would take to overturn it.
    const d = deciders.find((x) => x.favours === b);
    return b && d ? [`Only ${d.rule.description.replace(/\.$/, '')} (${where(d.rule, when)}) would make ${b} overturn this ranking.`] : [];
  }
  const out: string[] = [];
  if (!kase.saw('server') && kind === 'connection-lost') {
    out.push(`The PostgreSQL server log for ${when} would show whether the server ended the session (and why) or never saw it end.`);
  }
  for (const d of deciders.slice(0, 3)) {
    const between = b ? `${a} from ${b}` : `whether it is ${a}`;
    out.push(`To tell ${between}: ${lowerFirst(d.rule.description).replace(/\.$/, '')} — ${where(d.rule, when)} (for ${d.favours}).`);
  }
  if (out.length === 0) {
    out.push(
      kind === 'session-state-lost'
        ? "The pooler's pool_mode (SHOW CONFIG on PgBouncer's admin console, or pgbouncer.ini), or whether the connection string's port is the pooler's, would decide it."
        : "Nothing in the input points at a specific cause; the server log, the pool settings and the job's own lines before the failure would.",
    );
  }
  return out;
}

interface Decider {
  rule: Rule;
  favours: string;
  diff: number;
}

/** Rules that would move A against B most, among those not seen and not ruled out by an input present. */
function decidersBetween(pack: RulePack, a: string, b: string | undefined, present: Set<string>, kase: Case): Decider[] {
  const out: Decider[] = [];
  for (const rule of pack.rules) {
    if (present.has(rule.id) || rule.evidence.length === 0 || rule.incident) continue;
    if (!askable(rule, kase)) continue;
    const wa = rule.evidence.filter((e) => e.cause === a).reduce((s, e) => s + e.weight, 0);
    const wb = b ? rule.evidence.filter((e) => e.cause === b).reduce((s, e) => s + e.weight, 0) : 0;
    const diff = wa - wb;
    if (Math.abs(diff) < 0.3) continue;
    out.push({ rule, favours: diff > 0 ? a : (b ?? a), diff: Math.abs(diff) });
  }
  out.sort((x, y) => y.diff - x.diff || x.rule.id.localeCompare(y.rule.id));
  // One decider per input kind and direction reads best.
  const seen = new Set<string>();
  return out.filter((d) => {
    const key = `${inputOf(d.rule)}|${d.favours}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether asking for the rule's evidence makes sense: the input that would carry it is missing. */
function askable(rule: Rule, kase: Case): boolean {
  const input = inputOf(rule);
  if (input === 'server') return !kase.saw('server');
  if (input === 'pooler') return !kase.saw('pooler');
  if (input === 'client') return !kase.hasClientLog;
  return true;
}

function inputOf(rule: Rule): 'server' | 'pooler' | 'client' | 'settings' {
  if (rule.when && !rule.match) {
    const refs = referencedRules(rule.when.ast);
    if (refs.length === 0) return 'settings';
    const first = pack0(rule, refs);
    return first;
  }
  const o = rule.origins ?? [];
  if (o.includes('config')) return 'settings';
  if (o.includes('server') && !o.includes('client')) return 'server';
  if (o.includes('pooler') && !o.includes('client')) return 'pooler';
  return 'client';
}

/** A when-rule about other rules' records asks for the input those records come from. */
function pack0(rule: Rule, refs: string[]): 'server' | 'pooler' | 'client' | 'settings' {
  if (refs.some((r) => r.startsWith('pg-'))) return 'server';
  if (refs.some((r) => r.startsWith('pgbouncer-'))) return 'pooler';
  return rule.when!.text.includes('inputs.') || rule.when!.text.includes('pool.') || rule.when!.text.includes('server.') ? 'settings' : 'client';
}

function where(rule: Rule, when: string): string {
  switch (inputOf(rule)) {
    case 'server':
      return `the PostgreSQL server log for ${when}`;
    case 'pooler':
      return "the PgBouncer log, or its pool_mode (SHOW CONFIG on the admin console, pgbouncer.ini)";
    case 'settings':
      return 'the settings (pool lifetime, SHOW idle_session_timeout / idle_in_transaction_session_timeout, pgbouncer.ini pool_mode, or whether the DSN port is the pooler\'s)';
    default:
      return "the application's own lines of the failing session between its last statement and the failure";
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function windowText(ts: number): string {
  const from = new Date(ts - 15 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  const to = new Date(ts + 60_000).toISOString().slice(11, 19);
  return `${from}-${to} UTC`;
}
