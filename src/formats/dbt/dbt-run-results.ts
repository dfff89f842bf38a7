/**
 * dbt `target/run_results.json` (format `dbt-run-results`): one event per node whose status is
 * an error or failure. dbt writes the file on one line; people often paste it pretty-printed.
 */
import type { EventFields, LogEvent, RawRecord } from '../../events.js';
import type { FormatParser, RecordState } from '../types.js';
import { dbtMessageFields } from './dbt-json.js';
import { codesInText } from '../common/client-sqlstate.js';
import { makeEvent, readTime, type EventSpan } from '../common/client-util.js';
import { continuesJson, isObj, num, parseJsonLines, salvageStrings, startJson, str } from '../json/json-record.js';

/** The minified file starts with its metadata; a pretty-printed one starts with `{` (see json-document). */
const RUN_RESULTS_START = /^\s*\{\s*"metadata"\s*:\s*\{\s*"dbt_schema_version"\s*:\s*"[^"]*run-results/;
const FAILED_ENTRY =
  /"status"\s*:\s*"(?:error|fail|runtime error)"[^]*?"message"\s*:\s*"((?:[^"\\\n]|\\.)*)"(?:[^]*?"unique_id"\s*:\s*"((?:[^"\\\n]|\\.)*)")?/;

function decode(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

const FAILED = new Set(['error', 'fail', 'runtime error']);

/** Does a parsed JSON value look like run_results.json? */
export function isRunResultsShape(v: unknown): v is Record<string, unknown> {
  if (!isObj(v) || !Array.isArray(v.results)) return false;
  const meta = v.metadata;
  if (isObj(meta) && typeof meta.dbt_schema_version === 'string') return meta.dbt_schema_version.includes('run-results');
  return !isObj(meta) && v.results.length > 0 && isObj(v.results[0]) && 'unique_id' in v.results[0] && 'status' in v.results[0];
}

/** Finds the lines of a pretty-printed result entry: from its `"status"` line to its `"unique_id"` line. */
function locate(lines: readonly string[], uniqueId: string, from: number): EventSpan | undefined {
  if (lines.length < 3) return undefined;
  const needle = `"unique_id": ${JSON.stringify(uniqueId)}`;
  for (let i = from; i < lines.length; i++) {
    if (!lines[i].includes(needle)) continue;
    let first = i;
    for (let j = i; j >= from; j--) {
      if (/^\s*"status"\s*:/.test(lines[j])) {
        first = j;
        break;
      }
    }
    return { first, last: i };
  }
  return undefined;
}

function timingEnd(timing: unknown): string | undefined {
  if (!Array.isArray(timing)) return undefined;
  let end: string | undefined;
  for (const t of timing) {
    if (!isObj(t)) continue;
    const c = str(t.completed_at);
    if (c && (t.name === 'execute' || end === undefined)) end = c;
  }
  return end;
}

function timingSpan(timing: unknown): { start?: number; end?: number } {
  if (!Array.isArray(timing)) return {};
  let start: number | undefined;
  let end: number | undefined;
  for (const t of timing) {
    if (!isObj(t)) continue;
    const a = Date.parse(str(t.started_at) ?? '');
    const b = Date.parse(str(t.completed_at) ?? '');
    if (!Number.isNaN(a) && (start === undefined || a < start)) start = a;
    if (!Number.isNaN(b) && (end === undefined || b > end)) end = b;
  }
  return { start, end };
}

/**
 * How long a node's thread had been without work when the node started: from the end of the
 * previous node on the same `thread_id` to this node's first timing. dbt hands a thread's
 * connection from node to node, so this is how long that connection sat unused. Unknown when
 * no earlier node ran on the thread.
 */
class ThreadIdle {
  /** Per thread, the end times of its nodes, ascending (built on first use). */
  private ends: Map<string, number[]> | undefined;

  constructor(private readonly results: unknown[]) {}

  of(node: Record<string, unknown>): number | undefined {
    const thread = str(node.thread_id);
    const { start } = timingSpan(node.timing);
    if (!thread || start === undefined) return undefined;
    const ends = this.index().get(thread) ?? [];
    // The latest end at or before the start (the node's own end is after its start).
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : start - ends[lo - 1];
  }

  private index(): Map<string, number[]> {
    if (this.ends) return this.ends;
    this.ends = new Map();
    for (const r of this.results) {
      if (!isObj(r)) continue;
      const thread = str(r.thread_id);
      const { start, end } = timingSpan(r.timing);
      if (!thread || end === undefined || (start !== undefined && end < start)) continue;
      let list = this.ends.get(thread);
      if (!list) this.ends.set(thread, (list = []));
      list.push(end);
    }
    for (const list of this.ends.values()) list.sort((a, b) => a - b);
    return this.ends;
  }
}

/** One event per errored/failed node. */
export function runResultsEvents(record: RawRecord, doc: Record<string, unknown>): LogEvent[] {
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  const results = Array.isArray(doc.results) ? doc.results : [];
  const events: LogEvent[] = [];
  let cursor = 0;
  const idle = new ThreadIdle(results);
  for (const r of results) {
    if (!isObj(r)) continue;
    const status = str(r.status);
    if (!status || !FAILED.has(status.toLowerCase())) continue;
    const uniqueId = str(r.unique_id) ?? '';
    const fields: EventFields = {
      thread: str(r.thread_id),
      sessionId: str(meta.invocation_id),
    };
    const message = str(r.message);
    dbtMessageFields(message, fields);
    if (!fields.model && uniqueId) fields.model = uniqueId.slice(uniqueId.lastIndexOf('.') + 1);
    const exec = num(r.execution_time);
    if (exec !== undefined) fields.durationMs = Math.round(exec * 1000);
    const span = uniqueId ? locate(record.lines, uniqueId, cursor) : undefined;
    if (span) cursor = span.last + 1;
    const wide = !span && record.lines.join('').length > 500;
    const event = makeEvent(record, 'dbt-run-results', 'orchestrator', fields, {
      span,
      time: readTime(timingEnd(r.timing) ?? str(meta.generated_at)),
      level: 'error',
      // A one-line artifact can be megabytes: quote the node's own entry instead.
      text: wide ? JSON.stringify({ unique_id: uniqueId, status, message }) : undefined,
    });
    const idleMs = idle.of(r);
    if (idleMs !== undefined) event.idleMs = idleMs;
    events.push(event);
  }
  return events;
}

/** Best effort for a cut or corrupted run_results document: one event with whatever strings survive. */
export function runResultsMalformed(record: RawRecord): LogEvent {
  const text = record.lines.join('\n');
  const got = salvageStrings(text, ['message', 'unique_id', 'generated_at', 'invocation_id', 'thread_id']);
  // Prefer the entry of a failed node over the first message in the file.
  const failed = FAILED_ENTRY.exec(text.length > 2_000_000 ? text.slice(0, 2_000_000) : text);
  if (failed) {
    got.message = decode(failed[1]);
    if (failed[2]) got.unique_id = decode(failed[2]);
  }
  const fields: EventFields = { sessionId: got.invocation_id, thread: got.thread_id };
  if (got.message) dbtMessageFields(got.message, fields);
  else fields.message = text.trim().slice(0, 2000);
  if (!fields.model && got.unique_id) fields.model = got.unique_id.slice(got.unique_id.lastIndexOf('.') + 1);
  const codes = codesInText(text, fields.sqlstates ?? []);
  if (codes.length > 0) fields.sqlstates = codes;
  return makeEvent(record, 'dbt-run-results', 'orchestrator', fields, {
    time: readTime(got.generated_at),
    text: text.length > 4000 ? text.slice(0, 4000) : undefined,
  });
}

export const dbtRunResults: FormatParser = {
  id: 'dbt-run-results',
  origin: 'orchestrator',
  describe: 'dbt target/run_results.json (one event per errored node: message, unique_id, timing)',
  start(line: string): RecordState | undefined {
    const c = line.charCodeAt(0);
    if (c !== 123 && c !== 32) return undefined;
    if (!RUN_RESULTS_START.test(line)) return undefined;
    return startJson(line);
  },
  continues: continuesJson,
  parse(record: RawRecord): LogEvent[] {
    try {
      const parsed = parseJsonLines(record.lines);
      if (parsed.ok && isRunResultsShape(parsed.value)) return runResultsEvents(record, parsed.value);
      return [{ ...runResultsMalformed(record), malformed: true }];
    } catch {
      return [makeEvent(record, 'dbt-run-results', 'orchestrator', {})];
    }
  },
};
