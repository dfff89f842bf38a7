import { Analyzer } from './analyzer.js';
import { TextSniffer } from './bytes/sniff.js';
import { DEFAULT_LINE_LIMITS, LineSplitter, type LineLimits } from './bytes/lines.js';
import type { RawRecord } from './events.js';
import { CONFIG_KEYS } from './formats/config/logged.js';
import { DBT_THREAD_ANCHORS } from './detect/dbt-threads.js';
import { genericFormat, selectFormats } from './formats/index.js';
import type { FormatOptions, FormatParser, RecordState } from './formats/types.js';
import { LiteralPlan } from './prefilter/plan.js';
import { WindowedFeeder } from './prefilter/windowed.js';
import { EventDater } from './records/dating.js';
import { DEFAULT_RECORD_LIMITS, parseRecord, RecordAssembler, type RecordLimits } from './records/assembler.js';
import type { Incident, Report, SkippedFile } from './report-types.js';
import { DEFAULT_SKEW_MS } from './evidence/facts.js';
import { caseOfSource, ProblemGrouper } from './report/problems.js';
import { buildReport, type SourceTotals } from './report/summary.js';
import type { RulePack } from './rules/types.js';
import { type Said, say } from './messages/say.js';

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
}

/**
 * `--since`/`--until`. Absolute bounds are epoch ms. A `back` bound is a duration before the
 * newest log time: `newest` when the caller knows it (the tails of regular files), else the
 * newest time seen so far, so on a live stream `since` slides along with the stream.
 */
export interface TimeWindow {
  since?: number;
  until?: number;
  sinceBack?: number;
  untilBack?: number;
  newest?: number;
}

interface SourceState {
  name: string;
  /** Text or binary, encoding, leading NULs: decided on the first bytes. */
  sniffer: TextSniffer;
  splitter: LineSplitter;
  assembler: RecordAssembler;
  /** The byte prefilter in front of the splitter, when enabled. */
  feeder?: WindowedFeeder;
  dater: EventDater;
  error?: string;
  /** Set when the source has ended: its counters, kept after the reading machinery is dropped. */
  final?: SourceTotals;
}

/**
 * One analysis over any number of sources. Bytes go in per source (`write`), incidents come
 * out through `onIncident` as they are concluded, and `finish` returns the full report.
 * No I/O happens here: files, stdin and library inputs are adapters around it.
 */
