import type { LogEvent } from './events.js';
import { IncidentTracker, type IncidentDraft, type NeighbourDraft } from './detect/incidents.js';
import { ContextStore, DEFAULT_SKEW_MS } from './evidence/context.js';
import { RuleMatcher } from './rules/matcher.js';
import type { Rule, RulePack } from './rules/types.js';
import { confidenceOf, rankCauses, UNKNOWN_CAUSE, type ScoredEvidence } from './score/rank.js';
import type { EvidenceLine, Fact, FactWitness, Incident, Neighbour, OverallCause, RankedCause } from './report-types.js';
import { ConfigStore } from './evidence/config.js';
import { extractConfig } from './formats/config/config.js';
import { Marks } from './evidence/timeline.js';
import { describe as describeExpr, evaluate, referencedRules, type ExprContext, type ExprValue, type Witness } from './rules/expr/index.js';

/** Settings worth reading as configuration wherever they are logged; the prefilter looks for them too. */
export const CONFIG_KEYS = [
  'pool_recycle', 'idleTimeoutMillis', 'maxLifetime', 'max_idle', 'max_lifetime', 'keepalives', 'pool_pre_ping', 'pool_mode',
  'idle_session_timeout', 'idle_in_transaction_session_timeout', 'tcp_keepalives', 'client_idle_timeout',
];
const CONFIG_HINT = new RegExp(CONFIG_KEYS.join('|'), 'i');

export interface AnalyzerOptions {
  /** Tolerated clock difference between sources, ms. */
  skewMs?: number;
  /** Incidents kept in full for the final report; later ones are only counted. */
  maxIncidents?: number;
  /**
   * Keep concluded incidents for the final report (default). A streaming caller that has
   * already written them turns this off, so memory does not grow with the number of incidents.
   */
  retainIncidents?: boolean;
  /**
   * Which case a source belongs to. Evidence, configuration and counts never cross cases
   * (`--per-directory` makes every directory its own case); by default all inputs are one case.
   */
  caseOf?: (source: string) => string;
}

/** What the overall ranking needs of an incident once it has been written out. */
interface IncidentSummary {
  id: string;
  causes: Array<{ id: string; title: string; score: number }>;
}

/**
 * The I/O-free core: events in, incidents out. Rules are matched per event; failures become
 * incident drafts, other matches become context evidence; concluding a draft links the
 * context around it and scores the causes.
 */
export class Analyzer {
  readonly matcher: RuleMatcher;
  private readonly tracker = new IncidentTracker();
  private readonly context = new ContextStore();
  private pending: IncidentDraft[] = [];
  readonly concluded: Incident[] = [];
  /** Every concluded incident, reduced to its ranking (for the overall causes). */
  private readonly summaries: IncidentSummary[] = [];
  /** Incidents found so far (listed, streamed or beyond the cap). */
  incidentsFound = 0;
  readonly neighbours: Neighbour[] = [];
  incidentsOmitted = 0;
  events = 0;
  /** Sources that contained server or pooler records: tells what evidence is missing. */
  /** Origins seen per case: tells what evidence is missing and feeds `inputs.*`. */
  private readonly origins = new Map<string, Set<string>>();
  private readonly caseOf: (source: string) => string;
  /** Sources with at least one timestamp; the others cannot be aligned in time. */
  private readonly timedSources = new Set<string>();
  private readonly skewMs: number;
  private readonly maxIncidents: number;
  private readonly retain: boolean;
  private readonly configs = new Map<string, ConfigStore>();
  /** Times of incidents and of records matched by rules that `when:` conditions refer to. */
  private readonly marks = new Marks();
  private readonly referenced: Set<string>;
  /** Rules judged once per incident (a `when` and no `match`). */
  private readonly incidentRules: Rule[];

  constructor(
    readonly pack: RulePack,
    options: AnalyzerOptions = {},
  ) {
    this.matcher = new RuleMatcher(pack);
    this.skewMs = options.skewMs ?? DEFAULT_SKEW_MS;
    this.caseOf = options.caseOf ?? (() => '');
    this.maxIncidents = options.retainIncidents === false ? 0 : (options.maxIncidents ?? 10_000);
    this.retain = options.retainIncidents !== false;
    this.referenced = new Set(pack.rules.flatMap((r) => (r.when ? referencedRules(r.when.ast) : [])));
    this.incidentRules = pack.rules.filter((r) => r.when && !r.match);
  }

