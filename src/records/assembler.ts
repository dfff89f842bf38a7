/**
 * Record assembly: lines into records. Over 300 lines because continuation, the heading held
 * for its paragraph, glued-record splits, transport prefixes and the guard around each
 * format's parse all act on the one open record, and the prefilter asks that same state
 * whether it may stop reading.
 */
import { peerOf } from './peer.js';
import { isHeadingText, isProse, isProseText, hasLogStructure } from './prose.js';
import { socketFailure } from '../formats/common/socket-errors.js';
import { driverFailure } from '../formats/common/driver-wording.js';
import type { LogEvent, RawRecord } from '../events.js';
import { addLoggedConfig } from '../formats/config/logged.js';
import { genericFormat } from '../formats/generic/generic.js';
import type { FormatParser, RecordState } from '../formats/types.js';
import { splitGlued } from './glued.js';
import { stripTransport } from './transport.js';
import { restoreOriginal } from './originals.js';

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
  /** The line being placed, as read (when a prefix was removed) and its prefix's time. */
  private pendingOriginal: string | undefined;
  private pendingTime: string | undefined;
  /** Formats in trial order; the one that last started a record moves to the front. */
  private readonly order: FormatParser[];
  /** Broad formats, tried after every other one in their given order. */
  private readonly broad: FormatParser[];
  recordsTruncated = 0;
  readonly formatCounts = new Map<string, number>();
  /**
   * A one-line record that may be a heading (`prose.ts`), held until the next record shows
   * whether a paragraph of prose follows it; with the last blank line after it.
   */
  private held: { record: RawRecord; format: FormatParser; state: RecordState; blankUntil: number } | undefined;
  /** The last line seen and whether it was blank; whether the line being placed follows a blank one. */
  private lastLine = 0;
  private prevBlank = false;
  private blankBefore = false;

  constructor(
    private readonly source: string,
    formats: FormatParser[],
    private readonly fallback: FormatParser,
    private readonly sink: RecordSink,
    private readonly limits: RecordLimits = DEFAULT_RECORD_LIMITS,
  ) {
    this.order = formats.filter((f) => !f.broad);
    this.broad = formats.filter((f) => f.broad);
  }

  /** True while a record is open; streams use it to decide whether a quiet period should flush. */
  get pending(): boolean {
    return this.open !== undefined || this.held !== undefined;
  }

  /**
   * First line of the earliest record not yet handed on: a possible heading held for the
   * record after it, or else the open one. The prefilter keeps reading while this is at or
   * before failure wording, so a held heading still sees the paragraph that decides it.
   */
  get openLine(): number | undefined {
    return this.held?.record.line ?? this.open?.record.line;
  }

  /**
   * Would `text` be added to the open record (rather than start a record or end up alone)? The
   * byte prefilter asks before it stops reading, so it never cuts a record short.
   */
  continuesWith(line: string): boolean {
    const open = this.open;
    if (!open || open.state.complete) return false;
    const text = stripTransport(line)?.text ?? line;
    // `continues` advances the format's state (JSON depth, traceback phase): ask a copy.
    const verdict = open.format.continues(copyState(open.state), text, open.record.endLine - open.record.line + 1);
    if (verdict === 'must') return true;
    if (verdict === 'no') return false;
    for (const format of this.order) if (format.start(text)) return false;
    for (const format of this.broad) if (format.start(text)) return false;
    return true;
  }

  /**
   * The format tried first (the one that started the last record), when it vouches that every
   * event it parses carries its origin (`fixedOrigin`): what the prefilter may assume of a line it
   * starts.
   */
  get leadingFormat(): FormatParser | undefined {
    const format = this.order[0];
    return format?.fixedOrigin ? format : undefined;
  }

  /** Would `line` start a record of `leadingFormat`: no open record takes it, it is no glued pair, and the format starts it? */
  startsOwnRecord(line: string): boolean {
    const format = this.leadingFormat;
    if (!format || this.continuesWith(line)) return false;
    const text = stripTransport(line)?.text ?? line;
    return !splitGlued(text) && format.start(text) !== undefined;
  }

  /**
   * One physical line. Transport prefixes are removed first (the original is kept for quoting),
   * and a line holding several glued records is offered part by part under the same number.
   */
  pushLine(line: string, lineNo: number): void {
    // A heading stands between blank lines (or at the top); lines the prefilter skipped are
    // unseen, so they count as not blank.
    const blank = line.trim() === '';
    if (this.held && blank && lineNo === this.held.blankUntil + 1) this.held.blankUntil = lineNo;
    this.blankBefore = lineNo === 1 || (this.prevBlank && this.lastLine === lineNo - 1);
    this.prevBlank = blank;
    this.lastLine = lineNo;
    const stripped = stripTransport(line);
    const text = stripped ? stripped.text : line;
    const parts = splitGlued(text);
    if (!parts) {
      this.pushPart(text, lineNo, stripped ? line : undefined, stripped?.time);
      return;
    }
    const prefix = line.slice(0, line.length - text.length);
    parts.forEach((part, i) => this.pushPart(part, lineNo, i === 0 && prefix ? prefix + part : undefined, i === 0 ? stripped?.time : undefined));
  }

  private pushPart(text: string, lineNo: number, original: string | undefined, prefixTime: string | undefined): void {
    this.pendingOriginal = original;
    this.pendingTime = prefixTime;
    const open = this.open;
    if (open) {
      const verdict = open.format.continues(open.state, text, open.record.endLine - open.record.line + 1);
      if (verdict === 'must') {
        this.append(open, text, lineNo);
        if (open.state.complete) this.emitOpen();
        return;
      }
      const started = this.tryStart(text, lineNo);
      if (started) return;
      if (verdict === 'may') {
        this.append(open, text, lineNo);
        if (open.state.complete) this.emitOpen();
        return;
      }
      this.emitOpen();
    } else if (this.tryStart(text, lineNo)) {
      return;
    }
    this.emitFallback(text, lineNo);
  }

  /** Emits the open record, if any, and a record held as a possible heading. */
  flush(): void {
    this.emitOpen();
    this.releaseHeld();
  }

  private emitOpen(): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    this.count(open.format.id);
    this.deliver(open.record, open.format, open.state);
  }

  /**
   * Hands a record on. A lone short line with no layout, between blank lines, is held until
   * the next record: when that is a paragraph of prose right after the blank line, the held
   * line is its heading (`state.titlesProse`), read as prose too.
   */
  private deliver(record: RawRecord, format: FormatParser, state: RecordState): void {
    const held = this.held;
    // Blank lines between a heading and its paragraph pass by the held heading (they carry nothing).
    if (held && record.lines.length === 1 && record.lines[0].trim() === '') {
      this.sink(record, format, state);
      return;
    }
    if (held) {
      this.held = undefined;
      if (held.blankUntil > held.record.endLine && record.line === held.blankUntil + 1 && isProseText(record.lines.join(' '))) {
        held.state.titlesProse = true;
      }
      this.sink(held.record, held.format, held.state);
    }
    if (format === this.fallback && record.lines.length === 1 && state.headingShaped === true) {
      this.held = { record, format, state, blankUntil: record.endLine };
      return;
    }
    this.sink(record, format, state);
  }

  private releaseHeld(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    this.sink(held.record, held.format, held.state);
  }

  private tryStart(text: string, lineNo: number): boolean {
    const order = this.order;
    for (let i = 0; i < order.length + this.broad.length; i++) {
      const format = i < order.length ? order[i] : this.broad[i - order.length];
      const state = format.start(text);
      if (!state) continue;
      if (i > 0 && i < order.length) {
        order.splice(i, 1);
        order.unshift(format);
      }
      this.emitOpen();
      const open: OpenRecord = {
        format,
        state,
        record: this.newRecord(text, lineNo),
        chars: text.length,
      };
      this.open = open;
      if (state.complete) this.emitOpen();
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
    if (this.pendingOriginal !== undefined && !record.original) record.original = record.lines.slice();
    record.lines.push(text);
    record.original?.push(this.pendingOriginal ?? text);
    open.chars += text.length + 1;
  }

  private newRecord(text: string, lineNo: number): RawRecord {
    const record: RawRecord = { source: this.source, line: lineNo, endLine: lineNo, lines: [text], truncated: false };
    if (this.pendingOriginal !== undefined) record.original = [this.pendingOriginal];
    if (this.pendingTime !== undefined) record.prefixTime = this.pendingTime;
    return record;
  }

  private emitFallback(text: string, lineNo: number): void {
    const state = this.fallback.start(text);
    if (!state) return;
    this.count(this.fallback.id);
    if (this.blankBefore && isHeadingText(text)) state.headingShaped = true;
    this.deliver(this.newRecord(text, lineNo), this.fallback, state);
  }

  private count(id: string): void {
    this.formatCounts.set(id, (this.formatCounts.get(id) ?? 0) + 1);
  }
}

