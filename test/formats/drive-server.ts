/**
 * Test-only stand-in for the lead's record assembler: feeds physical lines through
 * `start` / `continues` / `parse` the way the assembler is specified to (must-continuation,
 * then a new record from the first format whose `start` accepts, then may-continuation, else a
 * one-line generic record). To be replaced by the real assembler.
 */
import type { LogEvent, RawRecord } from '../../src/events.js';
import type { Continuation, FormatParser, RecordState } from '../../src/formats/types.js';

const MAX_LINES = 1000;

export function drive(formats: FormatParser[], text: string, source = 'test.log'): LogEvent[] {
  const out: LogEvent[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let open: { fmt: FormatParser; state: RecordState; start: number; lines: string[] } | undefined;
  let last: FormatParser | undefined;

  const close = () => {
    if (!open) return;
    const rec: RawRecord = {
      source,
      line: open.start,
      endLine: open.start + open.lines.length - 1,
      lines: open.lines,
      truncated: false,
    };
    out.push(...open.fmt.parse(rec, open.state));
    open = undefined;
  };

  lines.forEach((line, i) => {
    const lineNo = i + 1;
    let cont: Continuation = 'no';
    if (open && open.lines.length < MAX_LINES) {
      cont = open.fmt.continues(open.state, line, open.lines.length);
      if (cont === 'must') {
        open.lines.push(line);
        return;
      }
    }
    const order = last ? [last, ...formats.filter((f) => f !== last)] : formats;
    for (const fmt of order) {
      const state = fmt.start(line);
      if (state) {
        close();
        open = { fmt, state, start: lineNo, lines: [line] };
        last = fmt;
        return;
      }
    }
    if (open && cont === 'may') {
      open.lines.push(line);
      return;
    }
    close();
    out.push({
      source, line: lineNo, endLine: lineNo, text: line, format: 'generic', origin: 'unknown', fields: {},
    });
  });
  close();
  return out;
}
