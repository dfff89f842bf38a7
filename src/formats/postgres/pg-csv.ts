/**
 * PostgreSQL csvlog (`log_destination = 'csvlog'`).
 *
 * One record per entry; quoted fields may contain newlines (statements, details), so a record
 * continues ('must') while a double quote is open. Column positions are fixed across versions;
 * newer servers only append columns (backend_type, leader_pid, query_id), so any count from
 * the message column onward is accepted.
 */
import type { LogEvent, RawRecord } from '../../events.js';
import { recordEvent } from '../common/record-event.js';
import type { FormatParser, RecordState } from '../types.js';
import { fillServerEvent } from './pg-columns.js';
import { identity, type ServerEventFields } from './pg-messages.js';

/** Column indexes, from the documented `postgres_log` table. */
const COL = {
  logTime: 0, user: 1, database: 2, pid: 3, connectionFrom: 4, sessionId: 5, sessionLine: 6,
  commandTag: 7, sessionStart: 8, vxid: 9, xid: 10, severity: 11, sqlstate: 12, message: 13,
  detail: 14, hint: 15, internalQuery: 16, internalQueryPos: 17, context: 18, query: 19,
  queryPos: 20, location: 21, application: 22, backendType: 23, leaderPid: 24, queryId: 25,
} as const;

const FIELD = '(?:"(?:[^"]|"")*"|[^,"]*)';
const START = new RegExp(
  `^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?(?: [A-Za-z0-9+:-]{1,8})?,${FIELD},${FIELD},\\d*,`,
);

interface CsvState extends RecordState {
  open: boolean;
}

function quoteCount(line: string): number {
  let n = 0;
  for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) n++;
  return n;
}

/** RFC 4180-style split with doubled quotes; newlines inside quotes are kept. */
export function splitCsv(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** csvlog writes `host:port`; IPv6 hosts contain colons too, so cut at the last one. */
function csvHost(value: string | undefined): string | undefined {
  const v = identity(value);
  if (!v) return undefined;
  if (v === '[local]') return v;
  const i = v.lastIndexOf(':');
  return i > 0 && /^\d+$/.test(v.slice(i + 1)) ? v.slice(0, i) : v;
}

export function pgCsvFormat(): FormatParser {
  return {
    id: 'pg-csv',
    origin: 'server',
    describe: 'PostgreSQL csvlog (log_destination = csvlog), quoted multi-line fields',

    start(line: string): RecordState | undefined {
      if (!START.test(line)) return undefined;
      const open = quoteCount(line) % 2 === 1;
      const state: CsvState = { open };
      if (!open) state.complete = true;
      return state;
    },

    continues(state: RecordState, line: string) {
      const s = state as CsvState;
      if (!s.open) return 'no';
      if (quoteCount(line) % 2 === 1) {
        s.open = false;
        s.complete = true;
      }
      return 'must';
    },

    parse(record: RawRecord): LogEvent[] {
      const fields: ServerEventFields = {};
      const event = recordEvent(record, 'pg-csv', 'server', fields);
      const text = event.text;
      try {
        const cols = splitCsv(text);
        if (cols.length <= COL.message) return [event];
        const col = (i: number): string | undefined => {
          const v = cols[i];
          return v === undefined || v === '' ? undefined : v;
        };
        fillServerEvent(event, fields, {
          timestamp: cols[COL.logTime],
          pid: col(COL.pid),
          user: col(COL.user),
          database: col(COL.database),
          clientAddr: csvHost(col(COL.connectionFrom)),
          sessionId: col(COL.sessionId),
          application: col(COL.application),
          severity: col(COL.severity),
          sqlstate: col(COL.sqlstate),
          message: col(COL.message),
          detail: col(COL.detail),
          hint: col(COL.hint),
          sql: col(COL.query) ?? col(COL.internalQuery),
        });
      } catch {
        // keep what was filled
      }
      return [event];
    },
  };
}
