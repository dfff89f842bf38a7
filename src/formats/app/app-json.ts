/**
 * JSON application logs (format `app-json`): one object per record as pino, bunyan, winston,
 * structlog, logback/log4j2 JSON layouts and Elastic Common Schema write them. The keys differ per
 * library but mean the same few things (time, level, logger, message, error), so each is read
 * from a short list of the names libraries use for it.
 *
 * JSON logs are data: rules match the decoded string fields (`decodedText`), never the escaped
 * line, so `prepared statement \"q\" does not exist` reads as `prepared statement "q" ...` and a
 * `\n` inside a stack is a real line break. A string that holds JSON itself is decoded too.
 */
import type { EventFields, LogEvent, RawRecord } from '../../events.js';
import { codesFromClassNames, codesInText, isSqlstate } from '../common/client-sqlstate.js';
import { addCodes, makeEvent, normLevel, readTime } from '../common/client-util.js';
import { getCI, isObj, num, str } from '../json/json-record.js';
import { pyStartPhase } from '../python/traceback-lines.js';
import { mainException, pyExtract } from '../python/traceback-fields.js';
import { parseEpoch, type ParsedTime } from '../common/timestamp.js';

const MESSAGE_KEYS = ['msg', 'message', '@message', 'event', 'MESSAGE', 'log'];
const LEVEL_KEYS = ['level', 'severity', 'log.level', 'lvl', '@level', 'loglevel', 'level_name'];
const TIME_KEYS = ['time', 'timestamp', '@timestamp', 'ts', 't', 'datetime', 'date', 'instant'];
const LOGGER_KEYS = ['logger', 'name', 'logger_name', 'loggerName', 'log.logger', 'module', 'category'];
const THREAD_KEYS = ['thread', 'thread_name', 'threadName', 'process.thread.name'];
const ERROR_KEYS = ['err', 'error', 'exc_info', 'exception', 'stack_trace', 'stack', 'error.stack_trace', 'error.message', 'thrown'];

/** pino/bunyan numeric levels. */
const NUMERIC_LEVELS: Array<[number, string]> = [[60, 'fatal'], [50, 'error'], [40, 'warning'], [30, 'info'], [20, 'debug'], [0, 'debug']];

/** Does this parsed object look like an application's log record (and carry no ADF keys)? */
export function isAppJsonShape(v: Record<string, unknown>): boolean {
  const hasMessage = MESSAGE_KEYS.some((k) => typeof dotted(v, k) === 'string') || ERROR_KEYS.some((k) => dotted(v, k) !== undefined);
  if (!hasMessage) return false;
  return LEVEL_KEYS.some((k) => dotted(v, k) !== undefined) || TIME_KEYS.some((k) => dotted(v, k) !== undefined);
}

/** `a.b` as a flat key (ECS writes both `"log.level"` and `{"log":{"level"}}`) or as a path. */
function dotted(o: Record<string, unknown>, key: string): unknown {
  const flat = getCI(o, key);
  if (flat !== undefined || !key.includes('.')) return flat;
  let cur: unknown = o;
  for (const part of key.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = getCI(cur, part);
  }
  return cur;
}

