/**
 * The JSON record parser for documents whose shape cannot be told from their first line
 * (a pretty-printed `{` / `[`, JSON lines from ADF exports or Python JSON loggers). It assembles
 * the value with `json-record` and then hands it to the interpreter for its shape, so every
 * event carries the right format id:
 *   dbt JSON log line → dbt-json; run_results.json → dbt-run-results; ADF error/run/monitor
 *   records → adf-json; python-json-logger records → python-logging; any other JSON → generic.
 * It is registered under `adf-json`, the shape family with the most varied first lines.
 */
import type { EventFields, LogEvent, RawRecord } from '../../events.js';
import type { FormatParser, RecordState } from '../types.js';
import { dbtJsonEvent, dbtJsonMalformed, isDbtLogShape } from '../dbt/dbt-json.js';
import { isRunResultsShape, runResultsEvents, runResultsMalformed } from '../dbt/dbt-run-results.js';
import { adfJsonEvents, adfJsonMalformed, looksLikeAdf } from '../adf/adf-json.js';
import { pyStartPhase } from '../python/traceback-lines.js';
import { mainException, pyExtract } from '../python/traceback-fields.js';
import { codesFromClassNames, codesInText } from '../common/client-sqlstate.js';
import { makeEvent, normLevel, readTime, splitMessage } from '../common/client-util.js';
import { parseEpoch } from '../common/timestamp.js';
import { appJsonEvent, decodedText, isAppJsonShape } from '../app/app-json.js';
import { continuesJson, getCI, isObj, num, parseJsonLines, salvageStrings, startJson, str } from './json-record.js';

/** PostgreSQL's own jsonlog lines begin with this key; they belong to the server formats. */
const PG_JSONLOG = /^\{"timestamp":"/;

function opensDocument(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c !== 123 && c !== 91) return false;
  const n = line.length > 1 ? line.charCodeAt(1) : -1;
  if (c === 123) {
    if (!(n === -1 || n === 34 || n === 32 || n === 9 || n === 125)) return false;
    return !PG_JSONLOG.test(line);
  }
  // `[`: a lone bracket, or an array of objects. `[SQL: ...` and `[2024-...]` are not JSON.
  return n === -1 || n === 123 || n === 93 || ((n === 32 || n === 9) && /^\[\s*(?:\{|$)/.test(line));
}

/** python-json-logger records (`levelname`, `name`, `message`, `exc_info`, ...). */
function isPythonJsonLog(v: Record<string, unknown>): boolean {
  return typeof v.levelname === 'string' && (typeof v.message === 'string' || typeof v.msg === 'string');
}

function pythonJsonEvent(record: RawRecord, v: Record<string, unknown>): LogEvent {
  const fields: EventFields = {
    logger: str(v.name),
    thread: str(v.threadName),
    severity: str(v.levelname),
    message: str(v.message) ?? str(v.msg),
  };
  const pid = num(v.process);
  if (pid !== undefined) fields.pid = pid;
  const exc = str(v.exc_info) ?? str(v.exc_text);
  if (exc) {
    const lines = exc.split('\n');
    const first = pyStartPhase(lines[0]);
    if (first) Object.assign(fields, mainException(pyExtract(lines, first).exceptions));
    else fields.detail = exc;
  }
  const codes = codesFromClassNames(JSON.stringify(v), fields.sqlstates ?? []);
  if (codes.length > 0) fields.sqlstates = codes;
  const created = num(v.created);
  const time = readTime(str(v.asctime) ?? str(v.timestamp)) ?? (created !== undefined ? parseEpoch(created) : undefined);
  const event = makeEvent(record, 'python-logging', 'client', fields, { time, level: normLevel(str(v.levelname)) });
  event.matchText = decodedText(v);
  return event;
}

/** Undoes JSON string escapes in a possibly cut string body (no closing quote needed). */
function unescapePartial(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '' : e;
  });
}

/** A python-json-logger line cut by a cap: keep the fields and whatever traceback survives. */
function pythonJsonMalformed(record: RawRecord): LogEvent {
  const text = record.lines.join('\n');
  const got = salvageStrings(text, ['levelname', 'name', 'message', 'msg', 'asctime', 'threadName']);
  const v: Record<string, unknown> = { ...got };
  const exc = /"(?:exc_info|exc_text)"\s*:\s*"((?:[^"\\]|\\.)*)/.exec(text);
  if (exc) v.exc_info = unescapePartial(exc[1]);
  return pythonJsonEvent(record, v);
}