  ingest(event: LogEvent): void {
    this.events++;
    const kase = this.caseOf(event.source);
    let seen = this.origins.get(kase);
    if (!seen) this.origins.set(kase, (seen = new Set()));
    seen.add(event.origin);
    if (event.ts !== undefined) this.timedSources.add(event.source);
    if (!event.fields.config && event.origin !== 'server' && CONFIG_HINT.test(event.text)) {
      // Jobs often log their own settings ("engine config: pool_recycle=3600"); read them as configuration.
      const found = extractConfig(event.text, event.source);
      if (Object.keys(found).length) event.fields.config = found;
    }
    if (event.fields.config) this.configFor(kase).add(event);
    const hits = this.matcher.match(event);
    if (hits.length === 0) return;
    for (const rule of hits) if (this.referenced.has(rule.id)) this.marks.add(`${kase}|rule:${rule.id}`, event);
    const { incident, opened, neighbour } = this.tracker.observe(event, hits);
    // A server or pooler record stays context even when it is a (server-view) failure: that
    // incident is dropped when a client log is present, and its line must still count for the
    // client's incidents. A client failure's own evidence stays with its own incident.
    const evidenceRules = hits.filter((r) => r.evidence.length > 0);
    const isContext = !incident || event.origin === 'server' || event.origin === 'pooler';
    if (evidenceRules.length && isContext) this.context.add({ event, rules: evidenceRules });
    if (incident) {
      if (opened) {
        this.pending.push(incident);
        // Server-view failures are counted apart: they stand in for client failures only when no client log is given.
        const side = event.origin === 'server' || event.origin === 'pooler' ? 'server-incidents' : 'incidents';
        this.marks.add(`${kase}|${side}`, event);
      }
      return;
    }
    if (neighbour) this.addNeighbour(neighbour);
  }

  /** A source's skipped lines carry timestamps (the prefilter saw them without parsing them). */
  markTimed(source: string): void {
    this.timedSources.add(source);
  }

  /** Incidents still waiting for context. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Concludes pending incidents. With `all`, every one (end of input or a quiet stream);
   * otherwise those whose source has moved past their context window in log time.
   */
  conclude(all: boolean, logTimeBySource?: Map<string, number>): Incident[] {
    const done: Incident[] = [];
    const keep: IncidentDraft[] = [];
    for (const draft of this.pending) {
      const now = logTimeBySource?.get(draft.failure.source);
      const settled = all || (now !== undefined && draft.lastTs !== undefined && now - draft.lastTs > 2 * 60_000 + this.skewMs);
      if (!settled) {
        keep.push(draft);
        continue;
      }
      this.tracker.forget(draft);
      const incident = this.finish(draft);
      if (!incident) continue;
      done.push(incident);
      this.incidentsFound++;
      if (this.summaries.length < 1_000_000) {
        this.summaries.push({ id: incident.id, causes: incident.causes.map((c) => ({ id: c.id, title: c.title, score: c.score })) });
      }
      if (this.concluded.length < this.maxIncidents) this.concluded.push(incident);
      else if (this.retain) this.incidentsOmitted++;
    }
    this.pending = keep;
    return done;
  }

