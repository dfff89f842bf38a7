/**
 * Python `logging` output (format `python-logging`): common formatter layouts, the default
 * `LEVEL:logger:message`, Airflow task logs and Celery worker logs. A record is the logged
 * line plus whatever belongs to it: embedded newlines of the message and a traceback printed
 * by `logger.exception()` (handled by the shared Python state machine).
 */
import type { EventFields, LogEvent, RawRecord } from '../../events.js';
import type { Continuation, FormatParser, RecordState } from '../types.js';
import { newPyState, pyStep, type PyState } from './traceback-lines.js';
import { pyExtract, mainException } from './traceback-fields.js';
import { codesFromClassNames } from '../common/client-sqlstate.js';
import { addCodes, lastNonBlank, makeEvent, normLevel, readTime } from '../common/client-util.js';

const TS = String.raw`(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)`;
const LVL = '(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)';
const NAME = String.raw`([A-Za-z_][\w.\-]*)`;
const THR = String.raw`\[([^\]\s][^\]]{0,59})\]`;

interface Layout {
  re: RegExp;
  /** Capture group numbers (0 = absent). */
  ts: number;
  level: number;
  logger: number;
  thread: number;
  thread2?: number;
  msg: number;
  /** Airflow prints `2024-01-01, 12:00:00 UTC`; the comma is dropped before reading. */
  airflow?: boolean;
}

// Each layout is anchored; groups are picked by number below.
const LAYOUTS: Layout[] = [
  // %(asctime)s [%(threadName)s] %(levelname)s [%(threadName)s] %(name)s: %(message)s  (thread optional)
  {
    re: new RegExp(`^${TS} +(?:${THR} +)?${LVL} +(?:${THR} +)?${NAME}(?::| -) (.*)$`),
    ts: 1, thread: 2, level: 3, thread2: 4, logger: 5, msg: 6,
  },
  // SQLAlchemy's own echo handler: %(asctime)s %(levelname)s %(name)s %(message)s (dotted name)
  {
    re: new RegExp(`^${TS} +${LVL} +(?:${THR} +)?([A-Za-z_][\\w\\-]*(?:\\.[\\w\\-]+)+) (.*)$`),
    ts: 1, level: 2, thread: 3, logger: 4, msg: 5,
  },
  // %(asctime)s [%(levelname)s] %(name)s - %(message)s  (also `name: message`, optional [thread])
  {
    re: new RegExp(`^${TS} +(?:${THR} +)?\\[${LVL}\\] +(?:${THR} +)?${NAME}(?::| -) (.*)$`),
    ts: 1, thread: 2, level: 3, thread2: 4, logger: 5, msg: 6,
  },
  // %(asctime)s - %(name)s - %(levelname)s - %(message)s  (Flask adds `LEVEL in module: ...`)
  {
    re: new RegExp(`^${TS} - ${NAME} - ${LVL}(?: in [^\\n]*?)? - (?:${THR} )?(.*)$`),
    ts: 1, logger: 2, level: 3, thread: 4, msg: 5,
  },
  // default basicConfig: %(levelname)s:%(name)s:%(message)s
  { re: new RegExp(`^${LVL}:([\\w.\\-]+):(.*)$`), ts: 0, level: 1, logger: 2, thread: 0, msg: 3 },
  // Airflow: [2024-01-01, 12:00:00 UTC] {taskinstance.py:123} ERROR - message
  {
    re: new RegExp(
      String.raw`^\[(\d{4}-\d{2}-\d{2}(?:,? |T)\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?: ?(?:Z|[A-Z]{2,5})|[+-]\d{2}:?\d{2})?)\] \{([^}]*)\} ${LVL} - (.*)$`,
    ),
    ts: 1, logger: 2, level: 3, thread: 0, msg: 4, airflow: true,
  },
  // Celery: [2024-01-01 12:00:00,123: ERROR/ForkPoolWorker-1] message
  {
    re: new RegExp(String.raw`^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:,\d{1,6})?): ${LVL}/([^\]]+)\] (.*)$`),
    ts: 1, level: 2, thread: 3, logger: 0, msg: 4,
  },
  // %(asctime)s %(levelname)-8s [%(threadName)s] %(message)s  (no logger name, thread required; tried last)
  {
    re: new RegExp(`^${TS} +${LVL}:? +${THR} +(.*)$`),
    ts: 1, level: 2, thread: 3, logger: 0, msg: 4,
  },
];