export class TriageSession {
  readonly analyzer: Analyzer;
  private readonly sources = new Map<string, SourceState>();
  private readonly order: SourceState[] = [];
  private readonly formats: () => FormatParser[];
  private readonly warnings: Said[] = [];
  /** Every concluded incident's problem (O(problems) state, also when incidents are streamed out). */
  private readonly problems: ProblemGrouper;
  private recordsMalformed = 0;
  private recordsProse = 0;
  /** Latest log time per source, for concluding incidents whose context window has passed. */
  private readonly lastTimes = new Map<string, number>();
  /** Sources not ended yet (announced or being read), per case: incidents wait for them. */
  private readonly openByCase = new Map<string, Set<string>>();
  private readonly caseOf: (source: string) => string;
  private records = 0;
  private readonly skippedCounts = new Map<string, number>();
  private eventsOutsideWindow = 0;
  private newestSeen = -Infinity;
  private readonly skipped: SkippedFile[] = [];
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
    const inputFormat = options.inputFormat;
    const formatOptions = options.format ?? {};
    // Formats are pure (no state between records), so one set serves every source; each
    // assembler keeps its own trial order. An unknown name throws here, before any input is read.
    const shared = selectFormats(inputFormat, formatOptions);
    // Formats that learn a source's layout get a fresh instance per source.
    this.formats = () => shared.map((f) => f.perSource?.() ?? f);
    const matcher = this.analyzer.matcher;
    if (options.prefilter !== false && matcher.unfilteredRules.length === 0) {
      // Settings and dbt.log's date anchors are read where they stand, like evidence.
      const extra = [...CONFIG_KEYS, ...DATE_ANCHORS, ...DBT_THREAD_ANCHORS].map((text) => ({ all: [{ text }], cls: 'context' as const }));
      const plan = new LiteralPlan([...matcher.planEntries(), ...extra]);
      if (plan.usable) this.plan = plan;
    }
    if (options.prefilter !== false && matcher.unfilteredRules.length > 0) {
      this.warnings.push(say('warning.prefilter-off', { rules: matcher.unfilteredRules.map((r) => r.id).join(', ') }));
    }
  }

  /**
   * Feeds bytes of one source. Sources may interleave. Returns false once the source is skipped
   * (binary): the caller should stop reading it.
   */
  write(sourceName: string, chunk: Buffer): boolean {
    return this.source(sourceName).sniffer.write(chunk);
  }

  private feedText(state: SourceState, chunk: Buffer): void {
    if (state.feeder) state.feeder.push(chunk);
    else state.splitter.push(chunk);
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
    const state = this.source(sourceName);
    this.close(state);
    // The case may have been waiting only for this source.
    this.concludeSettled();
  }

  /**
   * Flushes a source and keeps only its counters, so thousands of ended inputs do not each
   * hold a splitter, an assembler and their buffers.
   */
  private close(state: SourceState): void {
    if (state.final) return;
    const rest = state.sniffer.settle();
    if (rest) this.feedText(state, rest);
    state.feeder?.end();
    state.splitter.end();
    state.assembler.flush();
    if (state.feeder?.sawTimedLine) this.analyzer.markTimed(state.name);
    this.openSet(state.name).delete(state.name);
    state.final = {
      name: state.name,
      counters: state.splitter.counters,
      recordsTruncated: state.assembler.recordsTruncated,
      formatCounts: state.assembler.formatCounts,
      linesSkipped: state.feeder?.linesSkipped ?? 0,
      binary: state.sniffer.binary,
      ...(state.dater.firstTs !== undefined && state.dater.lastTs !== undefined
        ? { timeRange: { first: state.dater.firstTs, last: state.dater.lastTs, naive: state.dater.naive } }
        : {}),
    };
    state.splitter = CLOSED_SPLITTER;
    state.assembler = CLOSED_ASSEMBLER;
    state.feeder = undefined;
    state.sniffer.drop();
  }

  /** Records an input that could not be read; the analysis goes on with the others. */
  failSource(sourceName: string, message: string): void {
    const state = this.source(sourceName);
    state.error = message;
    this.warnings.push(say('warning.source-failed', { source: sourceName, error: message }));
  }

  private outsideWindow(ts: number): boolean {
    const w = this.options.window;
    if (!w) return false;
    if (ts > this.newestSeen) this.newestSeen = ts;
    const newest = w.newest ?? this.newestSeen;
    const since = w.since ?? (w.sinceBack !== undefined ? newest - w.sinceBack : undefined);
    const until = w.until ?? (w.untilBack !== undefined ? newest - w.untilBack : undefined);
    return (since !== undefined && ts < since) || (until !== undefined && ts > until);
  }

  /** The window as resolved at the end (relative bounds against the newest time seen). */
  private windowSummary(): { since?: string; until?: string } {
    const w = this.options.window!;
    const newest = w.newest ?? (Number.isFinite(this.newestSeen) ? this.newestSeen : undefined);
    const at = (abs: number | undefined, back: number | undefined) =>
      abs !== undefined ? new Date(abs).toISOString() : back !== undefined && newest !== undefined ? new Date(newest - back).toISOString() : undefined;
    const since = at(w.since, w.sinceBack);
    const until = at(w.until, w.untilBack);
    return { ...(since ? { since } : {}), ...(until ? { until } : {}) };
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
    for (const s of this.order) {
      if (s.final) continue;
      // A live stream that went quiet is judged on the bytes it has sent so far.
      s.sniffer.decideEarly();
      s.assembler.flush();
    }
    return this.emit(this.analyzer.conclude(true));
  }

  /** Ends everything and builds the report. */
  finish(): Report {
    for (const s of this.order) this.close(s);
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

  private source(name: string): SourceState {
    let state = this.sources.get(name);
    if (state) return state;
    const assembler = new RecordAssembler(
      name,
      this.formats(),
      genericFormat,
      (record, format, st) => this.onRecord(state!, record, format, st),
      this.options.recordLimits ?? DEFAULT_RECORD_LIMITS,
    );
    const lineLimits = this.options.lineLimits ?? DEFAULT_LINE_LIMITS;
    const splitter = new LineSplitter((text, lineNo) => assembler.pushLine(text, lineNo), lineLimits);
    const sniffer = new TextSniffer(name, {
      text: (chunk) => {
        this.feedText(state!, chunk);
        this.concludeSettled();
      },
      count: (bytes) => {
        state!.splitter.counters.bytes += bytes;
      },
      warn: (message) => this.warnings.push(message),
    });
    state = { name, sniffer, splitter, assembler, dater: new EventDater(this.options.zoneOf?.(name) ?? this.options.tz) };
    if (this.plan) {
      state.feeder = new WindowedFeeder(
        this.plan,
        splitter,
        { continues: (line) => assembler.continuesWith(line), closeWindow: () => assembler.flush() },
        lineLimits.maxLineChars * 4,
      );
    }
    this.sources.set(name, state);
    this.order.push(state);
    this.openSet(name).add(name);
    return state;
  }

  private onRecord(state: SourceState, record: RawRecord, format: FormatParser, recordState: RecordState): void {
    this.records++;
    // Lines nobody claimed are only worth parsing when some rule could match them; their time
    // is read lazily, only when a later record needs the idle gap before it.
    const unclaimed = format === genericFormat || format.broad === true;
    if (unclaimed && !this.analyzer.matcher.mayMatch(format === genericFormat ? (record.lines[0] ?? '') : record.lines.join('\n'))) {
      if (state.dater.skipped(record.lines[0] ?? '')) this.analyzer.markTimed(state.name);
      return;
    }
    const { events, malformed, prose } = parseRecord(format, record, recordState);
    if (malformed) this.recordsMalformed++;
    if (prose) this.recordsProse++;
    const latest = state.dater.stamp(events, record);
    if (latest !== undefined) this.lastTimes.set(state.name, latest);
    for (const event of events) {
      if (event.ts !== undefined && this.outsideWindow(event.ts)) {
        this.eventsOutsideWindow++;
        continue;
      }
      this.analyzer.ingest(event);
    }
  }

  private buildReport(): Report {
    const analyzer = this.analyzer;
    const report = buildReport(
      {
        incidents: analyzer.concluded,
        incidentsFound: analyzer.incidentsFound,
        incidentsOmitted: analyzer.incidentsOmitted,
        events: analyzer.events,
        causes: analyzer.overallCauses(),
        neighbours: analyzer.neighbours,
      },
      this.order.map((s) => ({ ...s.final!, ...(s.error ? { error: s.error } : {}) })),
      {
        records: this.records,
        recordsMalformed: this.recordsMalformed,
        recordsProse: this.recordsProse,
        warnings: this.warnings,
        inputFormat: this.options.inputFormat,
        caseOf: this.options.perDirectory ? (source: string) => caseOfSource(source, true) : () => '',
        skewMs: this.options.skewMs ?? DEFAULT_SKEW_MS,
        maxLineChars: (this.options.lineLimits ?? DEFAULT_LINE_LIMITS).maxLineChars,
        skippedCounts: this.skippedCounts,
        ...(this.options.window ? { window: this.windowSummary(), eventsOutsideWindow: this.eventsOutsideWindow } : {}),
        skipped: this.skipped,
      },
    );
    return { ...report, problems: this.problems.problems() };
  }
}

/** Stand-ins for the reading machinery of ended sources: nothing may be fed to them any more. */
const CLOSED_SPLITTER = new LineSplitter(() => {
  throw new Error('pgtriage: a source was written after it ended');
});
const CLOSED_ASSEMBLER = new RecordAssembler('<closed>', [], genericFormat, () => {
  throw new Error('pgtriage: a source was written after it ended');
});

/**
 * Lines the prefilter must not skip although no rule looks at them: dbt.log's invocation header
 * is the only place that gives its time-of-day lines a date.
 */
const DATE_ANCHORS = ['============================== '];

/** Skipped walk entries listed in the report; all of them are counted. */
const SKIPPED_LISTED = 1000;