/** The events of one record, and whether the record could not be read as its format. */
export interface ParsedRecord {
  events: LogEvent[];
  malformed: boolean;
  /** The record was a paragraph of prose (`records/prose.ts`): counted, and it gives no event. */
  prose?: boolean;
}

/**
 * The one guard around format parsing: a format that throws is read with the generic fallback
 * instead, its events are marked malformed, and the record counts as malformed; no record is
 * ever lost to a parser's bug. Settings logged in the record's text are read here too, so every
 * event leaves the formats stage with its configuration, and so is the peer library of a client
 * record. A paragraph of prose (a page explaining an error code) is set aside here, counted.
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
  if (!threw && (isProse(record, events) || (state.titlesProse === true && !hasLogStructure(events)))) {
    return { events: [], malformed: false, prose: true };
  }
  for (const event of events) {
    restoreOriginal(event, record);
    if (event.malformed) malformed = true;
    addLoggedConfig(event);
    if (event.origin === 'pooler') {
      // The pooler's own socket failures (PgBouncer's `read failed: Connection timed out`) carry
      // the same errno class as a client's; which link failed is the pooler's to say.
      const socket = socketFailure(event.matchText ?? event.text);
      if (socket.errno.length) event.fields.errno = socket.errno;
    } else if (event.origin !== 'server' && event.origin !== 'config') {
      const peer = peerOf(event);
      if (peer) event.fields.peer = peer;
      const socket = socketFailure(event.matchText ?? event.text);
      if (socket.errno.length) event.fields.errno = socket.errno;
      if (socket.connect) event.fields.phase = 'connect';
      const said = driverFailure(event.matchText ?? event.text, peer === 'database');
      if (said) event.fields.driverFailure = said.means;
    }
  }
  return { events, malformed };
}
