/**
 * Python tracebacks and printed exceptions (format `python-traceback`).
 *
 * A record is a `Traceback (most recent call last):` block (chained tracebacks included), a
 * bare exception line such as `sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) ...`
 * with its continuation lines, or a traceback fragment that starts at a `  File "..."` frame.
 * The line reading is `traceback-lines.ts` (shared with the formats whose records carry a
 * traceback), the fields `traceback-fields.ts`.
 */
import type { LogEvent, RawRecord } from '../../events.js';
import type { Continuation, FormatParser, RecordState } from '../types.js';
import { lastNonBlank, makeEvent } from '../common/client-util.js';
import { newPyState, pyStartPhase, pyStep, type PyState } from './traceback-lines.js';
import { mainException, pyExtract } from './traceback-fields.js';

const DBT_IN_MESSAGE = /\bError in (?:model|test|seed|snapshot|analysis|operation) (\S+) \(([^)]+)\)/;

export const pythonTraceback: FormatParser = {
  id: 'python-traceback',
  origin: 'client',
  describe: 'Python tracebacks (chained too) and printed exceptions such as SQLAlchemy/psycopg/asyncpg errors with [SQL: ...] and background links',
  start(line: string): RecordState | undefined {
    const first = pyStartPhase(line);
    if (!first) return undefined;
    return newPyState(first.phase);
  },
  continues(state: RecordState, line: string): Continuation {
    return pyStep(state as PyState, line).cont;
  },
  parse(record: RawRecord): LogEvent[] {
    try {
      const lines = record.lines;
      if (lines.length === 0) return [];
      const first = pyStartPhase(lines[0]) ?? { phase: 'exc' as const, role: 'header' as const };
      const { exceptions } = pyExtract(lines, first);
      const fields = mainException(exceptions);
      if (fields.message) {
        const m = DBT_IN_MESSAGE.exec(fields.message);
        if (m) {
          fields.model = m[1];
          fields.modelPath = m[2];
        }
      }
      return [
        makeEvent(record, 'python-traceback', 'client', fields, {
          span: { first: 0, last: lastNonBlank(lines) },
          level: 'error',
        }),
      ];
    } catch {
      return [];
    }
  },
};
