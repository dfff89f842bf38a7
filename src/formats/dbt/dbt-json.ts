/**
 * dbt structured logs (`--log-format json` / `--log-format-file json`), format `dbt-json`.
 * One JSON object per line: `{"data": {...}, "info": {"name", "code", "msg", "level", "ts", ...}}`
 * (keys sorted, so `data` comes first). Node events carry `data.node_info`.
 */
import type { EventFields, LogEvent, RawRecord } from '../../events.js';
import type { FormatParser, RecordState } from '../types.js';
import { ADAPTER_ERROR, ERROR_HEADER, readDbtError } from './dbt-error-block.js';
import { codesInText } from '../common/client-sqlstate.js';
import { makeEvent, normLevel, readTime, splitMessage, stripAnsi, type EventSpan } from '../common/client-util.js';
import { continuesJson, getCI, isObj, num, parseJsonLines, salvageStrings, startJson, str } from '../json/json-record.js';

const DBT_JSON_START = /^\s*\{\s*"(?:data|info)"\s*:\s*\{/;

/** Does a parsed JSON value look like one dbt structured log line? */
export function isDbtLogShape(v: unknown): v is Record<string, unknown> {
  if (!isObj(v) || !isObj(v.info)) return false;
  const info = v.info;
  return typeof info.name === 'string' && (typeof info.msg === 'string' || typeof info.code === 'string');
}

/** Fields of a dbt message text: the error block when there is one, else first line + rest. */
export function dbtMessageFields(msg: string | undefined, fields: EventFields): void {
  if (!msg) return;
  const lines = msg.split('\n');
  if (lines.some((l) => ERROR_HEADER.test(l))) {
    const info = readDbtError(lines);
    fields.model ??= info.model;
    fields.modelPath ??= info.modelPath;
    fields.message = info.message;
    fields.detail = info.detail;
    if (info.kind && info.kind !== 'Failure' && info.kind !== 'ERROR' && info.kind !== 'Warning') {
      fields.exception = `${info.kind} Error`;
    }
    if (info.sqlstates.length > 0) fields.sqlstates = info.sqlstates;
    return;
  }
  const { message, detail } = splitMessage(msg);
  fields.message = message;
  fields.detail = detail;
  const codes = codesInText(msg);
  if (codes.length > 0) fields.sqlstates = codes;
}

/** Interprets one dbt JSON log object. */
export function dbtJsonEvent(record: RawRecord, v: Record<string, unknown>, span?: EventSpan): LogEvent {
  const info = v.info as Record<string, unknown>;
  const data = isObj(v.data) ? v.data : {};
  const node = isObj(data.node_info) ? data.node_info : {};
  const fields: EventFields = {
    logger: str(info.name),
    thread: str(info.thread),
    sessionId: str(info.invocation_id),
    model: str(node.node_name),
    modelPath: str(node.node_path),
  };
  const pid = num(info.pid);
  if (pid !== undefined) fields.pid = pid;
  // RunResultError carries the error text in data.msg; info.msg is the rendered line.
  const rawMsg = str(data.msg) ?? str(info.msg);
  const msg = rawMsg === undefined ? undefined : stripAnsi(rawMsg);
  dbtMessageFields(msg, fields);
  const exc = str(getCI(data, 'exc', 'exc_info'));
  if (exc) {
    const codes = codesInText(exc, fields.sqlstates ?? []);
    if (codes.length > 0) fields.sqlstates = codes;
    fields.detail ??= exc;
  }
  const exec = num(data.execution_time);
  if (exec !== undefined) fields.durationMs = Math.round(exec * 1000);
  let level = normLevel(str(info.level));
  const status = str(data.status);
  if (status === 'error' || status === 'fail') level = 'error';
  const adapter = fields.message ? ADAPTER_ERROR.exec(fields.message) : null;
  if (adapter) {
    fields.message = adapter[1];
    level = 'error';
  }
  return makeEvent(record, 'dbt-json', 'orchestrator', fields, {
    span,
    time: readTime(str(info.ts)),
    level,
  });
}

/** Best effort for a dbt JSON line that does not parse (cut or corrupted). */
export function dbtJsonMalformed(record: RawRecord): LogEvent {
  const text = record.lines.join('\n');
  const got = salvageStrings(text, ['msg', 'ts', 'level', 'name', 'node_name', 'node_path', 'thread', 'invocation_id']);
  const fields: EventFields = {
    message: got.msg ?? text.trim(),
    logger: got.name,
    model: got.node_name,
    modelPath: got.node_path,
    thread: got.thread,
    sessionId: got.invocation_id,
  };
  if (got.msg) dbtMessageFields(got.msg, fields);
  const codes = codesInText(text, fields.sqlstates ?? []);
  if (codes.length > 0) fields.sqlstates = codes;
  return makeEvent(record, 'dbt-json', 'orchestrator', fields, {
    time: readTime(got.ts),
    level: normLevel(got.level),
  });
}

export const dbtJson: FormatParser = {
  id: 'dbt-json',
  origin: 'orchestrator',
  describe: 'dbt --log-format json lines ({"data": ..., "info": {name, code, msg, level, ts}}) with node_info',
  start(line: string): RecordState | undefined {
    const c = line.charCodeAt(0);
    if (c !== 123 && c !== 32) return undefined;
    if (!DBT_JSON_START.test(line)) return undefined;
    return startJson(line);
  },
  continues: continuesJson,
  parse(record: RawRecord): LogEvent[] {
    try {
      const parsed = parseJsonLines(record.lines);
      if (parsed.ok && isDbtLogShape(parsed.value)) return [dbtJsonEvent(record, parsed.value)];
      return [{ ...dbtJsonMalformed(record), malformed: true }];
    } catch {
      return [makeEvent(record, 'dbt-json', 'orchestrator', {})];
    }
  },
};
