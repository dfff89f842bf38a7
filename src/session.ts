import path from 'node:path';
import type { LogEvent } from './events.js';
import { Analyzer } from './analyzer.js';
import { genericFormat, selectFormats } from './formats/index.js';
import type { FormatOptions, FormatParser, RecordState } from './formats/types.js';
import { DEFAULT_LINE_LIMITS, LineSplitter, type LineLimits } from './bytes/lines.js';
import { SNIFF_BYTES, sniff as sniffHead } from './input/sources.js';
import { TextDecoder } from 'node:util';
import { DEFAULT_RECORD_LIMITS, RecordAssembler, type RecordLimits } from './records/assembler.js';
import type { RawRecord } from './events.js';
import type { RulePack } from './rules/types.js';
import { SCHEMA_VERSION, type Incident, type Report, type SourceSummary, type Stats } from './report-types.js';
import { VERSION } from './version.js';
import { startsWithDate } from './formats/common/timestamp.js';
import { leadingTimestamp } from './formats/generic/generic.js';
import { CONFIG_KEYS } from './analyzer.js';
import { LiteralPlan } from './prefilter/plan.js';
import { WindowedFeeder } from './prefilter/windowed.js';

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
}

interface SourceState {
  name: string;
  splitter: LineSplitter;
  assembler: RecordAssembler;
  /** The byte prefilter in front of the splitter, when enabled. */
  feeder?: WindowedFeeder;
  /** The first bytes, held until there are enough to tell text from binary; undefined once decided. */
  sniff?: { parts: Buffer[]; bytes: number; leadingNul: number };
  /** Set for UTF-16 sources: their text is re-encoded as UTF-8 before line splitting. */
  decoder?: TextDecoder;
  binary: boolean;
  error?: string;
  /** Latest log time seen in this source, for concluding incidents on streams. */
  lastTs?: number;
  /** Time of the last timed record, for idle gaps. */
  prevTs?: number;
  /** The last line skipped without parsing; its time is read only if a failure follows. */
  skippedHead?: string;
  /** The analyzer knows this source carries dated lines. */
  markedTimed?: boolean;
  /** The last dated record of this source, to date time-of-day-only lines after it. */
  dated?: { ts: number; naive: boolean };
  /** Set when the source has ended: its counters, kept after the reading machinery is dropped. */
  final?: { counters: LineSplitter['counters']; recordsTruncated: number; formatCounts: Map<string, number>; linesSkipped: number };
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
  private readonly warnings: string[] = [];
  private recordsMalformed = 0;
  /** Latest log time per source, for concluding incidents whose context window has passed. */
  private readonly lastTimes = new Map<string, number>();
  private records = 0;
  private readonly plan: LiteralPlan | undefined;

  constructor(
    pack: RulePack,
    private readonly options: SessionOptions = {},
  ) {
    this.analyzer = new Analyzer(pack, {
      skewMs: options.skewMs,
      maxIncidents: options.maxIncidents,
      retainIncidents: options.retainIncidents,
      caseOf: options.perDirectory ? (source) => path.dirname(source) : undefined,
    });
    for (const notice of pack.notices) this.warnings.push(notice);
    const inputFormat = options.inputFormat;
    const formatOptions = options.format ?? {};
    selectFormats(inputFormat, formatOptions); // validates the name early
    // Formats are pure (no state between records), so one set serves every source; each
    // assembler keeps its own trial order.
    const shared = selectFormats(inputFormat, formatOptions);
    this.formats = () => shared.slice();
    const matcher = this.analyzer.matcher;
    if (options.prefilter !== false && matcher.unfilteredRules.length === 0) {
      // Settings and dbt.log's date anchors are read where they stand, like evidence.
      const extra = [...CONFIG_KEYS, ...DATE_ANCHORS].map((text) => ({ all: [{ text }], cls: 'context' as const }));
      const plan = new LiteralPlan([...matcher.planEntries(), ...extra]);
      if (plan.usable) this.plan = plan;
    }
    if (options.prefilter !== false && matcher.unfilteredRules.length > 0) {
      this.warnings.push(
        `the byte prefilter is off because these rules have no literal text to look for: ${matcher.unfilteredRules.map((r) => r.id).join(', ')}`,
      );
    }
  }

