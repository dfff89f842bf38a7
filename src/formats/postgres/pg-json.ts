/**
 * PostgreSQL jsonlog (`log_destination = 'jsonlog'`, PostgreSQL 15+): one JSON object per line.
 * Keys with empty values are omitted by the server, so every key is optional here.
 */
import type { LogEvent, RawRecord } from '../../events.js';
import { recordEvent } from '../common/record-event.js';
import type { FormatParser, RecordState } from '../types.js';
import { fillServerEvent } from './pg-columns.js';
import { hostOnly, type ServerEventFields } from './pg-messages.js';

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
      fillServerEvent(event, fields, {
        timestamp: str(o, 'timestamp'),
        pid: typeof o.pid === 'number' ? o.pid : str(o, 'pid'),
        user: str(o, 'user'),
        database: str(o, 'dbname'),
        clientAddr: hostOnly(str(o, 'remote_host')),
        sessionId: str(o, 'session_id'),
        application: str(o, 'application_name'),
        severity: str(o, 'error_severity'),
        sqlstate: str(o, 'state_code'),
        message: str(o, 'message'),
        detail: str(o, 'detail'),
        hint: str(o, 'hint'),
        sql: str(o, 'statement') ?? str(o, 'internal_query'),
      });
      return [event];
    },
  };
}
