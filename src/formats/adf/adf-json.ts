/**
 * Azure Data Factory / Synapse JSON (format `adf-json`): one event per failed activity or run.
 * Shapes recognized anywhere inside a document (arrays, `value`/`records` wrappers included):
 * - the activity `error` object: `errorCode`, `message`, `failureType`, `target`, `details`;
 * - activity/pipeline run output (`activityName`, `status`, `error`, `durationInMs`, ...);
 * - Azure Monitor `ActivityRuns` resource-log records (`properties.Error`, often a JSON string);
 * - Log Analytics `ADFActivityRun`/`ADFPipelineRun` rows (`ErrorCode`, `ErrorMessage`, `Status`);
 * - the copy activity's Output (`copyDuration`, `executionDetails`, `errors[]` of `Code`/`Message`
 *   event infos), or one of those event infos pasted alone.
 */
import type { EventFields, LogEvent, RawRecord } from '../../events.js';
import { readAdfMessage } from './adf-message.js';
import { codesInText } from '../common/client-sqlstate.js';
import { makeEvent, readTime, type EventSpan } from '../common/client-util.js';
import { getCI, isObj, num, salvageStrings, str } from '../json/json-record.js';

interface Failure {
  activity?: string;
  pipeline?: string;
  errorCode?: string;
  failureType?: string;
  message?: string;
  time?: string;
  durationMs?: number;
  runId?: string;
}

const RUN_KEYS = ['activityName', 'activityRunId', 'pipelineName', 'pipelineRunId', 'runId', 'operationName'];
const NOT_ENDED = /^1601-01-01/;

function maybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!t.startsWith('{')) return v;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return v;
  }
}

function nonEmpty(v: unknown): string | undefined {
  const s = str(v);
  return s !== undefined && s.trim() !== '' ? s : undefined;
}

/** The failure an object describes; `null` for a run record without a failure; undefined otherwise. */
function failureOf(o: Record<string, unknown>): Failure | null | undefined {
  const props = getCI(o, 'properties');
  let err = maybeJson(getCI(o, 'error'));
  if (!isObj(err) && isObj(props)) err = maybeJson(getCI(props, 'error'));
  const isRun = RUN_KEYS.some((k) => getCI(o, k) !== undefined);
  const status = str(getCI(o, 'status')) ?? str(getCI(o, 'operationName'))?.replace(/^.* - /, '');
  const ctx: Failure = {
    activity: nonEmpty(getCI(o, 'activityName')),
    pipeline: nonEmpty(getCI(o, 'pipelineName')),
    runId: nonEmpty(getCI(o, 'activityRunId', 'runId')),
  };
  const end = [getCI(o, 'activityRunEnd'), getCI(o, 'runEnd'), getCI(o, 'end'), getCI(o, 'TimeGenerated'), getCI(o, 'time')]
    .map(str)
    .find((t) => t !== undefined && !NOT_ENDED.test(t));
  ctx.time = end;
  const dur = num(getCI(o, 'durationInMs'));
  if (dur !== undefined) ctx.durationMs = dur;
  else {
    const s = readTime(str(getCI(o, 'activityRunStart', 'runStart', 'start')));
    const e = readTime(str(getCI(o, 'activityRunEnd', 'runEnd', 'end')));
    if (s && e && e.ts >= s.ts && !NOT_ENDED.test(str(getCI(o, 'activityRunEnd', 'runEnd', 'end')) ?? '')) ctx.durationMs = e.ts - s.ts;
  }

  if (isObj(err)) {
    const code = nonEmpty(getCI(err, 'errorCode', 'code'));
    const message = nonEmpty(getCI(err, 'message'));
    if (!code && !message) return isRun ? null : undefined;
    return {
      ...ctx,
      activity: ctx.activity ?? nonEmpty(getCI(err, 'target')),
      errorCode: code,
      failureType: nonEmpty(getCI(err, 'failureType')),
      message,
    };
  }
  // Flattened Log Analytics columns, or a bare error object.
  const flatCode = nonEmpty(getCI(o, 'errorCode'));
  const bare = flatCode !== undefined || getCI(o, 'failureType') !== undefined;
  const flatMessage = nonEmpty(getCI(o, 'ErrorMessage')) ?? (bare ? nonEmpty(getCI(o, 'message')) : undefined);
  if (flatCode || flatMessage) {
    return {
      ...ctx,
      activity: ctx.activity ?? nonEmpty(getCI(o, 'target')),
      errorCode: flatCode,
      failureType: nonEmpty(getCI(o, 'failureType')),
      message: flatMessage,
    };
  }
  const message = nonEmpty(getCI(o, 'message'));
  // A pipeline run that failed with a message.
  if (isRun && message && status && /fail/i.test(status)) return { ...ctx, message };
  return isRun ? null : undefined;
}

/** Keys of the copy activity's Output document: its `errors[]` is what failed in the copy. */
const COPY_OUTPUT_KEYS = ['copyDuration', 'executionDetails', 'usedParallelCopies', 'rowsCopied'];

/**
 * One entry of a copy Output's `errors[]`: the transfer service's event info (`Code`, `Message`,
 * `EventType`, `Category`, `InnerEventInfos`). Its `Message` is the composite copy message.
 */
