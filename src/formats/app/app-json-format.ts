/**
 * The `app-json` format: one-line JSON records of application loggers (pino, bunyan, winston,
 * structlog, logback/log4j2 JSON, ECS; see `app-json.ts` for how they are read). Its start is
 * narrow — an object on one line whose text names a level or message key — so pretty-printed
 * documents and ADF records still go to the JSON-document reader, which hands application
 * records back to the same interpreter.
 */
import type { LogEvent, RawRecord } from '../../events.js';
import type { FormatParser, RecordState } from '../types.js';
import { continuesJson, parseJsonLines, startJson } from '../json/json-record.js';
import { jsonValueEvents, malformedJsonEvents } from '../json/json-document.js';
import { makeEvent } from '../common/client-util.js';

/** Key names that only log records put first-level in a one-line object. */
const LOG_KEY = /"(?:level|severity|log\.level|lvl|levelname|msg|message|@timestamp|event)"\s*:/;
/** PostgreSQL's jsonlog belongs to the server formats. */
const PG_JSONLOG = /^\{"timestamp":"/;

export const appJson: FormatParser = {
  id: 'app-json',
  origin: 'client',
  describe: 'JSON application log lines (pino, bunyan, winston, structlog, logback/log4j2 JSON, Elastic Common Schema), read from their decoded fields',
  start(line: string): RecordState | undefined {
    if (line.charCodeAt(0) !== 123 || line.charCodeAt(1) !== 34 || PG_JSONLOG.test(line)) return undefined;
    if (!LOG_KEY.test(line.length > 400 ? line.slice(0, 400) + line.slice(-400) : line)) return undefined;
    return startJson(line);
  },
  continues: continuesJson,
  parse(record: RawRecord): LogEvent[] {
    try {
      const parsed = parseJsonLines(record.lines);
      if (!parsed.ok) return malformedJsonEvents(record).map((e) => ({ ...e, malformed: true }));
      // The same dispatch as the JSON-document reader: python-json-logger and ADF records found
      // here keep their own interpreters.
      return jsonValueEvents(record, parsed.value);
    } catch {
      return [makeEvent(record, 'generic', 'unknown', {})];
    }
  },
};
