/**
 * Application logs in a layout no other format knows (format `app-log`): any line that reads as
 * a header (`header.ts`: a timestamp in a known style, with level/logger/thread/pid fields around
 * it in any order and with any separator) starts a record; the lines after it — a Python
 * traceback, a Java stack with its `Caused by:` chain, libpq's tab-indented lines — belong to it
 * until the next header.
 *
 * Layout learning: one instance serves one source and remembers the header shapes that source
 * uses. A line with a lead before its timestamp (`ERROR 2025-...`, `[pid] 2025-...`) is taken as
 * a header only when the source has shown that lead before or has no headers yet, so a message
 * line that happens to hold a level word and a date does not cut a record in two.
 *
 * It is tried after every other format (it is `broad`): a line another format claims keeps
 * that format's structure.
 */
import type { EventFields, LogEvent, RawRecord } from '../../events.js';
import type { Continuation, FormatParser, RecordState } from '../types.js';
import { newPyState, pyStep, type PyState } from '../python/traceback-lines.js';
import { pyExtract, mainException } from '../python/traceback-fields.js';
import { codesFromClassNames, codesInText } from '../common/client-sqlstate.js';
import { addCodes, lastNonBlank, makeEvent } from '../common/client-util.js';
import { readHeader, type Header } from './header.js';

/** Lines of a JVM/.NET stack: frames, `... 12 more`, `Caused by:`, `--->` inner exceptions. */
const STACK_LINE = /^(?:\s+at |\s*\.\.\. \d+ (?:more|common frames omitted)|Caused by: |\s*---> |\s+--- End of )/;
/** A JVM/.NET exception line at column 0: `org.postgresql.util.PSQLException: ...`. */
const QUALIFIED_EXCEPTION = /^(?:[a-z_][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error)(?: \(0x[0-9A-Fa-f]+\))?(?::|$)/;
/** Shapes of a client record: a traceback or an exception class says which side wrote it. */
const CLIENT_SHAPE = /Traceback \(most recent call last\)|^\s+at [\w$.]+\(|\b(?:[a-z_]\w*\.)+[A-Z]\w*(?:Error|Exception)\b/m;

interface AppState extends PyState {
  stack: boolean;
}

class AppLogFormat implements FormatParser {
  readonly id = 'app-log' as const;
  readonly origin = 'unknown' as const;
  readonly broad = true;
  readonly describe = 'application log lines of any layout: a timestamp with level, logger, thread or pid fields around it, and the traceback or stack trace under it';
  /** Lead shapes (the fields before the timestamp) this source has used. */
  private readonly leads = new Set<string>();
  private headers = 0;

  perSource(): FormatParser {
    return new AppLogFormat();
  }

  /** The header of `line` if it is one for this source. */
  header(line: string): Header | undefined {
    const h = readHeader(line);
    if (!h) return undefined;
    const lead = h.shape.slice(0, h.shape.indexOf('T'));
    if (lead !== '' && this.headers > 0 && !this.leads.has(lead)) return undefined;
    return h;
  }

  start(line: string): RecordState | undefined {
    const h = this.header(line);
    if (!h) return undefined;
    this.headers++;
    this.leads.add(h.shape.slice(0, h.shape.indexOf('T')));
    const st = newPyState('log') as AppState;
    st.stack = false;
    return st;
  }

  continues(state: RecordState, line: string): Continuation {
    const st = state as AppState;
    if (this.header(line)) return 'no';
    if (STACK_LINE.test(line) || QUALIFIED_EXCEPTION.test(line)) {
      st.stack = true;
      return 'must';
    }
    if (st.stack && line.trim() === '') return 'may';
    return pyStep(st, line).cont;
  }

  parse(record: RawRecord): LogEvent[] {
    const lines = record.lines;
    if (lines.length === 0) return [];
    const h = readHeader(lines[0]);
    const fields: EventFields = {};
    if (h) {
      fields.severity = h.levelText;
      fields.logger = h.logger;
      fields.thread = h.thread;
      if (h.pid !== undefined) fields.pid = h.pid;
      if (h.timeOfDay) fields.timeOfDay = h.timeOfDay;
    }
    const message = h?.message ?? lines[0];
    const { exceptions, logBlock } = pyExtract(lines, { phase: 'log', role: 'log' }, message);
    if (exceptions.length > 0) Object.assign(fields, mainException(exceptions));
    else if (logBlock) {
      fields.message = logBlock.message;
      fields.detail = logBlock.detail;
      fields.driver = logBlock.driver;
    }
    const text = lines.join('\n');
    const codes = addCodes(fields.sqlstates ?? [], logBlock?.sqlstates ?? []);
    codesFromClassNames(text, codes);
    codesInText(text, codes);
    if (codes.length > 0) fields.sqlstates = codes;
    const event = makeEvent(record, 'app-log', CLIENT_SHAPE.test(text) ? 'client' : 'unknown', fields, {
      span: { first: 0, last: lastNonBlank(lines) },
      time: h?.time,
      level: h?.level,
    });
    return [event];
  }
}

/** The shared template; each source reads with its own `perSource()` copy. */
export const appLog: FormatParser = new AppLogFormat();
