import type { LogEvent } from '../../events.js';
import type { FormatParser } from '../types.js';
import { parseTimestamp, type ParsedTime } from '../common/timestamp.js';
import { codesInText } from '../common/client-sqlstate.js';

// A leading timestamp in the forms most loggers print, optionally bracketed.
const LEADING_TIME =
  /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:\s?(?:Z|[+-]\d{2}(?::?\d{2})?|[A-Z]{2,5}))?)\]?/;
const LEVEL_WORD = /\b(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|SEVERE|FATAL|PANIC|CRITICAL)\b/;

const LEVELS: Record<string, string> = {
  TRACE: 'debug', DEBUG: 'debug', INFO: 'info', NOTICE: 'info', WARN: 'warning', WARNING: 'warning',
  ERROR: 'error', SEVERE: 'error', CRITICAL: 'fatal', FATAL: 'fatal', PANIC: 'panic',
};

/** The time a line starts with, in the forms most loggers print (optionally bracketed). */
export function leadingTimestamp(line: string): ParsedTime | undefined {
  const time = LEADING_TIME.exec(line);
  return time ? parseTimestamp(time[1]) : undefined;
}

/**
 * The fallback for lines no other format claims: one line, one record. It reads what any
 * line may carry (a leading time, a level word, SQLSTATE codes) so the detection rules can
 * still recognize a driver's message in a log format pgtriage does not know.
 */
export const genericFormat: FormatParser = {
  id: 'generic',
  origin: 'unknown',
  describe: 'any line not claimed by another format',
  start: () => ({ complete: true }),
  continues: () => 'no',
  parse(record) {
    const text = record.lines.join('\n');
    const event: LogEvent = {
      source: record.source,
      line: record.line,
      endLine: record.endLine,
      text,
      format: 'generic',
      origin: 'unknown',
      fields: { message: text.trim() },
    };
    const parsed = leadingTimestamp(text);
    if (parsed) {
      event.ts = parsed.ts;
      if (parsed.naive) event.tsNaive = true;
    }
    const level = LEVEL_WORD.exec(text.slice(0, 120));
    if (level) event.level = LEVELS[level[1]];
    const codes = codesInText(text);
    if (codes.length) event.fields.sqlstates = codes;
    return [event];
  },
};
