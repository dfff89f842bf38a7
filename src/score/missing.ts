import type { LogEvent } from '../events.js';
import type { Case } from '../evidence/case.js';
import type { Fact, RankedCause } from '../report-types.js';
import type { Rule, RulePack } from '../rules/types.js';
import { referencedRules } from '../rules/expr/index.js';
import { type Said, say } from '../messages/say.js';
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
): Said[] {
  const named = causes.filter((c) => c.id !== UNKNOWN_CAUSE);
  const top = causes[0];
  const present = new Set(facts.map((f) => f.id));
  const when = failure.ts !== undefined ? windowText(failure.ts) : say('decide.when-unknown').text;
  const [a, b] = top && top.id !== UNKNOWN_CAUSE ? [top.id, named.find((c) => c.id !== top.id)?.id] : [named[0]?.id, named[1]?.id];
  const deciders = a ? decidersBetween(pack, a, b, present, kase) : [];
  if (top && top.id !== UNKNOWN_CAUSE && top.confidence === 'high') {
    // Settled: say only what it would take to overturn it.
    const d = deciders.find((x) => x.favours === b);
    return b && d ? [say('decide.overturn', { evidence: d.rule.description.replace(/\.$/, ''), where: where(d.rule, when), cause: b })] : [];
  }
  const out: Said[] = [];
  if (!kase.saw('server') && kind === 'connection-lost') out.push(say('decide.server-log', { when }));
  for (const d of deciders.slice(0, 3)) {
    const told = { a: a!, evidence: lowerFirst(d.rule.description).replace(/\.$/, ''), where: where(d.rule, when), favours: d.favours };
    out.push(b ? say('decide.between', { ...told, b }) : say('decide.whether', told));
  }
  if (out.length === 0) out.push(say(kind === 'session-state-lost' ? 'decide.pool-mode' : 'decide.nothing'));
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
      return say('decide.where-server', { when }).text;
    case 'pooler':
      return say('decide.where-pooler').text;
    case 'settings':
      return say('decide.where-settings').text;
    default:
      return say('decide.where-client').text;
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function windowText(ts: number): string {
  const from = new Date(ts - 15 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  const to = new Date(ts + 60_000).toISOString().slice(11, 19);
  return say('decide.window', { from, to }).text;
}
