/**
 * Small helpers shared by the client/orchestrator formats (Python, dbt, ADF).
 * Kept free of format knowledge so each format file stays focused on its own layout.
 */
import type { EventFields, FormatId, LogEvent, Origin, RawRecord } from '../../events.js';
import { parseTimestamp, type ParsedTime } from './timestamp.js';

const ANSI_ESC = /\x1b\[[0-9;]*[A-Za-z]/g;
/** Colour codes whose ESC byte was lost on the way (pasted logs show `[0m12:00:00 ...`). */
const ANSI_BARE = /\[\d{1,3}(?:;\d{1,3})*m/g;

/** Removes terminal colour sequences, with or without their ESC byte. */
export function stripAnsi(line: string): string {
  if (line.indexOf('\x1b') >= 0) line = line.replace(ANSI_ESC, '');
  if (line.indexOf('m') >= 0 && line.indexOf('[') >= 0) line = line.replace(ANSI_BARE, '');
  return line;
}

const LEVELS: Record<string, string> = {
  debug: 'debug', trace: 'debug', notset: 'debug',
  info: 'info', information: 'info', informational: 'info', notice: 'info',
  warn: 'warning', warning: 'warning',
  error: 'error', err: 'error', exception: 'error',
  critical: 'fatal', fatal: 'fatal', panic: 'panic', log: 'log',
};

/** Maps a printed level name onto the normalized set of `LogEvent.level`. */
export function normLevel(level: string | undefined): string | undefined {
  if (!level) return undefined;
  return LEVELS[level.trim().toLowerCase()];
}

/** Reads a timestamp; a tolerant wrapper that never throws. */
export function readTime(text: string | undefined): ParsedTime | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return undefined;
  try {
    return parseTimestamp(text);
  } catch {
    return undefined;
  }
}

/** Drops undefined/empty members so events compare cleanly and stay small. */
export function compact(fields: EventFields): EventFields {
  const out: Record<string, unknown> = {};
  const all = fields as Record<string, unknown>;
  for (const k in all) {
    if (!Object.hasOwn(all, k)) continue;
    const v = all[k];
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as EventFields;
}

export interface EventSpan {
  /** 0-based index of the first and last line of the record that the event covers. */
  first: number;
  last: number;
}

/** Builds a LogEvent for lines `span.first..span.last` of a record. */
export function makeEvent(
  record: RawRecord,
  format: FormatId,
  origin: Origin,
  fields: EventFields,
  opts: { span?: EventSpan; time?: ParsedTime; level?: string; text?: string } = {},
): LogEvent {
  const n = record.lines.length;
  let first = 0;
  let last = Math.max(0, n - 1);
  if (opts.span) {
    first = clamp(opts.span.first, 0, last);
    last = clamp(opts.span.last, first, last);
  }
  const ev: LogEvent = {
    source: record.source,
    line: record.line + first,
    endLine: Math.min(record.endLine, record.line + last),
    text: opts.text ?? record.lines.slice(first, last + 1).join('\n'),
    format,
    origin,
    fields: compact(fields),
  };
  if (ev.endLine < ev.line) ev.endLine = ev.line;
  if (opts.time) {
    ev.ts = opts.time.ts;
    ev.tsNaive = opts.time.naive;
  }
  if (opts.level) ev.level = opts.level;
  return ev;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Index of the last non-blank line of `lines` at or after `from` (or `from` itself). */
export function lastNonBlank(lines: readonly string[], from = 0): number {
  for (let i = lines.length - 1; i > from; i--) if (lines[i].trim() !== '') return i;
  return from;
}

/** Splits text into its first line and the remaining non-empty lines (trimmed). */
export function splitMessage(text: string): { message?: string; detail?: string } {
  const parts = text.split('\n').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) return {};
  return { message: parts[0], detail: parts.length > 1 ? parts.slice(1).join('\n') : undefined };
}

/** Adds codes to a list without duplicates, keeping first-seen order. */
export function addCodes(into: string[], codes: Iterable<string>): string[] {
  for (const c of codes) if (!into.includes(c)) into.push(c);
  return into;
}