/** Which layouts can apply, by first character, so `start` runs at most a few regexes. */
function layoutsFor(line: string): number[] {
  const c = line.charCodeAt(0);
  if (c >= 48 && c <= 57) return [0, 1, 2, 3, 7];
  if (c === 91) return [5, 6];
  if (c === 68 || c === 73 || c === 87 || c === 69 || c === 67 || c === 70) return [4];
  return [];
}

function matchLayout(line: string): { layout: Layout; m: RegExpExecArray } | undefined {
  for (const i of layoutsFor(line)) {
    const m = LAYOUTS[i].re.exec(line);
    if (m) return { layout: LAYOUTS[i], m };
  }
  return undefined;
}

interface LoggingState extends PyState {
  layout: number;
}

export const pythonLogging: FormatParser = {
  id: 'python-logging',
  origin: 'client',
  describe: 'Python logging lines (asctime/level/name layouts, default LEVEL:name:msg, Airflow, Celery) with their logger.exception tracebacks',
  start(line: string): RecordState | undefined {
    for (const i of layoutsFor(line)) {
      if (LAYOUTS[i].re.test(line)) {
        const st = newPyState('log') as LoggingState;
        st.layout = i;
        return st;
      }
    }
    return undefined;
  },
  continues(state: RecordState, line: string): Continuation {
    return pyStep(state as PyState, line).cont;
  },
  parse(record: RawRecord): LogEvent[] {
    const lines = record.lines;
    if (lines.length === 0) return [];
    try {
      const hit = matchLayout(lines[0]);
      const fields: EventFields = {};
      let level: string | undefined;
      let time;
      let logMessage = lines[0];
      if (hit) {
        const { layout, m } = hit;
        const g = (n: number | undefined) => (n ? m[n] : undefined);
        let tsText = g(layout.ts);
        if (tsText && layout.airflow) tsText = tsText.replace(/^(\d{4}-\d{2}-\d{2}),\s*/, '$1 ').replace(/ (?=[+-]\d)/, '');
        time = tsText ? readTime(tsText) : undefined;
        level = normLevel(g(layout.level));
        fields.severity = g(layout.level);
        fields.logger = g(layout.logger);
        fields.thread = g(layout.thread) ?? g(layout.thread2);
        logMessage = g(layout.msg) ?? '';
      }
      const { exceptions, logBlock } = pyExtract(lines, { phase: 'log', role: 'log' }, logMessage);
      if (exceptions.length > 0) {
        Object.assign(fields, mainException(exceptions));
        if (logBlock) fields.sqlstates = addCodes(fields.sqlstates ?? [], logBlock.sqlstates);
      } else if (logBlock) {
        fields.message = logBlock.message;
        fields.detail = logBlock.detail;
        fields.driver = logBlock.driver;
        fields.sql = logBlock.sql;
        fields.parameters = logBlock.parameters;
        fields.backgroundCode = logBlock.backgroundCode;
        if (logBlock.sqlstates.length > 0) fields.sqlstates = [...logBlock.sqlstates];
      }
      // Driver class names or codes printed anywhere in the record (e.g. pool `reason:` text).
      const codes = fields.sqlstates ?? [];
      codesFromClassNames(lines.join('\n'), codes);
      if (codes.length > 0) fields.sqlstates = codes;
      return [
        makeEvent(record, 'python-logging', 'client', fields, {
          span: { first: 0, last: lastNonBlank(lines) },
          time,
          level,
        }),
      ];
    } catch {
      return [makeEvent(record, 'python-logging', 'client', {})];
    }
  },
};
