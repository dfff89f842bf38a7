import type { IncidentDraft, NeighbourDraft } from './detect/incidents.js';
import { IncidentTracker } from './detect/incidents.js';
import { DbtThreads } from './detect/dbt-threads.js';
import type { LogEvent } from './events.js';
import { Case } from './evidence/case.js';
import { DEFAULT_SKEW_MS, FactStore } from './evidence/facts.js';
import { poolerReasonOf, reasonRule } from './evidence/pgbouncer-reasons.js';
import { decideSide } from './evidence/side.js';
import { concludeIncident, firstLines } from './evidence/incident.js';
import type { Incident, Neighbour, OverallCause } from './report-types.js';
import { referencedRules } from './rules/expr/index.js';
import { RuleMatcher } from './rules/matcher.js';
import type { Rule, RulePack } from './rules/types.js';
import { OverallRanking } from './score/overall.js';
import { SourceMoments } from './records/alignment.js';

/** Failures of open dbt runs kept waiting for the run summary that repeats them. */
const MAX_HELD_RUN_FAILURES = 512;
/** Context after a failure that may still explain it (the widest rule window after). */
const CONTEXT_AFTER_MS = 2 * 60_000;
/**
 * Incidents waiting for the other sources of their case to be read up to them. A long client
 * log read before its server log holds all of its incidents; past this many the oldest are
 * concluded with what has been read (counted, and said in a warning).
 */
const MAX_PENDING = 20_000;

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

/**
 * The I/O-free core: events in, incidents out. Rules are matched per event; failures become
 * incident drafts, other matches become context evidence; concluding a draft links the
 * context around it and scores the causes.
 */
