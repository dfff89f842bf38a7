import type { LogEvent } from '../events.js';
import type { IncidentDraft } from '../detect/incidents.js';
import type { EvidenceLine, Fact, FactWitness, Incident, RankedCause } from '../report-types.js';
import { describe as describeExpr, evaluate, type Witness } from '../rules/expr/index.js';
import type { Rule, RulePack } from '../rules/types.js';
import { scoreFacts, type ScoredEvidence } from '../score/rank.js';
import { remedyNumbers } from '../remedy/numbers.js';
import { whatWouldDecide } from '../score/missing.js';
import type { Case } from './case.js';
import { firstLines, type FactScope, type FactStore, type StoredWitness } from './facts.js';
import { poolerReasonOf, reasonRule } from './pgbouncer-reasons.js';
import { whenContext } from './when.js';

export { firstLines };

/** What concluding an incident needs besides its draft and its case. */
export interface IncidentInputs {
  pack: RulePack;
  /** Context reduced to facts (server, pooler and other matched records) around failures. */
  facts: FactStore;
  /** Tolerated clock difference between sources, ms. */
  skewMs: number;
  /** The failure's source has no timestamps: its context is found by position instead. */
  untimed: boolean;
  caseOf: (source: string) => string;
  /** Rules judged once per incident (a `when` and no `match`). */
  incidentRules: readonly Rule[];
}

/** Quoted lines per incident at most (the failure's records come first). */
const MAX_EVIDENCE_LINES = 48;

interface Collected {
  rule: Rule;
  scope: FactScope;
  count: number;
  witnesses: Array<{ w: StoredWitness | LogEvent; which: Array<'nearest' | 'first' | 'last'> }>;
  quantities: Record<string, number | string | boolean>;
  verdict?: { witnesses: Witness[] };
}

