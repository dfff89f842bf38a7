import type { EventFields, FormatId, LogEvent, Origin, RawRecord } from '../../events.js';

/** The event of a whole record; `fields` is shared, so a parser may keep filling it. */
export function recordEvent(record: RawRecord, format: FormatId, origin: Origin, fields: EventFields): LogEvent {
  return {
    source: record.source,
    line: record.line,
    endLine: record.endLine,
    text: record.lines.join('\n'),
    format,
    origin,
    fields,
  };
}
