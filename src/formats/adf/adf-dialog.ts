/**
 * The error dialog of ADF Studio's monitoring view, copied as text (format `adf-dialog`): a block
 * of labels, each with its value after a colon or on the next line,
 *
 *   Error code            Error code: 2200
 *   2200                  Failure type: User configuration issue
 *   Failure type          Details: Failure happened on 'Source' side. ErrorCode=...
 *   User configuration issue
 *   Details               Pipeline: pl_nightly
 *   Failure happened ...  Activity: CopyOrders
 *
 * One event per block; its message is the inner database text read out of `Details` (the same
 * reading as every other ADF shape), never the dialog itself. A block starts only at an
 * `Error details` heading or an `Error code` label without a pipe (the pipe one-liner is
 * `adf-text`'s); the details may run over several lines and end at the next label or at a line
 * another format claims.
 */
import type { EventFields, LogEvent, RawRecord } from '../../events.js';
import type { Continuation, FormatParser, RecordState } from '../types.js';
import { readAdfMessage } from './adf-message.js';
import { makeEvent } from '../common/client-util.js';

type Slot = 'errorCode' | 'failureType' | 'details' | 'pipeline' | 'activity' | 'sessionId' | 'heading';

/** Dialog labels, lower-cased without spaces; headings and links carry no value. */
const LABELS: Record<string, Slot> = {
  errordetails: 'heading', troubleshootingguide: 'heading', source: 'heading',
  errorcode: 'errorCode',
  failuretype: 'failureType',
  details: 'details', errormessage: 'details', message: 'details',
  pipeline: 'pipeline', pipelinename: 'pipeline',
  activity: 'activity', activityname: 'activity',
  activityid: 'sessionId', activityrunid: 'sessionId', pipelinerunid: 'sessionId', runid: 'sessionId',
};

/** The dialog shows the failure type in words; the records elsewhere carry the enum value. */
const FAILURE_TYPES: Record<string, string> = {
  'user configuration issue': 'UserError',
  'system error': 'SystemError',
};

const LABEL_LINE = /^\s*([A-Za-z][A-Za-z ]{1,30}?)\s*(?::\s*(.*))?$/;
const START = /^\s*(?:Error details|Error code)\s*(?::\s*[^|]*)?$/i;
const MAX_LINES = 80;

function label(line: string): { slot: Slot; value?: string } | undefined {
  if (line.length > 4000) return undefined;
  const got = LABEL_LINE.exec(line);
  if (!got) return undefined;
  const slot = LABELS[got[1].toLowerCase().replace(/\s+/g, '')];
  if (!slot) return undefined;
  const value = got[2]?.trim();
  return { slot, value: value === '' ? undefined : value };
}

interface DialogState extends RecordState {
  /** A label whose value is on the next line. */
  pending?: Slot;
  /** Inside the details text, which may run over lines. */
  inDetails: boolean;
  blanks: number;
}

function step(s: DialogState, line: string): Continuation {
  if (line.trim() === '') {
    s.blanks++;
    return s.blanks <= 2 ? 'may' : 'no';
  }
  s.blanks = 0;
  const l = label(line);
  if (l) {
    s.inDetails = l.slot === 'details';
    s.pending = l.value === undefined && l.slot !== 'heading' ? l.slot : undefined;
    return 'must';
  }
  if (s.pending) {
    s.inDetails = s.pending === 'details';
    s.pending = undefined;
    return 'must';
  }
  // More details text: it belongs unless another format sees a record start in it.
  return s.inDetails ? 'may' : 'no';
}

function readDialog(lines: readonly string[]): { fields: EventFields; details?: string } {
  const values: Partial<Record<Slot, string[]>> = {};
  let current: Slot | undefined;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const l = label(line);
    if (l) {
      current = l.slot === 'heading' ? undefined : l.slot;
      if (current && l.value !== undefined) (values[current] ??= []).push(l.value);
      continue;
    }
    if (current) {
      (values[current] ??= []).push(line.trim());
      if (current !== 'details') current = undefined;
    }
  }
  const one = (slot: Slot) => values[slot]?.[0];
  const failureType = one('failureType');
  return {
    fields: {
      errorCode: one('errorCode'),
      failureType: failureType ? FAILURE_TYPES[failureType.toLowerCase()] ?? failureType : undefined,
      pipeline: one('pipeline'),
      activity: one('activity'),
      sessionId: one('sessionId'),
    },
    details: values.details?.join('\n'),
  };
}

export const adfDialog: FormatParser = {
  id: 'adf-dialog',
  origin: 'orchestrator',
  describe: 'ADF Studio error dialog copied as text: Error code / Failure type / Details / Pipeline / Activity, one label a line',
  start(line: string): RecordState | undefined {
    const c = line.charCodeAt(0);
    if (c !== 69 && c !== 101 && c !== 32) return undefined;
    if (!START.test(line)) return undefined;
    const s: DialogState = { inDetails: false, blanks: 0 };
    step(s, line);
    return s;
  },
  continues(state: RecordState, line: string, lineCount: number): Continuation {
    if (lineCount >= MAX_LINES) return 'no';
    return step(state as DialogState, line);
  },
  parse(record: RawRecord): LogEvent[] {
    const { fields, details } = readDialog(record.lines);
    const msg = readAdfMessage(details);
    fields.activity ??= msg.target;
    fields.errorCode ??= msg.innerErrorCode;
    fields.message = msg.message;
    if (msg.detail && msg.detail !== msg.message) fields.detail = msg.detail;
    if (msg.sqlstates.length > 0) fields.sqlstates = msg.sqlstates;
    const event = makeEvent(record, 'adf-dialog', 'orchestrator', fields, { level: 'error' });
    // Rules read the error text, not the dialog's labels.
    if (details) event.matchText = details;
    return [event];
  },
};
