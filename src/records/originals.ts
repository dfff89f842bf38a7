import type { LogEvent, RawRecord } from '../events.js';
import { parseTimestamp } from '../formats/common/timestamp.js';

/**
 * Gives an event parsed from prefix-stripped lines its lines as they were read: the report
 * quotes what the user can find with grep, while rules keep matching what the formats read
 * (`matchText`). Lines of the event that are not record lines (a format's own summary) stay.
 */
export function restoreOriginal(event: LogEvent, record: RawRecord): void {
  const original = record.original;
  if (!original) return;
  const byLine = new Map<string, string>();
  record.lines.forEach((l, i) => {
    if (original[i] !== l && !byLine.has(l)) byLine.set(l, original[i]);
  });
  if (byLine.size === 0) return;
  const restored = event.text.split('\n').map((l) => byLine.get(l) ?? l).join('\n');
  if (restored === event.text) return;
  event.matchText ??= event.text;
  event.text = restored;
}

/** The transport's time for an event whose own lines printed none. */
export function prefixTimeOf(record: RawRecord): { ts: number; naive: boolean } | undefined {
  if (!record.prefixTime) return undefined;
  return parseTimestamp(record.prefixTime.replace('T', ' ').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}