  /** Causes ranked across all concluded incidents: the mean of per-incident scores. */
  overallCauses(): OverallCause[] {
    const incidents = this.summaries;
    if (incidents.length === 0) return [];
    const sums = new Map<string, { title: string; sum: number; ids: string[]; top: number }>();
    for (const inc of incidents) {
      inc.causes.forEach((c, i) => {
        const entry = sums.get(c.id) ?? { title: c.title, sum: 0, ids: [], top: 0 };
        entry.sum += c.score;
        entry.ids.push(inc.id);
        if (i === 0) entry.top++;
        sums.set(c.id, entry);
      });
    }
    const list = [...sums.entries()]
      .map(([id, e]) => ({ id, title: e.title, score: Math.round((e.sum / incidents.length) * 1000) / 1000, incidents: e.ids, topIn: e.top }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    return list.map((c, i) => ({
      ...c,
      confidence: c.id === UNKNOWN_CAUSE ? ('low' as const) : confidenceOf(c.score, list[i + 1]?.score ?? 0, i === 0),
    }));
  }

  private addNeighbour({ event, rule }: NeighbourDraft): void {
    if (this.neighbours.length >= 1000) return;
    this.neighbours.push({
      sqlstate: rule.neighbour!.sqlstate,
      name: rule.neighbour!.name,
      why: rule.description,
      source: event.source,
      line: event.line,
      text: firstLines(event.text, 6),
      time: event.ts !== undefined ? new Date(event.ts).toISOString() : undefined,
    });
  }

  /** Scores a draft; undefined when every rule that made it an incident has a `when` that fails. */
  private finish(draft: IncidentDraft): Incident | undefined {
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
        const result = evaluate(rule.when!.ast, this.exprContext(failure));
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
    const untimed = !this.timedSources.has(failure.source);
    const kase = this.caseOf(failure.source);
    for (const { item, rule } of this.context.near(failure, this.skewMs, untimed)) {
      if (this.caseOf(item.event.source) !== kase) continue;
      if (addEvidence(rule, item.event)) addLine(item.event, 'context', rule);
    }
    for (const rule of this.incidentRules) {
      if (!addEvidence(rule, failure)) continue;
      // Quote the configuration or server lines the condition relied on.
      for (const w of judged.get(rule.id)?.witnesses ?? []) if (w.origin) addWitnessLine(w.origin, rule);
    }
    const stacks = [...draft.stacks];
    if (this.saw(kase, 'pooler')) stacks.push('pgbouncer');
    const causes = rankCauses(this.pack, evidence, [...new Set(stacks)]);
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
      facts: factsOf(evidence, ordered, this.pack),
      causes,
      missing: this.missingEvidence(causes, failure),
    };
  }

  private saw(kase: string, origin: string): boolean {
    return this.origins.get(kase)?.has(origin) ?? false;
  }

  private configFor(kase: string): ConfigStore {
    let store = this.configs.get(kase);
    if (!store) this.configs.set(kase, (store = new ConfigStore()));
    return store;
  }

  /** The values a `when:` condition may name, for one incident. */
  private exprContext(failure: LogEvent): ExprContext {
    const kase = this.caseOf(failure.source);
    const config = this.configFor(kase);
    const ts = failure.ts;
    const values: Record<string, () => ExprValue | undefined> = {
      gap_before: () =>
        ts !== undefined && failure.prevTs !== undefined ? { value: Math.max(0, ts - failure.prevTs), duration: true } : undefined,
      'server.idle_timeout': () => config.shortest('postgres.idle_session_timeout', 'postgres.idle_in_transaction_session_timeout', 'pgbouncer.client_idle_timeout'),
      'server.idle_in_transaction_session_timeout': () => config.duration('postgres.idle_in_transaction_session_timeout'),
      'server.idle_session_timeout': () => config.duration('postgres.idle_session_timeout'),
      'server.tcp_keepalives_idle': () => config.duration('postgres.tcp_keepalives_idle'),
      'pool.recycle': () =>
        config.shortest(
          'sqlalchemy.pool_recycle',
          'pool.idletimeoutmillis',
          'pool.maxlifetime',
          'pool.max_idle',
          'pool.max_lifetime',
          'npgsql.connection_idle_lifetime',
          'npgsql.connection_lifetime',
        ),
      'pool.mode': () => config.value('pgbouncer.pool_mode'),
      'client.keepalives_idle': () => config.duration('libpq.keepalives_idle', 'dbt.keepalives_idle'),
      'client.keepalives': () => config.value('libpq.keepalives'),
      'inputs.client': () => ({ value: this.saw(kase, 'client') || this.saw(kase, 'orchestrator') }),
      'inputs.server': () => ({ value: this.saw(kase, 'server') }),
      'inputs.pooler': () => ({ value: this.saw(kase, 'pooler') }),
    };
    return {
      value: (path) => {
        const name = path.join('.');
        if (values[name]) return values[name]();
        if (path[0] === 'config' && path.length > 1) return config.value(path.slice(1).join('.'));
        return undefined;
      },
      countIncidents: (windowMs) => {
        if (ts === undefined) return 1;
        const side = this.saw(kase, 'client') || this.saw(kase, 'orchestrator') ? 'incidents' : 'server-incidents';
        return this.marks.count(`${kase}|${side}`, ts, windowMs);
      },
      countRule: (ruleId, windowMs) => (ts === undefined ? 0 : this.marks.count(`${kase}|rule:${ruleId}`, ts, windowMs)),
      nearestRule: (ruleId, windowMs) => (ts === undefined ? undefined : this.marks.nearest(`${kase}|rule:${ruleId}`, ts, windowMs)),
    };
  }

  /** What would move the ranking: the decisive evidence of the leading causes that was not seen. */
  private missingEvidence(causes: RankedCause[], failure: LogEvent): string[] {
    const top = causes[0];
    if (top && top.id !== UNKNOWN_CAUSE && top.confidence === 'high') {
      // Settled: say only what it would take to overturn it.
      const runnerUp = causes.find((c, i) => i > 0 && c.id !== UNKNOWN_CAUSE);
      const def = runnerUp && this.pack.causes.get(runnerUp.id);
      return def?.decidedBy[0] ? [`Only strong evidence for ${runnerUp!.id} would change this ranking: ${def.decidedBy[0]}.`] : [];
    }
    const out: string[] = [];
    const when = failure.ts !== undefined ? windowText(failure.ts) : 'the time of the failure';
    if (!this.saw(this.caseOf(failure.source), 'server')) {
      out.push(`The PostgreSQL server log for ${when} would show whether the server ended the session (and why) or never saw it end.`);
    }
    const contenders = causes.filter((c) => c.id !== UNKNOWN_CAUSE).slice(0, 3);
    for (const c of contenders) {
      const def = this.pack.causes.get(c.id);
      if (def?.decidedBy[0]) out.push(`To confirm or rule out ${c.id}: ${def.decidedBy[0]}.`);
    }
    if (contenders.length === 0) {
      out.push('Nothing in the input points at a specific cause; the server log, the pool settings and the job\'s own lines before the failure would.');
    }
    return out;
  }
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

function windowText(ts: number): string {
  const from = new Date(ts - 15 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  const to = new Date(ts + 60_000).toISOString().slice(11, 19);
  return `${from}-${to} UTC`;
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

function firstLines(text: string, n: number): string {
  const lines = text.split('\n');
  return lines.length <= n ? text : lines.slice(0, n).join('\n') + `\n… (${lines.length - n} more lines)`;
}

function pick<T extends object, K extends keyof T>(obj: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}
