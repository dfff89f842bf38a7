/**
 * Test-only stand-in for the record assembler (the real one will replace it). It applies the
 * documented rules: a 'must' continuation appends; otherwise every format's `start` is tried
 * (the source's last successful format first) and the first hit opens a new record; otherwise a
 * 'may' continuation appends; otherwise the line becomes a one-line `generic` record.
 */
import type { LogEvent, RawRecord } from '../../src/events.js';
import type { Continuation, FormatParser, RecordState } from '../../src/formats/types.js';
import { clientFormats } from '../../src/formats/index.js';

export interface DrivenRecord {
  format: string;
  record: RawRecord;
  state: RecordState;
  events: LogEvent[];
}

export interface DriveOptions {
  formats?: FormatParser[];
  source?: string;
  maxLines?: number;
  maxBytes?: number;
}

interface Open {
  fmt: FormatParser;
  state: RecordState;
  lines: string[];
  first: number;
  bytes: number;
  truncated: boolean;
}

/** Splits text into physical lines the way the assembler will (LF or CRLF, no trailing empty line). */
export function toLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function driveRecords(input: string | string[], opts: DriveOptions = {}): DrivenRecord[] {
  const formats = opts.formats ?? clientFormats({});
  const source = opts.source ?? 'test.log';
  const maxLines = opts.maxLines ?? 2000;
  const maxBytes = opts.maxBytes ?? 1 << 20;
  const lines = typeof input === 'string' ? toLines(input) : input;
  const out: DrivenRecord[] = [];
  let open: Open | undefined;
  let last: FormatParser | undefined;

  const flush = () => {
    if (!open) return;
    const record: RawRecord = {
      source,
      line: open.first,
      endLine: open.first + open.lines.length - 1,
      lines: open.lines,
      truncated: open.truncated,
    };
    out.push({ format: open.fmt.id, record, state: open.state, events: open.fmt.parse(record, open.state) });
    open = undefined;
  };
  const append = (line: string) => {
    if (!open) return;
    if (open.lines.length >= maxLines || open.bytes + line.length > maxBytes) {
      open.truncated = true;
      return;
    }
    open.lines.push(line);
    open.bytes += line.length + 1;
  };

  lines.forEach((line, i) => {
    const lineNo = i + 1;
    let cont: Continuation = 'no';
    if (open) {
      cont = open.fmt.continues(open.state, line, open.lines.length);
      if (cont === 'must') {
        append(line);
        return;
      }
    }
    const order = last ? [last, ...formats.filter((f) => f !== last)] : formats;
    for (const fmt of order) {
      const state = fmt.start(line);
      if (state) {
        flush();
        open = { fmt, state, lines: [line], first: lineNo, bytes: line.length + 1, truncated: false };
        last = fmt;
        return;
      }
    }
    if (open && cont === 'may') {
      append(line);
      return;
    }
    flush();
    const record: RawRecord = { source, line: lineNo, endLine: lineNo, lines: [line], truncated: false };
    out.push({
      format: 'generic',
      record,
      state: {},
      events: [{ source, line: lineNo, endLine: lineNo, text: line, format: 'generic', origin: 'unknown', fields: {} }],
    });
  });
  flush();
  return out;
}

/** All events of a driven input, in order. */
export function drive(input: string | string[], opts: DriveOptions = {}): LogEvent[] {
  return driveRecords(input, opts).flatMap((r) => r.events);
}

/** Record spans as `format:first-last`, handy for asserting how lines were grouped. */
export function spans(input: string | string[], opts: DriveOptions = {}): string[] {
  return driveRecords(input, opts).map((r) => `${r.format}:${r.record.line}-${r.record.endLine}`);
}
