/**
 * ADF failures rendered as text (format `adf-text`): the pipe-separated one-liner
 * `Activity failed: CopyData | ErrorCode: ... | Message: ... | Pipeline: ... | Duration: 00:02:14`
 * (optional leading timestamp, fields in any order, unknown fields ignored), and a bare ADF
 * message such as `Operation on target CopyData failed: ...` or
 * `Failure happened on 'Source' side. ErrorCode=...`.
 */
import type { EventFields, LogEvent, RawRecord } from '../../events.js';
import type { Continuation, FormatParser, RecordState } from '../types.js';
import { parsePipeLine, type PipeSegment } from './adf-pipe-grammar.js';
import { readAdfMessage, readDuration } from './adf-message.js';
import { makeEvent, readTime } from '../common/client-util.js';

const STAMP = String.raw`(?:\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}| ?UTC)?)\]?\s+)?`;
const PIPE_START = new RegExp(
  `^${STAMP}(?:(?:Activity|Pipeline)(?: run)? failed|Activity(?: ?name)?|Pipeline(?: ?name)?|Error ?code):\\s*[^|]*(?:\\||$)`,
  'i',
);
const MESSAGE_START = new RegExp(`^${STAMP}(Operation on target .+? failed: |Failure happened on '\\w+' side\\. )`);

type Key = keyof Pick<EventFields, 'activity' | 'pipeline' | 'errorCode' | 'failureType' | 'sessionId'> | 'message' | 'duration' | 'time';

const KEYS: Record<string, Key> = {
  activityfailed: 'activity', activityrunfailed: 'activity', activity: 'activity', activityname: 'activity', target: 'activity',
  pipeline: 'pipeline', pipelinename: 'pipeline', pipelinefailed: 'pipeline', pipelinerunfailed: 'pipeline',
  errorcode: 'errorCode', code: 'errorCode',
  failuretype: 'failureType',
  message: 'message', errormessage: 'message', error: 'message', details: 'message',
  duration: 'duration', durationinms: 'duration',
  runid: 'sessionId', activityrunid: 'sessionId', pipelinerunid: 'sessionId',
  time: 'time', timestamp: 'time', end: 'time', activityrunend: 'time',
};

function fromSegments(segments: readonly PipeSegment[]): { fields: EventFields; message?: string; time?: string; duration?: string } {
  const fields: EventFields = {};
  let message: string | undefined;
  let time: string | undefined;
  let duration: string | undefined;
  let last: Key | undefined;
  for (const seg of segments) {
    if (seg.key === undefined) {
      // Text after a pipe without a key: the message itself contained ` | `.
      if (last === 'message' && message !== undefined) message += ` | ${seg.value}`;
      continue;
    }
    const key = KEYS[seg.key.toLowerCase().replace(/[\s_-]/g, '')];
    last = key;
    if (!key || seg.value === '') continue;
    if (key === 'message') message = seg.value;
    else if (key === 'time') time = seg.value;
    else if (key === 'duration') duration = seg.value;
    else fields[key] = seg.value;
  }
  return { fields, message, time, duration };
}

export const adfText: FormatParser = {
  id: 'adf-text',
  origin: 'orchestrator',
  describe: 'ADF failure text: "Activity failed: X | ErrorCode: ... | Message: ... | Pipeline: ..." lines and "Operation on target X failed: ..." messages',
  start(line: string): RecordState | undefined {
    const c = line.charCodeAt(0);
    if (!((c >= 48 && c <= 57) || c === 91 || c === 65 || c === 80 || c === 69 || c === 79 || c === 70 || c === 97 || c === 112 || c === 101)) {
      return undefined;
    }
    if (PIPE_START.test(line) || MESSAGE_START.test(line)) return { complete: true };
    return undefined;
  },
  continues(): Continuation {
    return 'no';
  },
  parse(record: RawRecord): LogEvent[] {
    const line = record.lines.join('\n');
    try {
      let fields: EventFields = {};
      let raw: string | undefined;
      let stamp: string | undefined;
      let duration: string | undefined;
      const msgOnly = MESSAGE_START.exec(line);
      if (msgOnly) {
        stamp = msgOnly[1];
        raw = line.slice(msgOnly[0].length - msgOnly[2].length);
      } else {
        const parsed = parsePipeLine(line);
        if (parsed.ok) {
          const got = fromSegments(parsed.value.segments);
          fields = got.fields;
          raw = got.message;
          stamp = parsed.value.stamp ?? got.time;
          duration = got.duration;
        } else {
          raw = line;
        }
      }
      const msg = readAdfMessage(raw);
      fields.activity ??= msg.target;
      fields.errorCode ??= msg.innerErrorCode;
      fields.message = msg.message;
      if (msg.detail && msg.detail !== msg.message) fields.detail = msg.detail;
      if (msg.sqlstates.length > 0) fields.sqlstates = msg.sqlstates;
      const ms = readDuration(duration);
      if (ms !== undefined) fields.durationMs = ms;
      return [makeEvent(record, 'adf-text', 'orchestrator', fields, { time: readTime(stamp), level: 'error' })];
    } catch {
      return [makeEvent(record, 'adf-text', 'orchestrator', {})];
    }
  },
};
