import type { LogEvent } from '../events.js';
import { createFormats, genericFormat } from '../formats/index.js';
import type { FormatOptions } from '../formats/types.js';
import { parseRecord, RecordAssembler } from './assembler.js';
import { EventDater } from './dating.js';

/**
 * Parses a small text (a rule example, a test fixture) into events with the same formats and
 * assembly as a real run. Not for big inputs: it keeps every event.
 */
export function eventsFromText(text: string, source = '<example>', options: FormatOptions = {}): LogEvent[] {
  const events: LogEvent[] = [];
  const dater = new EventDater();
  const assembler = new RecordAssembler(source, createFormats(options).map((f) => f.perSource?.() ?? f), genericFormat, (record, format, state) => {
    const parsed = parseRecord(format, record, state).events;
    dater.stamp(parsed, record);
    events.push(...parsed);
  });
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) assembler.pushLine(lines[i], i + 1);
  assembler.flush();
  return events;
}
