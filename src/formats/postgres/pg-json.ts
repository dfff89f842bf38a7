/**
 * PostgreSQL jsonlog (`log_destination = 'jsonlog'`, PostgreSQL 15+): one JSON object per line.
 * Keys with empty values are omitted by the server, so every key is optional here.
 */
import type { LogEvent, RawRecord } from '../../events.js';
import { recordEvent } from '../common/record-event.js';
import type { FormatParser, RecordState } from '../types.js';
import { parseTimestamp } from '../common/timestamp.js';
import {
  applyClassification,
  classifyServerMessage,
  hostOnly,
  identity,
  pgLevel,
  sqlstateList,
  type ServerEventFields,
} from './pg-messages.js';

const START = /^\s*\{\s*"(?:timestamp|user|dbname|pid|error_severity)"\s*:/;

function str(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function pgJsonFormat(): FormatParser {
  return {
    id: 'pg-json',
    origin: 'server',
    describe: 'PostgreSQL jsonlog (log_destination = jsonlog, PostgreSQL 15+), one object per line',

    start(line: string): RecordState | undefined {
      if (!START.test(line) || !line.includes('"error_severity"')) return undefined;
      return { complete: true };
    },

    continues() {
      return 'no';
    },

    parse(record: RawRecord): LogEvent[] {
      const fields: ServerEventFields = {};
      const event = recordEvent(record, 'pg-json', 'server', fields);
      const text = event.text;
      let obj: unknown;
      try {
        obj = JSON.parse(text);
      } catch {
        return [event];
      }
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return [event];
      const o = obj as Record<string, unknown>;
      const ts = parseTimestamp(str(o, 'timestamp') ?? '');
      if (ts) {
        event.ts = ts.ts;
        if (ts.naive) event.tsNaive = true;
      }
      const pid = o.pid;
      if (typeof pid === 'number' && Number.isInteger(pid)) fields.pid = pid;
      else if (typeof pid === 'string' && /^\d+$/.test(pid)) fields.pid = Number(pid);
      const user = identity(str(o, 'user'));
      if (user) fields.user = user;
      const database = identity(str(o, 'dbname'));
      if (database) fields.database = database;
      const host = hostOnly(str(o, 'remote_host'));
      if (host) fields.clientAddr = host;
      const sessionId = str(o, 'session_id');
      if (sessionId) fields.sessionId = sessionId;
      const application = identity(str(o, 'application_name'));
      if (application) fields.application = application;
      const severity = str(o, 'error_severity');
      if (severity) {
        fields.severity = severity;
        const level = pgLevel(severity);
        if (level) event.level = level;
      }
      const codes = sqlstateList(str(o, 'state_code'));
      if (codes) fields.sqlstates = codes;
      const message = str(o, 'message');
      if (message !== undefined) fields.message = message;
      const detail = str(o, 'detail');
      if (detail !== undefined) fields.detail = detail;
      const hint = str(o, 'hint');
      if (hint !== undefined) fields.hint = hint;
      const sql = str(o, 'statement') ?? str(o, 'internal_query');
      if (sql !== undefined) fields.sql = sql;
      applyClassification(fields, classifyServerMessage(message, detail));
      return [event];
    },
  };
}
