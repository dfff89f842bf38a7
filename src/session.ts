/**
 * The wiring of one analysis: sources are read by their own readers (records/source.ts), their
 * dated events pass the time window (records/window.ts) into the analyzer, and the report is
 * put together from the readers' counters and the analyzer's conclusions (report/summary.ts).
 */
import { Analyzer } from './analyzer.js';
import { DEFAULT_LINE_LIMITS, type LineLimits } from './bytes/lines.js';
import { DEFAULT_SKEW_MS } from './evidence/facts.js';
import { mayShowPool } from './evidence/pool.js';
import type { LogEvent } from './events.js';
import { selectFormats } from './formats/index.js';
import type { FormatOptions, FormatParser } from './formats/types.js';
import { type Said, say } from './messages/say.js';
import { bestShift, linedUp, offsetName, type ZoneShift } from './records/alignment.js';
import { prefilterPlan } from './prefilter/for-rules.js';
import type { LiteralPlan } from './prefilter/plan.js';
import type { RecordLimits } from './records/assembler.js';
import { SourceReader } from './records/source.js';
import { EventWindow, type TimeWindow } from './records/window.js';
import type { Incident, Report, SkippedFile } from './report-types.js';
import { caseOfSource, ProblemGrouper } from './report/problems.js';
import { buildReport } from './report/summary.js';
import type { RulePack } from './rules/types.js';

export type { TimeWindow } from './records/window.js';

export interface SessionOptions {
  /** `auto` (default) or one format id: every record of every source is read as that format. */
  inputFormat?: string;
  format?: FormatOptions;
  lineLimits?: LineLimits;
  recordLimits?: RecordLimits;
  skewMs?: number;
  maxIncidents?: number;
  /** Called for each incident as soon as it is concluded (streams). */
  onIncident?: (incident: Incident) => void;
  /**
   * Skip bytes no rule can match before splitting them into lines (default on). Turned off
   * automatically when a rule has no literal to look for.
   */
  prefilter?: boolean;
  /** Keep incidents for the final report (default); off when they were already streamed out. */
  retainIncidents?: boolean;
  /** Every directory is its own case: evidence and configuration do not cross directories. */
  perDirectory?: boolean;
  /** List every incident id in `problems[].incidents` (default); off, only the first 50 (bounded memory). */
  problemIds?: boolean;
  /** Only events in this time window are analysed (undated events, e.g. settings, always are). */
  window?: TimeWindow;
  /** The time zone naive timestamps were written in (`--tz`); UTC when unset. */
  tz?: string;
  /** A zone for one source's naive timestamps (`path@tz=ZONE`), overriding `tz`. */
  zoneOf?: (source: string) => string | undefined;
  /**
   * Naive sources to read at a fixed offset, as a first run's `zoneShifts()` found them; each
   * is said in a warning.
   */
  shifts?: readonly ZoneShift[];
}

/**
 * One analysis over any number of sources. Bytes go in per source (`write`), incidents come
 * out through `onIncident` as they are concluded, and `finish` returns the full report.
 * No I/O happens here: files, stdin and library inputs are adapters around it.
 */
export class TriageSession {
  readonly analyzer: Analyzer;
  private readonly sources = new Map<string, SourceReader>();
  private readonly formats: () => FormatParser[];
  private readonly warnings: Said[] = [];
  /** Every concluded incident's problem (O(problems) state, also when incidents are streamed out). */
  private readonly problems: ProblemGrouper;
  /** Latest log time per source, for concluding incidents whose context window has passed. */
  private readonly lastTimes = new Map<string, number>();
  /** Sources not ended yet (announced or being read), per case: incidents wait for them. */
  private readonly openByCase = new Map<string, Set<string>>();
  private readonly caseOf: (source: string) => string;
  private readonly skippedCounts = new Map<string, number>();
  private readonly skipped: SkippedFile[] = [];
  private readonly window: EventWindow | undefined;
  private readonly plan: LiteralPlan | undefined;