/** Scores a draft; undefined when every rule that made it an incident has a `when` that fails. */
export function concludeIncident(draft: IncidentDraft, kase: Case, inputs: IncidentInputs): Incident | undefined {
  const failure = draft.failure;
  // A client failure nothing places in time covers the case's server-view failures (see
  // Case.untimedClientFailures); when the server ended exactly one session, that is this
  // failure's moment, and the conditions about timing are judged at it.
  const anchored = failure.ts === undefined && failure.origin !== 'server' && failure.origin !== 'pooler' ? kase.marks.only('server-incidents') : undefined;
  const judgedAt = anchored !== undefined ? { ...failure, ts: anchored } : failure;
  // A rule's `when` is judged once per incident; its evidence counts only when it holds.
  const judged = new Map<string, { holds: boolean; witnesses: Witness[] }>();
  const judge = (rule: Rule) => {
    let verdict = judged.get(rule.id);
    if (!verdict) {
      const result = evaluate(rule.when!.ast, whenContext(judgedAt, kase));
      verdict = { holds: result.value, witnesses: result.witnesses };
      judged.set(rule.id, verdict);
    }
    return verdict;
  };
  const creators = draft.hits.filter((h) => h.rule.incident);
  if (creators.length > 0 && creators.every((h) => h.rule.when && !judge(h.rule).holds)) return undefined;

  // One fact per rule: the failure's own records, then the context, then the per-incident rules.
  const facts = new Map<string, Collected>();
  const collect = (rule: Rule, scope: FactScope, count: number, witnesses: Collected['witnesses'], quantities: Collected['quantities'] = {}) => {
    const verdict = rule.when ? judge(rule) : undefined;
    if (verdict && !verdict.holds) return;
    const known = facts.get(rule.id);
    if (known) {
      known.count += count;
      for (const w of witnesses) if (known.witnesses.length < 3 && !known.witnesses.some((k) => k.w.source === w.w.source && k.w.line === w.w.line)) known.witnesses.push(w);
      return;
    }
    facts.set(rule.id, { rule, scope, count, witnesses, quantities, ...(verdict ? { verdict } : {}) });
  };
  const own = [failure, ...draft.repeats];
  for (const { rule, event } of draft.hits) if (rule.evidence.length > 0) collect(rule, 'self', 1, [{ w: event, which: ['nearest'] }]);
  // Records beyond the per-incident cap still count for their facts (and witness a fact they alone show).
  for (const [rule, { count, first }] of draft.overflow ?? []) if (rule.evidence.length > 0) collect(rule, 'self', count, [{ w: first, which: ['nearest'] }]);
  for (const event of own) {
    const reason = poolerReasonOf(event);
    if (reason) collect(reasonRule(reason), 'self', 1, [{ w: event, which: ['nearest'] }], { reason });
  }
  const sameCase = (source: string) => inputs.caseOf(source) === kase.key;
  for (const g of inputs.facts.gather(failure, { skewMs: inputs.skewMs, untimedSource: inputs.untimed, sameCase })) {
    if (own.some((e) => g.witnesses.length === 1 && e.source === g.witnesses[0].source && e.line === g.witnesses[0].line)) continue;
    const quantities: Collected['quantities'] = {};
    if (g.nearestMs !== undefined) quantities.nearestMs = g.nearestMs;
    if (g.sessions > 1) quantities.sessions = g.sessions;
    collect(g.rule, g.scope, g.count, witnessRoles(g.witnesses), quantities);
  }
  for (const rule of inputs.incidentRules) {
    if (!judge(rule).holds) continue;
    const origins = judge(rule).witnesses.filter((w) => w.origin);
    const quantities: Collected['quantities'] = {};
    for (const w of judge(rule).witnesses) quantities[w.name] = w.value;
    const witnesses = origins.slice(0, 3).map((w) => ({ w: originWitness(w.origin!), which: ['nearest' as const] }));
    collect(rule, 'session', Math.max(1, origins.length), witnesses.length ? witnesses : [{ w: failure, which: ['nearest'] }], quantities);
  }

  const evidence: ScoredEvidence[] = [];
  for (const [id, f] of facts) {
    const nearest = f.witnesses[0]?.w ?? failure;
    for (const ev of f.rule.evidence) {
      evidence.push({
        cause: ev.cause,
        source: nearest.source,
        line: nearest.line,
        text: f.verdict ? witnessText(f.verdict.witnesses) : firstLines(nearest.text, 8),
        ruleId: f.rule.id,
        reason: f.rule.description,
        direction: ev.direction,
        weight: Math.round(ev.weight * 1000) / 1000,
        fact: id,
        scope: f.scope,
        record: f.verdict ? undefined : `${nearest.source}:${nearest.line}`,
        ...(f.rule.when ? { condition: describeExpr(f.rule.when.ast), witnesses: f.verdict!.witnesses } : {}),
      });
    }
  }
  const stacks = [...draft.stacks];
  if (kase.saw('pooler')) stacks.push('pgbouncer');
  // The quoted lines: the failure's records, then every fact's witnesses, bounded.
  const lines = new Map<string, EvidenceLine>();
  const addLine = (w: StoredWitness | LogEvent, role: EvidenceLine['role'], ruleId?: string) => {
    const key = `${w.source}:${w.line}`;
    let line = lines.get(key);
    if (!line) {
      if (lines.size >= MAX_EVIDENCE_LINES) return;
      line = {
        source: w.source,
        line: w.line,
        endLine: w.endLine,
        text: w.text,
        origin: w.origin,
        format: w.format,
        role,
        ...(w.ts !== undefined ? { time: new Date(w.ts).toISOString() } : {}),
        ...(w.tsNaive ? { timeNaive: true } : {}),
      };
      lines.set(key, line);
    }
    if (ruleId && !(line.rules ??= []).includes(ruleId)) line.rules.push(ruleId);
  };
  addLine(failure, 'failure');
  for (const { rule, event } of draft.hits) addLine(event, 'failure', rule.id);
  for (const [id, f] of facts) for (const { w } of f.witnesses) addLine(w, 'context', id);
  const numbers = remedyNumbers({
    observedSqlstates: [...draft.observed],
    // Client records quote driver objects (node-postgres prints its `query_timeout` field):
    // only their messages, and the server's and pooler's own lines, can name a limit.
    texts: [...own.map((e) => e.fields.message ?? e.text.split('\n', 1)[0]), ...[...lines.values()].filter((l) => l.origin === 'server' || l.origin === 'pooler').map((l) => l.text)],
    config: (key) => kase.config.lookup(key)?.value,
  });
  const scored = scoreFacts(inputs.pack, evidence, [...new Set(stacks)], { hypotheses: (c) => c.explains.includes(draft.kind), numbers });
  const causes = scored.causes;
  capOpenRefinement(inputs.pack, causes, facts);

  const outFacts: Fact[] = [];
  for (const [id, f] of facts) {
    const weights = scored.facts.get(id);
    outFacts.push({
      id,
      description: f.rule.description,
      scope: f.scope,
      count: f.count,
      witnesses: f.witnesses.map(({ w, which }) => factWitness(w, which)),
      ...(Object.keys(f.quantities).length ? { quantities: f.quantities } : {}),
      ...(weights?.neutral ? { neutral: true } : {}),
      contributes: weights?.contributes ?? [],
    });
  }
  outFacts.sort((a, b) => maxWeight(b) - maxWeight(a) || a.id.localeCompare(b.id));

  const ordered = [...lines.values()].sort(byTimeThenPosition);
  const missing = whatWouldDecide(inputs.pack, causes, failure, kase, outFacts, draft.kind);
  return {
    id: "", // numbered by the analyzer when concluded, in report order
    sqlstate: draft.sqlstate,
    kind: draft.kind,
    observedSqlstates: [...draft.observed].sort(),
    why: whyInFamily(draft),
    message: messageOf(failure),
    source: failure.source,
    line: failure.line,
    endLine: draft.endLine,
    origin: failure.origin,
    format: failure.format,
    ...(failure.ts !== undefined ? { time: new Date(failure.ts).toISOString() } : {}),
    ...(failure.tsNaive ? { timeNaive: true } : {}),
    stacks: [...new Set(stacks)],
    ...pick(failure.fields, ['exception', 'driver', 'model', 'activity', 'pipeline']),
    evidence: ordered,
    facts: outFacts,
    causes,
    missing: missing.map((m) => m.text),
    missingIds: missing.map((m) => m.id),
  };
}

