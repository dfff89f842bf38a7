/**
 * Reading Azure Data Factory / Synapse error messages, shared by the JSON and text ADF formats.
 * The message may wrap the database text several times:
 *
 *   Operation on target CopyData failed: Failure happened on 'Source' side.
 *   ErrorCode=UserErrorOdbcOperationFailed,'Type=...,Message=ERROR [08S01] The connection has
 *   been lost,Source=...,''Type=System.Data.Odbc.OdbcException,Message=...,Source=...,'
 *
 * The innermost database text (ODBC `ERROR [SQLSTATE] text`, Npgsql `SQLSTATE: text`) becomes
 * the message; every SQLSTATE printed goes to `sqlstates`.
 */
import { codesInText, isSqlstate } from '../common/client-sqlstate.js';

const OPERATION_PREFIX = /^\s*Operation on target (.+?) failed: /;
const INNER_CODE = /\bErrorCode=([A-Za-z]\w*)/;
const ODBC_TEXT = /\b(?:ERROR|Error) \[([0-9A-Z]{5})\]\s*((?:\[[^\]\n]*\]\s*)*)([^\n]*)/g;
const NPGSQL_TEXT = /(?:^|[\s'"=,>(])([0-9A-Z]{5}): ([^\n]+)/g;
const MESSAGE_PART = /Message=([^\n]*?)(?=,Source=|,''?Type=|$)/g;
const SIDE = /Failure happened on '(\w+)' side/;
/** Where a quoted inner text ends inside the composite copy message. */
const TEXT_END = /,Source=|,''?Type=|',/;

export interface AdfMessageInfo {
  message?: string;
  detail?: string;
  sqlstates: string[];
  /** Innermost `Operation on target X failed:` activity. */
  target?: string;
  /** Connector code inside the composite message, e.g. `UserErrorOdbcOperationFailed`. */
  innerErrorCode?: string;
  /** `Source` or `Sink` for copy failures. */
  side?: string;
}

function cut(text: string): string {
  const m = TEXT_END.exec(text);
  const s = m ? text.slice(0, m.index) : text;
  return s.replace(/[\s;,'"]+$/, '').trim();
}

function lastMatch(re: RegExp, text: string, accept: (m: RegExpExecArray) => boolean): RegExpExecArray | undefined {
  re.lastIndex = 0;
  let last: RegExpExecArray | undefined;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (accept(m)) last = m;
    if (m[0].length === 0) re.lastIndex++;
  }
  return last;
}

export function readAdfMessage(raw: string | undefined): AdfMessageInfo {
  const info: AdfMessageInfo = { sqlstates: [] };
  if (!raw) return info;
  let text = raw.length > 100_000 ? raw.slice(0, 100_000) : raw;
  let m: RegExpExecArray | null;
  while ((m = OPERATION_PREFIX.exec(text)) !== null) {
    info.target = m[1];
    text = text.slice(m[0].length);
  }
  const inner = INNER_CODE.exec(text);
  if (inner) info.innerErrorCode = inner[1];
  const side = SIDE.exec(text);
  if (side) info.side = side[1];
  codesInText(text, info.sqlstates);

  const odbc = lastMatch(ODBC_TEXT, text, (x) => isSqlstate(x[1]) && x[3].trim() !== '');
  const npg = odbc ? undefined : lastMatch(NPGSQL_TEXT, text, (x) => isSqlstate(x[1]));
  const part = odbc || npg ? undefined : lastMatch(MESSAGE_PART, text, (x) => x[1].trim() !== '');
  let message: string | undefined;
  if (odbc) message = cut(odbc[3]);
  else if (npg) message = cut(npg[2]);
  else if (part) message = cut(part[1]);
  if (!message) message = text.split('\n')[0].trim();
  if (message) info.message = message;
  const whole = raw.trim();
  if (whole && whole !== message) info.detail = whole;
  return info;
}

/** Reads ADF durations: `00:02:14`, `1.02:03:04`, `134s`, `1500ms`, or milliseconds as a number. */
export function readDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const t = text.trim();
  let m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(t);
  if (m) {
    const frac = m[5] ? Number(`0.${m[5]}`) : 0;
    return Math.round(((Number(m[1] ?? 0) * 24 + Number(m[2])) * 3600 + Number(m[3]) * 60 + Number(m[4]) + frac) * 1000);
  }
  m = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|seconds|m|min|minutes)$/i.exec(t);
  if (m) {
    const v = Number(m[1]);
    const unit = m[2].toLowerCase();
    if (unit === 'ms') return Math.round(v);
    if (unit.startsWith('m')) return Math.round(v * 60_000);
    return Math.round(v * 1000);
  }
  return undefined;
}