  /**
   * Feeds bytes of one source. Sources may interleave. Returns false once the source is skipped
   * (binary): the caller should stop reading it.
   */
  write(sourceName: string, chunk: Buffer): boolean {
    const state = this.source(sourceName);
    if (state.binary) return false;
    const sniff = state.sniff;
    if (!sniff) {
      this.feedBytes(state, chunk);
      return true;
    }
    // The decision waits for SNIFF_BYTES (or the end of the source), so it does not depend on
    // how the bytes were chunked. A leading run of NULs (a log truncated by a copytruncate
    // rotation while its writer kept its offset) is dropped, not judged.
    if (sniff.bytes === 0) {
      let i = 0;
      while (i < chunk.length && chunk[i] === 0) i++;
      sniff.leadingNul += i;
      chunk = chunk.subarray(i);
    }
    if (chunk.length > 0) {
      sniff.parts.push(chunk);
      sniff.bytes += chunk.length;
    }
    if (sniff.bytes < SNIFF_BYTES) return true;
    return this.decide(state);
  }

  /** Tells text from binary on the held first bytes, then feeds them. False when binary. */
  private decide(state: SourceState): boolean {
    const sniff = state.sniff;
    if (!sniff) return !state.binary;
    state.sniff = undefined;
    const body = sniff.parts.length === 1 ? sniff.parts[0] : Buffer.concat(sniff.parts);
    if (sniff.bytes === 0 && sniff.leadingNul === 0) return true;
    state.splitter.counters.bytes += sniff.leadingNul;
    if (sniff.bytes === 0) {
      state.binary = true;
      this.warnings.push(`${state.name}: contains only NUL bytes; skipped`);
      return false;
    }
    // UTF-16BE text without a BOM starts with a NUL byte: keep one when the run was odd.
    const oddNul = sniff.leadingNul % 2 === 1;
    const probe = oddNul ? Buffer.concat([Buffer.alloc(1), body]) : body;
    const kind = sniffHead(probe);
    if (kind.kind === 'binary') {
      state.binary = true;
      this.warnings.push(`${state.name}: looks like a binary file; skipped`);
      return false;
    }
    let text = body;
    let nuls = sniff.leadingNul;
    if (kind.encoding === 'utf-8') {
      text = body.subarray(kind.bom);
      state.splitter.counters.bytes += kind.bom;
    } else {
      if (oddNul && kind.bom === 0 && kind.encoding === 'utf-16be') {
        text = probe;
        nuls--;
        state.splitter.counters.bytes--;
      }
      state.decoder = new TextDecoder(kind.encoding);
    }
    if (nuls > 0) this.warnings.push(`${state.name}: skipped ${nuls} NUL byte(s) at the start (a log truncated while its writer kept its offset?)`);
    if (text.length > 0) this.feedBytes(state, text);
    return true;
  }

  private feedBytes(state: SourceState, chunk: Buffer): void {
    if (state.decoder) chunk = Buffer.from(state.decoder.decode(chunk, { stream: true }), 'utf8');
    if (chunk.length === 0) return;
    if (state.feeder) state.feeder.push(chunk);
    else state.splitter.push(chunk);
    this.concludeSettled();
  }

  /** Decides a source still being sniffed and flushes a UTF-16 decoder: its bytes are all in. */
  private settleSource(state: SourceState): void {
    if (state.sniff) this.decide(state);
    if (state.decoder && !state.binary) {
      const rest = state.decoder.decode();
      state.decoder = new TextDecoder(state.decoder.encoding);
      if (rest.length > 0) {
        const bytes = Buffer.from(rest, 'utf8');
        if (state.feeder) state.feeder.push(bytes);
        else state.splitter.push(bytes);
      }
    }
  }

  /** Ends one source: its last line and open record are flushed. */
  endSource(sourceName: string): void {
    const state = this.source(sourceName);
    this.close(state);
  }

  /**
   * Flushes a source and keeps only its counters, so thousands of ended inputs do not each
   * hold a splitter, an assembler and their buffers.
   */
  private close(state: SourceState): void {
    if (state.final) return;
    this.settleSource(state);
    state.feeder?.end();
    state.splitter.end();
    state.assembler.flush();
    if (state.feeder?.sawTimedLine) this.analyzer.markTimed(state.name);
    state.final = {
      counters: state.splitter.counters,
      recordsTruncated: state.assembler.recordsTruncated,
      formatCounts: state.assembler.formatCounts,
      linesSkipped: state.feeder?.linesSkipped ?? 0,
    };
    state.splitter = CLOSED_SPLITTER;
    state.assembler = CLOSED_ASSEMBLER;
    state.feeder = undefined;
    state.sniff = undefined;
    state.decoder = undefined;
  }

