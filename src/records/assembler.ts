import type { LogEvent, RawRecord } from '../events.js';
import { addLoggedConfig } from '../formats/config/logged.js';
import { genericFormat } from '../formats/generic/generic.js';
import type { FormatParser, RecordState } from '../formats/types.js';

export interface RecordLimits {
  /** Physical lines kept in one record; later lines still belong to it but are not kept. */
  maxRecordLines: number;
  /** Characters kept in one record. */
  maxRecordChars: number;
}

export const DEFAULT_RECORD_LIMITS: RecordLimits = { maxRecordLines: 2000, maxRecordChars: 8 << 20 };

export type RecordSink = (record: RawRecord, format: FormatParser, state: RecordState) => void;

interface OpenRecord {
  format: FormatParser;
  state: RecordState;
  record: RawRecord;
  chars: number;
}

/**
 * Groups physical lines into records (a traceback, a server entry with its DETAIL lines, a
 * pretty-printed JSON document). Each line is offered to the open record first, then to every
 * format as a possible record start; lines nobody claims go to the fallback as one-line records.
 */
/** Record states are flat or hold one nested flat state (dbt's Python traceback machine). */
function copyState(state: RecordState): RecordState {
  const out: RecordState = { ...state };
  for (const k in out) {
    const v = out[k];
    if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = { ...(v as object) };
    else if (Array.isArray(v)) out[k] = v.slice();
  }
  return out;
}

export class RecordAssembler {
  private open: OpenRecord | undefined;
  /** Formats in trial order; the one that last started a record moves to the front. */
  private readonly order: FormatParser[];
  recordsTruncated = 0;
  readonly formatCounts = new Map<string, number>();

  constructor(
    private readonly source: string,
    formats: FormatParser[],
    private readonly fallback: FormatParser,
    private readonly sink: RecordSink,
    private readonly limits: RecordLimits = DEFAULT_RECORD_LIMITS,
  ) {
    this.order = formats.slice();
  }

  /** True while a record is open; streams use it to decide whether a quiet period should flush. */
  get pending(): boolean {
    return this.open !== undefined;
  }

  /**
   * Would `text` be added to the open record (rather than start a record or end up alone)? The
   * byte prefilter asks before it stops reading, so it never cuts a record short.
   */
  continuesWith(text: string): boolean {
    const open = this.open;
    if (!open || open.state.complete) return false;
    // `continues` advances the format's state (JSON depth, traceback phase): ask a copy.
    const verdict = open.format.continues(copyState(open.state), text, open.record.endLine - open.record.line + 1);
    if (verdict === 'must') return true;
    if (verdict === 'no') return false;
    for (const format of this.order) if (format.start(text)) return false;
    return true;
  }

  pushLine(text: string, lineNo: number): void {
    const open = this.open;
    if (open) {
      const verdict = open.format.continues(open.state, text, open.record.endLine - open.record.line + 1);
      if (verdict === 'must') {
        this.append(open, text, lineNo);
        if (open.state.complete) this.flush();
        return;
      }
      const started = this.tryStart(text, lineNo);
      if (started) return;
      if (verdict === 'may') {
        this.append(open, text, lineNo);
        if (open.state.complete) this.flush();
        return;
      }
      this.flush();
    } else if (this.tryStart(text, lineNo)) {
      return;
    }
    this.emitFallback(text, lineNo);
  }

  /** Emits the open record, if any. */
  flush(): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    this.count(open.format.id);
    this.sink(open.record, open.format, open.state);
  }

  private tryStart(text: string, lineNo: number): boolean {
    const order = this.order;
    for (let i = 0; i < order.length; i++) {
      const format = order[i];
      const state = format.start(text);
      if (!state) continue;
      if (i > 0) {
        order.splice(i, 1);
        order.unshift(format);
      }
      this.flush();
      const open: OpenRecord = {
        format,
        state,
        record: { source: this.source, line: lineNo, endLine: lineNo, lines: [text], truncated: false },
        chars: text.length,
      };
      this.open = open;
      if (state.complete) this.flush();
      return true;
    }
    return false;
  }

  private append(open: OpenRecord, text: string, lineNo: number): void {
    const record = open.record;
    record.endLine = lineNo;
    if (record.lines.length >= this.limits.maxRecordLines || open.chars + text.length > this.limits.maxRecordChars) {
      if (!record.truncated) this.recordsTruncated++;
      record.truncated = true;
      return;
    }
    record.lines.push(text);
    open.chars += text.length + 1;
  }

  private emitFallback(text: string, lineNo: number): void {
    const state = this.fallback.start(text);
    if (!state) return;
    this.count(this.fallback.id);
    this.sink({ source: this.source, line: lineNo, endLine: lineNo, lines: [text], truncated: false }, this.fallback, state);
  }

  private count(id: string): void {
    this.formatCounts.set(id, (this.formatCounts.get(id) ?? 0) + 1);
  }
}

/** The events of one record, and whether the record could not be read as its format. */
export interface ParsedRecord {
  events: LogEvent[];
  malformed: boolean;
}

/**
 * The one guard around format parsing: a format that throws is read with the generic fallback
 * instead, its events are marked malformed, and the record counts as malformed; no record is
 * ever lost to a parser's bug. Settings logged in the record's text are read here too, so every
 * event leaves the formats stage with its configuration.
 */
export function parseRecord(format: FormatParser, record: RawRecord, state: RecordState): ParsedRecord {
  let events: LogEvent[];
  let threw = false;
  try {
    events = format.parse(record, state);
  } catch {
    threw = true;
    events = genericFormat.parse(record, {});
    for (const event of events) event.malformed = true;
  }
  let malformed = threw;
  for (const event of events) {
    if (event.malformed) malformed = true;
    addLoggedConfig(event);
  }
  return { events, malformed };
}
