import type { LogEvent } from '../events.js';
import type { IncidentDraft } from '../detect/incidents.js';
import type { EvidenceLine, Fact, FactWitness, Incident } from '../report-types.js';
import { describe as describeExpr, evaluate, type Witness } from '../rules/expr/index.js';
import type { Rule, RulePack } from '../rules/types.js';
import { rankCauses, type ScoredEvidence } from '../score/rank.js';
import { remedyNumbers } from '../remedy/numbers.js';
import { whatWouldDecide } from '../score/missing.js';
import type { Case } from './case.js';
import type { ContextStore } from './context.js';
import { whenContext } from './when.js';

/** What concluding an incident needs besides its draft and its case. */
export interface IncidentInputs {
  pack: RulePack;
  /** Context evidence (server, pooler and other matched records) around failures. */
  context: ContextStore;
  /** Tolerated clock difference between sources, ms. */
  skewMs: number;
  /** The failure's source has no timestamps: its context is found by position instead. */
  untimed: boolean;
  caseOf: (source: string) => string;
  /** Rules judged once per incident (a `when` and no `match`). */
  incidentRules: readonly Rule[];
}

/** Scores a draft; undefined when every rule that made it an incident has a `when` that fails. */
export function concludeIncident(draft: IncidentDraft, kase: Case, inputs: IncidentInputs): Incident | undefined {
  const failure = draft.failure;
  const evidence: ScoredEvidence[] = [];
  const lines = new Map<string, EvidenceLine>();
  const addLine = (event: LogEvent, role: EvidenceLine['role'], rule?: Rule) => {
    const key = `${event.source}:${event.line}`;
    let line = lines.get(key);
    if (!line) {
      line = {
        source: event.source,
        line: event.line,
        endLine: event.endLine,
        text: event.text,
        origin: event.origin,
        format: event.format,
        role,
        ...(event.ts !== undefined ? { time: new Date(event.ts).toISOString() } : {}),
        ...(event.tsNaive ? { timeNaive: true } : {}),
      };
      lines.set(key, line);
    }
    if (rule) (line.rules ??= []).includes(rule.id) || line.rules.push(rule.id);
  };
  // A rule's `when` is judged once per incident; its evidence counts only when it holds.
  const judged = new Map<string, { holds: boolean; witnesses: Witness[] }>();
  const judge = (rule: Rule) => {
    let verdict = judged.get(rule.id);
    if (!verdict) {
      const result = evaluate(rule.when!.ast, whenContext(failure, kase));
      verdict = { holds: result.value, witnesses: result.witnesses };
      judged.set(rule.id, verdict);
    }
    return verdict;
  };
  // Each rule counts once per incident and cause, however many lines it fired on.
  const counted = new Set<string>();
  const addEvidence = (rule: Rule, event: LogEvent): boolean => {
    const verdict = rule.when ? judge(rule) : undefined;
    if (verdict && !verdict.holds) return false;
    const origin = verdict?.witnesses.find((w) => w.origin)?.origin;
    for (const ev of rule.evidence) {
      const key = `${rule.id}|${ev.cause}`;
      if (counted.has(key)) continue;
      counted.add(key);
      evidence.push({
        cause: ev.cause,
        source: !rule.match && origin ? origin.source : event.source,
        line: !rule.match && origin ? origin.line : event.line,
        text: !rule.match && verdict ? witnessText(verdict.witnesses) : firstLines(event.text, 8),
        ruleId: rule.id,
        reason: rule.description,
        direction: ev.direction,
        weight: Math.round(ev.weight * 1000) / 1000,
        ...(rule.when ? { condition: describeExpr(rule.when.ast), witnesses: verdict!.witnesses } : {}),
      });
    }
    return true;
  };

  const addWitnessLine = (origin: { source: string; line: number; text: string }, rule: Rule) => {
    const key = `${origin.source}:${origin.line}`;
    const line = lines.get(key) ?? { source: origin.source, line: origin.line, endLine: origin.line, text: origin.text, origin: 'config' as const, format: 'config' as const, role: 'context' as const };
    lines.set(key, line);
    if (!(line.rules ??= []).includes(rule.id)) line.rules.push(rule.id);
  };
  const creators = draft.hits.filter((h) => h.rule.incident);
  if (creators.length > 0 && creators.every((h) => h.rule.when && !judge(h.rule).holds)) return undefined;
  addLine(failure, 'failure');
  for (const { rule, event } of draft.hits) {
    addLine(event, 'failure', rule);
    addEvidence(rule, event);
  }
  for (const { item, rule } of inputs.context.near(failure, inputs.skewMs, inputs.untimed)) {
    if (inputs.caseOf(item.event.source) !== kase.key) continue;
    if (addEvidence(rule, item.event)) addLine(item.event, 'context', rule);
  }
  for (const rule of inputs.incidentRules) {
    if (!addEvidence(rule, failure)) continue;
    // Quote the configuration or server lines the condition relied on.
    for (const w of judged.get(rule.id)?.witnesses ?? []) if (w.origin) addWitnessLine(w.origin, rule);
  }
  const stacks = [...draft.stacks];
  if (kase.saw('pooler')) stacks.push('pgbouncer');
  const numbers = remedyNumbers({
    observedSqlstates: [...draft.observed],
    texts: [...lines.values()].map((l) => l.text),
    config: (key) => kase.config.lookup(key)?.value,
  });
  const causes = rankCauses(inputs.pack, evidence, [...new Set(stacks)], numbers);
  const ordered = [...lines.values()].sort(byTimeThenPosition);
  return {
    id: `I${draft.seq}`,
    sqlstate: draft.sqlstate,
    kind: draft.kind,
    observedSqlstates: [...draft.observed].sort(),
    why: whyInFamily(draft),
    message: messageOf(failure),
    source: failure.source,
    line: failure.line,
    endLine: Math.max(failure.endLine, ...draft.repeats.map((r) => r.endLine)),
    origin: failure.origin,
    format: failure.format,
    ...(failure.ts !== undefined ? { time: new Date(failure.ts).toISOString() } : {}),
    ...(failure.tsNaive ? { timeNaive: true } : {}),
    stacks: [...new Set(stacks)],
    ...pick(failure.fields, ['exception', 'driver', 'model', 'activity', 'pipeline']),
    evidence: ordered,
    facts: factsOf(evidence, ordered, inputs.pack),
    causes,
    missing: whatWouldDecide(inputs.pack, causes, failure, kase),
  };
}