export class Analyzer {
  readonly matcher: RuleMatcher;
  private readonly tracker: IncidentTracker;
  /** dbt worker threads' current node and pool idle time, from dbt's own lines. */
  private readonly dbtThreads = new DbtThreads();
  private readonly facts: FactStore;
  private pending: IncidentDraft[] = [];
  readonly concluded: Incident[] = [];
  /** Every concluded incident, reduced to its ranking (for the overall causes). */
  private readonly ranking = new OverallRanking();
  /** Incidents found so far (listed, streamed or beyond the cap). */
  incidentsFound = 0;
  readonly neighbours: Neighbour[] = [];
  incidentsOmitted = 0;
  /** Incidents concluded before every source of their case was read up to them (pending cap). */
  concludedEarly = 0;
  events = 0;
  /** Events on which a rule that makes incidents fired (the prefilter's windows read it). */
  failureRecords = 0;
  /** Per-case state (origins, configuration, timing marks), handed to the evidence stage. */
  private readonly cases = new Map<string, Case>();
  private readonly caseOf: (source: string) => string;
  /** Per source, times of its failures and rule hits: whether a naive source lines up with the others. */
  readonly moments = new SourceMoments();
  /** Sources with at least one timestamp; the others cannot be aligned in time. */
  private readonly timedSources = new Set<string>();
  private readonly skewMs: number;
  private readonly maxIncidents: number;
  private readonly retain: boolean;
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
    this.facts = new FactStore(undefined, this.caseOf);
    this.tracker = new IncidentTracker(this.caseOf);
    this.maxIncidents = options.retainIncidents === false ? 0 : (options.maxIncidents ?? 10_000);
    this.retain = options.retainIncidents !== false;
    this.referenced = new Set(pack.rules.flatMap((r) => (r.when ? referencedRules(r.when.ast) : [])));
    this.incidentRules = pack.rules.filter((r) => r.when && !r.match);
  }

  ingest(event: LogEvent): void {
    this.events++;
    // One side per record, decided before any rule reads it.
    decideSide(event);
    this.dbtThreads.annotate(event);
    this.facts.noteIdentity(event);
    const kase = this.caseFor(event.source);
    kase.observe(event);
    if (event.ts !== undefined) this.timedSources.add(event.source);
    const hits = this.matcher.match(event);
    if (hits.length === 0) return;
    this.moments.hit(event.source, event.ts);
    if (hits.some((r) => r.incident)) this.failureRecords++;
    for (const rule of hits) if (this.referenced.has(rule.id)) kase.marks.add(`rule:${rule.id}`, event);
    const { incident, opened, neighbour } = this.tracker.observe(event, hits);
    // A server or pooler record stays context even when it is a (server-view) failure: that
    // incident is dropped when a client log is present, and its line must still count for the
    // client's incidents. A client failure's own evidence stays with its own incident.
    const evidenceRules = hits.filter((r) => r.evidence.length > 0);
    const isContext = !incident || event.origin === 'server' || event.origin === 'pooler';
    const reason = isContext ? poolerReasonOf(event) : undefined;
    if (reason) evidenceRules.push(reasonRule(reason));
    if (evidenceRules.length && isContext) this.facts.add(event, evidenceRules);
    if (incident) {
      if (opened) {
        this.moments.failure(event.source, event.ts);
        this.pending.push(incident);
        // Server-view failures are counted apart: they stand in for client failures only when no client log is given.
        const side = event.origin === 'server' || event.origin === 'pooler' ? 'server-incidents' : 'incidents';
        kase.marks.add(side, event);
        if (side === 'incidents' && event.ts === undefined) kase.untimedClientFailures++;
      }
      return;
    }
    if (neighbour) this.addNeighbour(neighbour);
  }

  /** No record of the source's case has shown a pool yet (so a pool's own line is worth reading). */
  poolUnknown(source: string): boolean {
    return this.cases.get(this.caseOf(source))?.poolManaged()?.value !== true;
  }

  /** Records merged into incidents beyond the per-incident cap, and which rules matched them. */
  get recordsCapped(): { count: number; byRule: ReadonlyMap<string, number> } {
    return { count: this.tracker.recordsCapped, byRule: this.tracker.cappedByRule };
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
   * otherwise those whose context window every source of their case has been read past:
   * `readPast(source, ts)` says whether each source of `source`'s case has ended or reached log
   * time `ts`. Sources are read one after another, so a client incident whose own log moved on
   * still waits for the server log of its case to reach it: the outcome does not depend on
   * which file comes first. Beyond a cap of waiting incidents the oldest are concluded anyway
   * (memory stays bounded) and counted in `concludedEarly`.
   */
  conclude(all: boolean, readPast?: (source: string, ts: number) => boolean): Incident[] {
    const done: Incident[] = [];
    const keep: IncidentDraft[] = [];
    // Failures held for their dbt run's summary, newest kept: a cap bounds memory on endless runs.
    let heldRuns = 0;
    let over = all ? 0 : this.pending.length - MAX_PENDING;
    for (const draft of this.pending) {
      // A server- or pooler-view failure waits until its case has been read whole: whether a
      // client failure covers it is known only then. So does an undated failure, whose context
      // is found by position and in every other source of the case.
      const otherSide = draft.failure.origin === 'server' || draft.failure.origin === 'pooler';
      const until = otherSide || draft.lastTs === undefined ? Infinity : draft.lastTs + CONTEXT_AFTER_MS + this.skewMs;
      const forced = over > 0;
      if (forced) over--;
      const settled =
        all ||
        (readPast?.(draft.failure.source, until) === true && !(this.dbtThreads.runOpen(draft.failure) && heldRuns++ < MAX_HELD_RUN_FAILURES));
      if (!settled && !forced) {
        keep.push(draft);
        continue;
      }
      if (!settled) this.concludedEarly++;
      this.tracker.forget(draft);
      const incident = this.finish(draft);
      if (!incident) continue;
      // Ids count concluded incidents, so they run I1, I2... in report order with no gaps
      // (drafts dropped by a failing `when:` or merged into another take no number).
      incident.id = `I${++this.incidentsFound}`;
      done.push(incident);
      this.ranking.add(incident);
      if (this.concluded.length < this.maxIncidents) this.concluded.push(incident);
      else if (this.retain) this.incidentsOmitted++;
    }
    this.pending = keep;
    return done;
  }

  /** Causes ranked across all concluded incidents: the mean of per-incident scores. */
  overallCauses(): OverallCause[] {
    return this.ranking.causes();
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
    return concludeIncident(draft, this.caseFor(failure.source), {
      pack: this.pack,
      facts: this.facts,
      skewMs: this.skewMs,
      untimed: !this.timedSources.has(failure.source),
      caseOf: this.caseOf,
      incidentRules: this.incidentRules,
    });
  }

  private caseFor(source: string): Case {
    const key = this.caseOf(source);
    let kase = this.cases.get(key);
    if (!kase) this.cases.set(key, (kase = new Case(key)));
    return kase;
  }
}