function first(o: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) {
    const v = dotted(o, k);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

function levelOf(v: unknown): string | undefined {
  if (typeof v === 'number') return NUMERIC_LEVELS.find(([min]) => v >= min)?.[1];
  const s = str(v);
  if (s === undefined) return undefined;
  if (/^\d+$/.test(s)) return levelOf(Number(s));
  return normLevel(s);
}

function timeOf(v: unknown): ParsedTime | undefined {
  if (typeof v === 'number') return parseEpoch(v);
  if (isObj(v)) {
    // log4j2 JsonLayout: "instant": {"epochSecond": 1767225600, "nanoOfSecond": 123000000}
    const s = num(getCI(v, 'epochSecond'));
    if (s !== undefined) return parseEpoch(s * 1000 + Math.round((num(getCI(v, 'nanoOfSecond')) ?? 0) / 1e6));
    return undefined;
  }
  const s = str(v);
  if (s === undefined) return undefined;
  if (/^\d{10}(?:\.\d+)?$|^\d{13}$/.test(s)) return parseEpoch(Number(s));
  return readTime(s);
}

/** Parses a string that holds a JSON object or array; undefined for anything else. */
function innerJson(s: string): unknown {
  const t = s.trim();
  if (t.length < 2 || !((t[0] === '{' && t.endsWith('}')) || (t[0] === '[' && t.endsWith(']')))) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Every string field, decoded, one `key: value` per field (nested keys dotted), JSON inside
 * strings unpacked. Bounded in depth and size so a hostile document cannot make it grow.
 */
export function decodedText(v: unknown, limit = 64 * 1024): string {
  const out: string[] = [];
  let size = 0;
  const visit = (x: unknown, key: string, depth: number): void => {
    if (size > limit || depth > 10) return;
    if (typeof x === 'string') {
      const inner = innerJson(x);
      if (inner !== undefined) return visit(inner, key, depth + 1);
      const line = key ? `${key}: ${x}` : x;
      out.push(line);
      size += line.length;
      return;
    }
    if (typeof x === 'number' || typeof x === 'boolean') {
      out.push(`${key}: ${x}`);
      size += key.length + 8;
      return;
    }
    if (Array.isArray(x)) {
      x.forEach((item, i) => visit(item, key ? `${key}.${i}` : String(i), depth + 1));
      return;
    }
    if (isObj(x)) for (const [k, val] of Object.entries(x)) visit(val, key ? `${key}.${k}` : k, depth + 1);
  };
  visit(v, '', 0);
  const text = out.join('\n');
  return text.length > limit ? text.slice(0, limit) : text;
}

/** The error a record carries: its message, class, code and stack, whatever the library. */
function errorFields(v: Record<string, unknown>, fields: EventFields, codes: string[]): void {
  const err = first(v, ERROR_KEYS);
  if (err === undefined) return;
  let stack: string | undefined;
  if (typeof err === 'string') {
    stack = err;
  } else if (isObj(err)) {
    const message = str(getCI(err, 'message', 'msg', 'error.message'));
    const type = str(getCI(err, 'type', 'name', 'class', 'exception_class', 'error.type'));
    stack = str(getCI(err, 'stack', 'stack_trace', 'stacktrace', 'traceback', 'extendedStackTrace'));
    const code = str(getCI(err, 'code', 'sqlState', 'sqlstate', 'pgcode', 'errno'));
    if (code && isSqlstate(code)) addCodes(codes, [code]);
    if (message) fields.detail = message;
    if (type) fields.exception = type;
  }
  if (stack) {
    const lines = stack.split('\n');
    const phase = pyStartPhase(lines[0]);
    if (phase) {
      const main = mainException(pyExtract(lines, phase).exceptions);
      fields.exception ??= main.exception;
      fields.driver = main.driver;
      if (main.message) fields.detail ??= main.message;
      addCodes(codes, main.sqlstates ?? []);
    } else {
      fields.detail ??= lines[0];
    }
  }
}

export function appJsonEvent(record: RawRecord, v: Record<string, unknown>): LogEvent {
  const codes: string[] = [];
  const fields: EventFields = {
    logger: str(first(v, LOGGER_KEYS)),
    thread: str(first(v, THREAD_KEYS)),
    message: str(first(v, MESSAGE_KEYS)),
  };
  const levelValue = first(v, LEVEL_KEYS);
  if (levelValue !== undefined) fields.severity = str(levelValue);
  const pid = num(getCI(v, 'pid', 'process.pid', 'process'));
  if (pid !== undefined) fields.pid = pid;
  errorFields(v, fields, codes);
  // The message a user reads is the error's own text when the log message only says "failed".
  if (fields.detail && fields.message) fields.message = `${fields.message}: ${fields.detail}`;
  else if (fields.detail) fields.message = fields.detail;
  const decoded = decodedText(v);
  codesFromClassNames(decoded, codes);
  codesInText(decoded, codes);
  if (codes.length > 0) fields.sqlstates = codes;
  const event = makeEvent(record, 'app-json', 'client', fields, { time: timeOf(first(v, TIME_KEYS)), level: levelOf(levelValue) });
  event.matchText = decoded;
  return event;
}