  /** Records an input that could not be read; the analysis goes on with the others. */
  failSource(sourceName: string, message: string): void {
    const state = this.source(sourceName);
    state.error = message;
    this.warnings.push(`${sourceName}: ${message}`);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** A stream went quiet: complete open records and conclude what is pending. */
  quiet(): Incident[] {
    for (const s of this.order) {
      if (s.final) continue;
      // A live stream that went quiet is judged on the bytes it has sent so far.
      if (s.sniff && s.sniff.bytes > 0) this.decide(s);
      s.assembler.flush();
    }
    return this.emit(this.analyzer.conclude(true));
  }

  /** Ends everything and builds the report. */
  finish(): Report {
    for (const s of this.order) this.close(s);
    this.emit(this.analyzer.conclude(true));
    return this.buildReport();
  }

  private concludeSettled(): void {
    if (this.analyzer.pendingCount === 0) return;
    this.emit(this.analyzer.conclude(false, this.lastTimes));
  }

  private emit(incidents: Incident[]): Incident[] {
    if (this.options.onIncident) for (const i of incidents) this.options.onIncident(i);
    return incidents;
  }

  private source(name: string): SourceState {
    let state = this.sources.get(name);
    if (state) return state;
    const formats = this.formats();
    const fallback = genericFormat;
    const assembler = new RecordAssembler(
      name,
      formats,
      fallback,
      (record, format, st) => this.onRecord(state!, record, format, st),
      this.options.recordLimits ?? DEFAULT_RECORD_LIMITS,
    );
    const splitter = new LineSplitter((text, lineNo) => assembler.pushLine(text, lineNo), this.options.lineLimits ?? DEFAULT_LINE_LIMITS);
    state = { name, splitter, assembler, sniff: { parts: [], bytes: 0, leadingNul: 0 }, binary: false };
    if (this.plan) {
      const lineLimits = this.options.lineLimits ?? DEFAULT_LINE_LIMITS;
      state.feeder = new WindowedFeeder(
        this.plan,
        splitter,
        { continues: (line) => assembler.continuesWith(line), closeWindow: () => assembler.flush() },
        lineLimits.maxLineChars * 4,
      );
    }
    this.sources.set(name, state);
    this.order.push(state);
    return state;
  }

  private onRecord(state: SourceState, record: RawRecord, format: FormatParser, recordState: RecordState): void {
    this.records++;
    // Lines nobody claimed are only worth parsing when some rule could match them; their time
    // is read lazily, only when a later record needs the idle gap before it.
    if (format === genericFormat && !this.analyzer.matcher.mayMatch(record.lines[0] ?? '')) {
      state.skippedHead = record.lines[0];
      if (!state.markedTimed && startsWithDate(record.lines[0] ?? '')) {
        state.markedTimed = true;
        this.analyzer.markTimed(state.name);
      }
      return;
    }
    if (state.skippedHead !== undefined) {
      const skippedTs = leadingTime(state.skippedHead);
      if (skippedTs !== undefined && (state.prevTs === undefined || skippedTs > state.prevTs)) state.prevTs = skippedTs;
      state.skippedHead = undefined;
    }
    let events: LogEvent[];
    try {
      events = format.parse(record, recordState);
    } catch (error) {
      this.recordsMalformed++;
      events = genericFormat.parse(record, {});
    }
    if (events.some((e) => e.malformed)) this.recordsMalformed++;
    const prevTs = state.prevTs;
    for (const event of events) {
      if (event.ts === undefined && event.fields.timeOfDay && state.dated) datedFromTimeOfDay(event, state.dated);
      if (prevTs !== undefined) event.prevTs = prevTs;
      if (event.ts !== undefined) {
        state.dated = { ts: event.ts, naive: !!event.tsNaive };
        if (state.lastTs === undefined || event.ts > state.lastTs) {
          state.lastTs = event.ts;
          this.lastTimes.set(state.name, event.ts);
        }
        state.prevTs = event.ts;
      }
      this.analyzer.ingest(event);
    }
  }

  private buildReport(): Report {
    const stats: Stats = {
      incidents: this.analyzer.incidentsFound,
      sources: this.order.length,
      lines: 0,
      bytes: 0,
      linesParsed: 0,
      records: this.records,
      events: this.analyzer.events,
      linesTruncated: 0,
      recordsTruncated: 0,
      invalidUtf8Lines: 0,
      recordsMalformed: this.recordsMalformed,
      sourcesFailed: 0,
      sourcesBinary: 0,
    };
    const sources: SourceSummary[] = [];
    for (const s of this.order) {
      const f = s.final!;
      const c = f.counters;
      stats.lines += c.lines;
      stats.bytes += c.bytes;
      stats.linesParsed += c.lines - f.linesSkipped;
      stats.linesTruncated += c.linesTruncated;
      stats.invalidUtf8Lines += c.invalidUtf8Lines;
      stats.recordsTruncated += f.recordsTruncated;
      if (s.error) stats.sourcesFailed++;
      if (s.binary) stats.sourcesBinary++;
      const formats = Object.fromEntries(f.formatCounts) as SourceSummary['formats'];
      sources.push({
        source: s.name,
        formats,
        detection: detectionText(formats, this.options.inputFormat, s),
        lines: c.lines,
        bytes: c.bytes,
        ...(s.error ? { error: s.error } : {}),
      });
    }
    const warnings = [...this.warnings];
    if (stats.linesTruncated) warnings.push(`${stats.linesTruncated} over-long line(s) were cut at ${(this.options.lineLimits ?? DEFAULT_LINE_LIMITS).maxLineChars} characters`);
    if (stats.recordsTruncated) warnings.push(`${stats.recordsTruncated} record(s) were cut at the record size cap`);
    if (this.analyzer.incidentsOmitted) warnings.push(`${this.analyzer.incidentsOmitted} incident(s) beyond the report cap were counted but not listed`);
    if (stats.lines === 0 && stats.sourcesFailed === 0 && stats.sourcesBinary === 0) warnings.push('the input was empty');
    return {
      schemaVersion: SCHEMA_VERSION,
      tool: { name: 'pgtriage', version: VERSION },
      incidents: this.analyzer.concluded,
      causes: this.analyzer.overallCauses(),
      neighbours: this.analyzer.neighbours,
      sources,
      stats,
      warnings,
    };
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

const DAY_MS = 86_400_000;
const TIME_OF_DAY = /^(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?$/;

/**
 * Gives a time-of-day-only event the date of the source's last dated record, moving to the next
 * day when the clock went backwards by more than twelve hours (the run crossed midnight).
 */
function datedFromTimeOfDay(event: LogEvent, dated: { ts: number; naive: boolean }): void {
  const m = TIME_OF_DAY.exec(event.fields.timeOfDay ?? '');
  if (!m) return;
  const ms = Number(m[1]) * 3_600_000 + Number(m[2]) * 60_000 + Number(m[3]) * 1000 + Number(((m[4] ?? '') + '000').slice(0, 3));
  let ts = Math.floor(dated.ts / DAY_MS) * DAY_MS + ms;
  if (ts < dated.ts - DAY_MS / 2) ts += DAY_MS;
  event.ts = ts;
  if (dated.naive) event.tsNaive = true;
}

function leadingTime(line: string): number | undefined {
  const first = line.charCodeAt(0);
  // Only lines that start with a digit or a bracket can carry a leading time.
  if (!((first >= 48 && first <= 57) || first === 91)) return undefined;
  return leadingTimestamp(line.slice(0, 64))?.ts;
}

function detectionText(formats: SourceSummary['formats'], forced: string | undefined, s: SourceState): string {
  if (s.error && (s.final?.counters ?? s.splitter.counters).bytes === 0) return 'not read';
  if (s.error) return `partly read, until the error; ${detectionText(formats, forced, { ...s, error: undefined })}`;
  if (s.binary) return 'binary content, skipped';
  if (forced && forced !== 'auto') return `forced with --input-format ${forced}`;
  const entries = Object.entries(formats).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  if (entries.length === 0) return 'no records';
  const [main, count] = entries[0];
  const others = entries.slice(1).map(([f, n]) => `${f} (${n})`);
  return `${main}: ${count} record(s) matched its layout${others.length ? `; also ${others.join(', ')}` : ''}`;
}