/** Any other JSON: keep the text and the usual logger keys so detection still sees it. */
function genericJsonEvent(record: RawRecord, v: unknown): LogEvent {
  const fields: EventFields = {};
  let level: string | undefined;
  let time;
  if (isObj(v)) {
    const msg = str(getCI(v, 'message', 'msg', 'error', 'err'));
    if (msg) Object.assign(fields, splitMessage(msg));
    const lv = getCI(v, 'level', 'severity', 'levelname', 'log.level');
    level = normLevel(str(lv));
    time = readTime(str(getCI(v, 'time', 'timestamp', '@timestamp', 'ts')));
    if (!time) {
      const epoch = num(getCI(v, 'time', 'ts'));
      if (epoch !== undefined) time = parseEpoch(epoch);
    }
  }
  const decoded = v === undefined ? undefined : decodedText(v);
  const codes = codesInText(decoded ?? record.lines.join('\n'));
  if (codes.length > 0) fields.sqlstates = codes;
  const event = makeEvent(record, 'generic', 'unknown', fields, { time, level });
  if (decoded !== undefined) event.matchText = decoded;
  return event;
}

/** Keys only Azure Data Factory and Azure Monitor write; a record without any is not ADF's. */
const ADF_KEYS = new Set([
  'errorcode', 'errormessage', 'failuretype', 'activityname', 'activityrunid', 'activitytype', 'pipelinename', 'pipelinerunid',
  'activityrunend', 'activityrunstart', 'copyduration', 'executiondetails', 'usedparallelcopies', 'innereventinfos',
]);

function hasAdfKeys(v: unknown, depth = 0): boolean {
  if (depth > 6) return false;
  if (Array.isArray(v)) return v.slice(0, 50).some((x) => hasAdfKeys(x, depth + 1));
  if (!isObj(v)) return false;
  for (const [k, val] of Object.entries(v)) {
    if (ADF_KEYS.has(k.toLowerCase())) return true;
    if (typeof val === 'object' && val !== null && hasAdfKeys(val, depth + 1)) return true;
  }
  return false;
}

/** Dispatches a parsed JSON value to the interpreter for its shape. */
export function jsonValueEvents(record: RawRecord, v: unknown): LogEvent[] {
  if (isDbtLogShape(v)) return [dbtJsonEvent(record, v)];
  if (isRunResultsShape(v)) return runResultsEvents(record, v);
  if (isObj(v) && isPythonJsonLog(v)) return [pythonJsonEvent(record, v)];
  // The ADF reader takes only records that carry ADF's own keys: an application's `err` object
  // with `code` and `message` (pino) is the application's.
  if (hasAdfKeys(v)) {
    const adf = adfJsonEvents(record, v);
    if (adf.length > 0) return adf;
  } else if (isObj(v) && isAppJsonShape(v)) {
    return [appJsonEvent(record, v)];
  }
  return [genericJsonEvent(record, v)];
}

/** Best effort for JSON text that does not parse (cut by a cap, or corrupted). */
export function malformedJsonEvents(record: RawRecord): LogEvent[] {
  const head = record.lines.slice(0, 40).join('\n');
  if (head.includes('"dbt_schema_version"') || head.includes('"unique_id"')) return [runResultsMalformed(record)];
  if (/^\s*\{\s*"(?:data|info)"\s*:/.test(head)) return [dbtJsonMalformed(record)];
  if (head.includes('"levelname"')) return [pythonJsonMalformed(record)];
  if (looksLikeAdf(record.lines.join('\n'))) return [adfJsonMalformed(record)];
  return [genericJsonEvent(record, undefined)];
}

export const jsonDocument: FormatParser = {
  id: 'adf-json',
  origin: 'orchestrator',
  describe: 'JSON documents and JSON lines: ADF activity errors, run output, Azure Monitor ActivityRuns/ADFActivityRun records (pretty-printed run_results.json and dbt JSON are handed to their own interpreters)',
  start(line: string): RecordState | undefined {
    if (!opensDocument(line)) return undefined;
    return startJson(line);
  },
  continues: continuesJson,
  parse(record: RawRecord): LogEvent[] {
    try {
      const parsed = parseJsonLines(record.lines);
      return parsed.ok ? jsonValueEvents(record, parsed.value) : malformedJsonEvents(record).map((e) => ({ ...e, malformed: true }));
    } catch {
      return [makeEvent(record, 'generic', 'unknown', {})];
    }
  },
};