  constructor(
    pack: RulePack,
    private readonly options: SessionOptions = {},
  ) {
    this.problems = new ProblemGrouper(!!options.perDirectory, options.problemIds !== false);
    this.caseOf = options.perDirectory ? (source) => caseOfSource(source, true) : () => '';
    this.analyzer = new Analyzer(pack, {
      skewMs: options.skewMs,
      maxIncidents: options.maxIncidents,
      retainIncidents: options.retainIncidents,
      caseOf: options.perDirectory ? this.caseOf : undefined,
    });
    for (const notice of pack.notices) this.warnings.push(notice);
    for (const z of options.shifts ?? []) {
      this.warnings.push(say('warning.zone-shifted', { source: z.source, zone: z.zone, matched: z.matched, failures: z.failures, against: z.against.join(', ') }));
    }
    // Formats are pure (no state between records), so one set serves every source; each
    // assembler keeps its own trial order. An unknown name throws here, before any input is read.
    const shared = selectFormats(options.inputFormat, options.format ?? {});
    // Formats that learn a source's layout get a fresh instance per source.
    this.formats = () => shared.map((f) => f.perSource?.() ?? f);
    if (options.prefilter !== false) {
      const { plan, unfiltered } = prefilterPlan(this.analyzer.matcher);
      this.plan = plan;
      if (unfiltered.length > 0) this.warnings.push(say('warning.prefilter-off', { rules: unfiltered.join(', ') }));
    }
    if (options.window) this.window = new EventWindow(options.window);
  }

  /**
   * Feeds bytes of one source. Sources may interleave. Returns false once the source is skipped
   * (binary): the caller should stop reading it.
   */
  write(sourceName: string, chunk: Buffer): boolean {
    return this.source(sourceName).write(chunk);
  }

  /**
   * Announces the sources that will be read (in any order, one after another): an incident is
   * concluded only once every source of its case has ended or been read past its context, so
   * a server log read after its client log still counts.
   */
  expect(sourceNames: readonly string[]): void {
    for (const name of sourceNames) if (!this.sources.get(name)?.final) this.openSet(name).add(name);
  }

  private openSet(name: string): Set<string> {
    const key = this.caseOf(name);
    let set = this.openByCase.get(key);
    if (!set) this.openByCase.set(key, (set = new Set()));
    return set;
  }

  /** Has every source of `source`'s case ended or been read up to log time `ts`? */
  private readPast = (source: string, ts: number): boolean => {
    const open = this.openByCase.get(this.caseOf(source));
    if (!open) return true;
    for (const name of open) {
      const t = this.lastTimes.get(name);
      if (t === undefined || t < ts) return false;
    }
    return true;
  };

  /** Ends one source: its last line and open record are flushed. */
  endSource(sourceName: string): void {
    this.close(this.source(sourceName));
    // The case may have been waiting only for this source.
    this.concludeSettled();
  }

  private close(reader: SourceReader): void {
    reader.close();
    this.openSet(reader.name).delete(reader.name);
  }

  /** Records an input that could not be read; the analysis goes on with the others. */
  failSource(sourceName: string, message: string): void {
    this.source(sourceName).error = message;
    this.warnings.push(say('warning.source-failed', { source: sourceName, error: message }));
  }

  /** A directory walk did not read this entry: counted by reason, listed up to a cap. */
  skipFile(entry: SkippedFile): void {
    this.skippedCounts.set(entry.reason, (this.skippedCounts.get(entry.reason) ?? 0) + 1);
    if (this.skipped.length < SKIPPED_LISTED) this.skipped.push(entry);
  }

  warn(message: Said): void {
    this.warnings.push(message);
  }

  /** A stream went quiet: complete open records and conclude what is pending. */
  quiet(): Incident[] {
    for (const s of this.sources.values()) s.quiet();
    return this.emit(this.analyzer.conclude(true));
  }

  /** Ends everything and builds the report. */
  finish(): Report {
    for (const s of this.sources.values()) this.close(s);
    this.emit(this.analyzer.conclude(true));
    if (this.analyzer.concludedEarly > 0) this.warnings.push(say('warning.concluded-early', { count: this.analyzer.concludedEarly }));
    return this.buildReport();
  }

  private concludeSettled(): void {
    if (this.analyzer.pendingCount === 0) return;
    this.emit(this.analyzer.conclude(false, this.readPast));
  }

  private emit(incidents: Incident[]): Incident[] {
    for (const i of incidents) this.problems.add(i);
    if (this.options.onIncident) for (const i of incidents) this.options.onIncident(i);
    return incidents;
  }

  /** The zone a source's naive timestamps are read in: stated, else found by a first run, else none (UTC). */
  private zoneOf(name: string): string | undefined {
    return this.options.zoneOf?.(name) ?? this.options.tz ?? this.options.shifts?.find((z) => z.source === name)?.zone;
  }