/**
 * A leading mechanism whose refinement is still open (idle in transaction, when nothing in the
 * application's own lines tells a plain pause from a transaction held across an external call)
 * is at most `medium`: only application lines can decide between them.
 */
function capOpenRefinement(pack: RulePack, causes: RankedCause[], facts: Map<string, Collected>): void {
  const top = causes[0];
  if (!top || top.confidence !== 'high') return;
  const refinements = [...pack.causes.values()].filter((c) => c.refines.includes(top.id) && c.explains.some((k) => pack.causes.get(top.id)?.explains.includes(k)));
  if (refinements.length === 0) return;
  const decided = refinements.every((r) =>
    [...facts.values()].some((f) => {
      const wTop = f.rule.evidence.filter((e) => e.cause === top.id).reduce((s, e) => s + e.weight, 0);
      const wR = f.rule.evidence.filter((e) => e.cause === r.id).reduce((s, e) => s + e.weight, 0);
      const fromApplication = f.rule.when ? !f.rule.match : f.witnesses.some(({ w }) => w.origin === 'client' || w.origin === 'orchestrator');
      return Math.abs(wTop - wR) >= 0.3 && fromApplication && f.scope !== 'nearby';
    }),
  );
  if (!decided) top.confidence = 'medium';
}

function maxWeight(f: Fact): number {
  return f.contributes.reduce((m, c) => Math.max(m, Math.abs(c.weight)), 0);
}

/** Nearest first, then the first and last of the window; one record may be several. */
function witnessRoles(list: StoredWitness[]): Collected['witnesses'] {
  const out: Collected['witnesses'] = [];
  if (list.length === 0) return out;
  const byTime = list.slice().sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || a.seq - b.seq);
  const roles: Array<[StoredWitness, 'nearest' | 'first' | 'last']> = [
    [list[0], 'nearest'],
    [byTime[0], 'first'],
    [byTime[byTime.length - 1], 'last'],
  ];
  for (const [w, which] of roles) {
    const known = out.find((o) => o.w === w);
    if (known) known.which.push(which);
    else out.push({ w, which: [which] });
  }
  return out;
}

function originWitness(o: { source: string; line: number; text: string }): LogEvent {
  return { source: o.source, line: o.line, endLine: o.line, text: o.text, origin: 'config', format: 'config', fields: {} };
}

function factWitness(w: StoredWitness | LogEvent, which: FactWitness['which']): FactWitness {
  return {
    source: w.source,
    line: w.line,
    endLine: w.endLine,
    text: firstLines(w.text, 8),
    origin: w.origin,
    ...(w.ts !== undefined ? { time: new Date(w.ts).toISOString() } : {}),
    ...(w.tsNaive ? { timeNaive: true } : {}),
    which,
  };
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


function pick<T extends object, K extends keyof T>(obj: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}