/** One fact per rule that counted, with the lines it fired on as witnesses (at most three). */
function factsOf(evidence: ScoredEvidence[], lines: EvidenceLine[], pack: RulePack): Fact[] {
  const byRule = new Map<string, Fact>();
  for (const e of evidence) {
    let fact = byRule.get(e.ruleId);
    if (!fact) {
      const witnesses: FactWitness[] = lines
        .filter((l) => l.rules?.includes(e.ruleId))
        .slice(0, 3)
        .map((l) => ({ source: l.source, line: l.line, endLine: l.endLine, text: l.text, origin: l.origin, ...(l.time ? { time: l.time } : {}), which: ['nearest'] }));
      if (witnesses.length === 0) witnesses.push({ source: e.source, line: e.line, endLine: e.line, text: e.text, origin: 'unknown', which: ['nearest'] });
      const rule = pack.rules.find((r) => r.id === e.ruleId);
      fact = { id: e.ruleId, description: rule?.description ?? e.reason, scope: 'session', count: witnesses.length, witnesses, contributes: [] };
      byRule.set(e.ruleId, fact);
    }
    fact.contributes.push({ cause: e.cause, weight: e.weight });
  }
  return [...byRule.values()];
}

function witnessText(witnesses: Witness[]): string {
  return witnesses.map((w) => `${w.name} = ${w.value}${w.origin ? ` (${w.origin.source}:${w.origin.line})` : ''}`).join('; ');
}

function byTimeThenPosition(a: EvidenceLine, b: EvidenceLine): number {
  if (a.role !== b.role && (a.role === 'failure') !== (b.role === 'failure') && !a.time && !b.time) {
    return a.role === 'failure' ? -1 : 1;
  }
  if (a.time && b.time && a.time !== b.time) return a.time < b.time ? -1 : 1;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return a.line - b.line;
}

function whyInFamily(draft: IncidentDraft): string {
  const rules = [...new Set(draft.hits.filter((h) => h.rule.incident).map((h) => h.rule))];
  const reasons = rules.map((r) => `${r.description} [${r.id}]`);
  return reasons.join(' ');
}

function messageOf(event: LogEvent): string {
  const m = event.fields.message ?? event.text;
  return firstLines(m, 3);
}

export function firstLines(text: string, n: number): string {
  const lines = text.split('\n');
  return lines.length <= n ? text : lines.slice(0, n).join('\n') + `\n… (${lines.length - n} more lines)`;
}

function pick<T extends object, K extends keyof T>(obj: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}