  /**
   * After `finish`: the naive sources (no zone stated) whose failures line up with the zoned
   * sources of their case only at a whole-hour (or 30/45-minute) offset. A caller that can read
   * the inputs again passes them as `shifts` to a new session.
   */
  zoneShifts(): ZoneShift[] {
    const caseOf = (s: string) => caseOfSource(s, !!this.options.perDirectory);
    const moments = this.analyzer.moments;
    const window = 60_000 + (this.options.skewMs ?? DEFAULT_SKEW_MS);
    const readers = [...this.sources.values()];
    const out: ZoneShift[] = [];
    for (const naive of readers) {
      if (!naive.final?.timeRange?.naive || this.zoneOf(naive.name) !== undefined) continue;
      const failures = moments.failures(naive.name);
      const zoned = readers.filter((z) => z !== naive && caseOf(z.name) === caseOf(naive.name) && z.final?.timeRange && !z.final.timeRange.naive);
      const best = bestShift(failures, zoned.flatMap((z) => moments.hits(z.name)), window);
      if (!best) continue;
      const against = zoned.filter((z) => linedUp(failures, [...moments.hits(z.name)].sort((a, b) => a - b), best.shift, window) > 0);
      out.push({ source: naive.name, zone: offsetName(-best.shift), matched: best.matched, failures: failures.length, against: against.map((z) => z.name) });
    }
    return out;
  }

  private source(name: string): SourceReader {
    let reader = this.sources.get(name);
    if (reader) return reader;
    const window = this.window;
    reader = new SourceReader(name, {
      formats: this.formats(),
      lineLimits: this.options.lineLimits,
      recordLimits: this.options.recordLimits,
      plan: this.plan,
      ...(window ? { window: { bounds: window, marginMs: this.options.skewMs ?? DEFAULT_SKEW_MS } } : {}),
      zone: this.zoneOf(name),
      // A pool's own wording is worth parsing too, until the case has seen its pool.
      mayMatch: (text) => this.analyzer.matcher.mayMatch(text) || (this.analyzer.poolUnknown(name) && mayShowPool(text)),
      events: (events, latest) => this.ingest(name, events, latest),
      timed: () => this.analyzer.markTimed(name),
      fed: () => this.concludeSettled(),
      failureRecords: () => this.analyzer.failureRecords,
      warn: (message) => this.warnings.push(message),
    });
    this.sources.set(name, reader);
    this.openSet(name).add(name);
    return reader;
  }

  private ingest(source: string, events: LogEvent[], latest: number | undefined): void {
    if (latest !== undefined) this.lastTimes.set(source, latest);
    for (const event of events) {
      if (event.ts !== undefined && this.window?.excludes(event.ts)) continue;
      this.analyzer.ingest(event);
    }
  }

  private buildReport(): Report {
    const analyzer = this.analyzer;
    const readers = [...this.sources.values()];
    const sum = (key: 'records' | 'recordsMalformed' | 'recordsProse') => readers.reduce((n, r) => n + r[key], 0);
    const window = this.window;
    const report = buildReport(
      {
        incidents: analyzer.concluded,
        incidentsFound: analyzer.incidentsFound,
        incidentsOmitted: analyzer.incidentsOmitted,
        events: analyzer.events,
        causes: analyzer.overallCauses(),
        neighbours: analyzer.neighbours,
      },
      readers.map((r) => ({ ...r.final!, ...(r.error ? { error: r.error } : {}) })),
      {
        records: sum('records'),
        recordsMalformed: sum('recordsMalformed'),
        recordsProse: sum('recordsProse'),
        warnings: this.warnings,
        inputFormat: this.options.inputFormat,
        caseOf: this.options.perDirectory ? (source: string) => caseOfSource(source, true) : () => '',
        skewMs: this.options.skewMs ?? DEFAULT_SKEW_MS,
        maxLineChars: (this.options.lineLimits ?? DEFAULT_LINE_LIMITS).maxLineChars,
        skippedCounts: this.skippedCounts,
        recordsCapped: analyzer.recordsCapped,
        ...(window ? { window: window.summary(), eventsOutsideWindow: window.eventsOutside } : {}),
        skipped: this.skipped,
      },
    );
    return { ...report, problems: this.problems.problems() };
  }
}

/** Skipped walk entries listed in the report; all of them are counted. */
const SKIPPED_LISTED = 1000;