function isCopyEventInfo(o: Record<string, unknown>): boolean {
  return typeof o.Message === 'string' && o.Code !== undefined && ('InnerEventInfos' in o || 'EventType' in o);
}

/**
 * A copy Output's failures, ended at the last execution's start plus its duration (seconds, as
 * the Output counts them). Undefined when the object is no copy Output.
 */
function copyOutputFailures(o: Record<string, unknown>): Failure[] | undefined {
  const errors = getCI(o, 'errors');
  if (!Array.isArray(errors) || !COPY_OUTPUT_KEYS.some((k) => getCI(o, k) !== undefined)) return undefined;
  let time: string | undefined;
  const details = getCI(o, 'executionDetails');
  const last = Array.isArray(details) ? details.filter(isObj).at(-1) : undefined;
  if (last) {
    const start = readTime(str(getCI(last, 'start')));
    const seconds = num(getCI(last, 'duration'));
    if (start) time = new Date(start.ts + (seconds ?? 0) * 1000).toISOString();
  }
  const seconds = num(getCI(o, 'copyDuration'));
  return errors.filter(isObj).flatMap((e): Failure[] => {
    const message = nonEmpty(getCI(e, 'Message'));
    if (!message) return [];
    return [{ errorCode: str(getCI(e, 'Code')), message, time, durationMs: seconds !== undefined ? seconds * 1000 : undefined }];
  });
}

function walk(v: unknown, out: Failure[], depth: number): void {
  if (depth > 8 || out.length > 1000) return;
  if (Array.isArray(v)) {
    for (const x of v) walk(x, out, depth + 1);
    return;
  }
  if (!isObj(v)) return;
  const copy = copyOutputFailures(v);
  if (copy) {
    out.push(...copy);
    return;
  }
  if (isCopyEventInfo(v)) {
    out.push({ errorCode: str(v.Code), message: nonEmpty(v.Message) });
    return;
  }
  const f = failureOf(v);
  if (f) {
    out.push(f);
    return;
  }
  if (f === null) return;
  for (const val of Object.values(v)) if (typeof val === 'object' && val !== null) walk(val, out, depth + 1);
}

/** Failed activities/runs described by a parsed JSON value (empty when it is not ADF-shaped). */
export function adfFailures(v: unknown): Failure[] {
  const out: Failure[] = [];
  walk(v, out, 0);
  return out;
}

function locate(lines: readonly string[], f: Failure): EventSpan | undefined {
  if (lines.length < 3) return undefined;
  const needles = [f.runId, f.message?.slice(0, 60)]
    .filter((s): s is string => !!s)
    .map((s) => JSON.stringify(s).slice(1, -1));
  for (const needle of needles) {
    const i = lines.findIndex((l) => l.includes(needle));
    if (i >= 0) return { first: i, last: i };
  }
  return undefined;
}

function failureEvent(record: RawRecord, f: Failure, span: EventSpan | undefined): LogEvent {
  const msg = readAdfMessage(f.message);
  const fields: EventFields = {
    activity: f.activity ?? msg.target,
    pipeline: f.pipeline,
    errorCode: f.errorCode ?? msg.innerErrorCode,
    failureType: f.failureType,
    durationMs: f.durationMs,
    message: msg.message,
    detail: msg.detail,
    sessionId: f.runId,
  };
  if (msg.sqlstates.length > 0) fields.sqlstates = msg.sqlstates;
  return makeEvent(record, 'adf-json', 'orchestrator', fields, { span, time: readTime(f.time), level: 'error' });
}

/** Events for an ADF-shaped JSON value; empty when nothing failed or the shape is not ADF. */
export function adfJsonEvents(record: RawRecord, v: unknown): LogEvent[] {
  const failures = adfFailures(v);
  return failures.map((f) => failureEvent(record, f, failures.length > 1 ? locate(record.lines, f) : undefined));
}

/** Does broken JSON text look like an ADF record? */
export function looksLikeAdf(text: string): boolean {
  return /"(?:errorCode|ErrorCode|ErrorMessage|activityName|ActivityName|pipelineName|failureType)"\s*:/.test(text);
}

/** Best effort for cut ADF JSON: one event from the strings that survive. */
export function adfJsonMalformed(record: RawRecord): LogEvent {
  const text = record.lines.join('\n');
  const got = salvageStrings(text, [
    'errorCode', 'ErrorCode', 'message', 'ErrorMessage', 'failureType', 'FailureType', 'target',
    'activityName', 'ActivityName', 'pipelineName', 'PipelineName', 'activityRunEnd', 'TimeGenerated',
  ]);
  const msg = readAdfMessage(got.message ?? got.ErrorMessage ?? text.trim().slice(0, 4000));
  const fields: EventFields = {
    activity: got.activityName ?? got.ActivityName ?? got.target ?? msg.target,
    pipeline: got.pipelineName ?? got.PipelineName,
    errorCode: got.errorCode ?? got.ErrorCode,
    failureType: got.failureType ?? got.FailureType,
    message: msg.message,
  };
  const codes = codesInText(text, msg.sqlstates);
  if (codes.length > 0) fields.sqlstates = codes;
  return makeEvent(record, 'adf-json', 'orchestrator', fields, {
    time: readTime(got.activityRunEnd ?? got.TimeGenerated),
    level: 'error',
    text: text.length > 4000 ? text.slice(0, 4000) : undefined,
  });
}
