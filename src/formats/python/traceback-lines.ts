/**
 * The line-by-line reading of Python tracebacks and printed exceptions: which part of a record
 * a line is (logged message, `File "..."` frames, the exception and its continuation lines, a
 * chained traceback) and whether the record goes on. Shared by every format whose records may
 * carry a traceback: `python-traceback`, `python-logging`, `app-log`, `dbt-text`, and the JSON
 * readers' `exc_info` fields. `traceback-fields.ts` turns the lines of a record into fields.
 */
import type { Continuation, RecordState } from '../types.js';
import { isCodedClassName } from '../common/client-sqlstate.js';
export const TB_HEAD = /^(?: {0,4}|[A-Za-z_][\w.]*: )Traceback \(most recent call last\):\s*$/;
export const CHAIN_SEP =
  /^(?:The above exception was the direct cause of the following exception:|During handling of the above exception, another exception occurred:)\s*$/;
const FILE_FRAME = /^ {2}File "[^"]*", line \d+/;
const EXC_LINE =
  /^(?!(?:java|javax|jdk|sun|org|com|net|kotlin|scala|System|Microsoft|Npgsql)\.)((?:[A-Za-z_]\w*\.)*)([A-Za-z_]\w*): /;
const EXC_SUFFIX = /(?:Error|Exception|Warning|Exit|Interrupt|Timeout)$/;
const GENERIC_NAMES = new Set(['Error', 'Exception', 'Warning']);
export const SQL_OPEN = '[SQL: ';
const PARAMS = /^\[(?:parameters: |SQL parameters hidden due to hide_parameters=True\])/;
export const BACKGROUND = /^\(Background on this (?:error|warning) at: https?:\/\/sqlalche\.me\/e\/(?:(\d+)\/)?(\w+)\)/;

/** Which part of a Python record the state machine is in. */
export type PyPhase = 'log' | 'frames' | 'exc' | 'chain';

/** What one line is, as seen by the state machine. */
export type PyRole =
  | 'log' | 'tb' | 'frame' | 'header' | 'cont' | 'blank' | 'sql' | 'params' | 'background' | 'chain' | 'end';

export interface PyState extends RecordState {
  phase: PyPhase;
  /** A blank line was seen since the current exception header. */
  blank: boolean;
  /** `[SQL: ...]`/`[parameters: ...]` seen for the current exception. */
  parts: boolean;
  /** Inside a multi-line `[SQL: ...]`. */
  sqlOpen: boolean;
  /** Non-indented continuation lines seen after the current header. */
  loose: number;
}

export function newPyState(phase: PyPhase): PyState {
  return { phase, blank: false, parts: false, sqlOpen: false, loose: 0 };
}

/** Is `line` a printed exception header (`module.Class: message`) worth starting a record on? */
export function isExceptionLine(line: string): boolean {
  const c = line.charCodeAt(0);
  // letters or underscore only: cheap rejection before the regex
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  const m = EXC_LINE.exec(line);
  if (!m) return false;
  const name = m[2];
  if (EXC_SUFFIX.test(name)) return m[1] !== '' || !GENERIC_NAMES.has(name);
  return isCodedClassName(name);
}

/** `package.Class: message` or a bare `Class`, as Python prints the exception after the frames. */
const EXCEPTION_SHAPE = /^[A-Za-z_][\w.]*(?::|$)/;

/** Classifies the first line of a traceback-format record, or undefined if it is not one. */
export function pyStartPhase(line: string): { phase: PyPhase; role: PyRole } | undefined {
  const c = line.charCodeAt(0);
  if (TB_HEAD.test(line)) return { phase: 'frames', role: 'tb' };
  if (c === 32) {
    if (FILE_FRAME.test(line)) return { phase: 'frames', role: 'frame' };
  }
  if ((c === 84 || c === 68) /* T, D */ && CHAIN_SEP.test(line)) return { phase: 'chain', role: 'chain' };
  if (isExceptionLine(line)) return { phase: 'exc', role: 'header' };
  return undefined;
}

function resetException(st: PyState): void {
  st.phase = 'exc';
  st.blank = false;
  st.parts = false;
  st.sqlOpen = false;
  st.loose = 0;
}

/**
 * Advances the state machine over one line that follows the record's first line.
 * Mutates `st` and says whether the line belongs to the record and what it is.
 */
export function pyStep(st: PyState, line: string): { cont: Continuation; role: PyRole } {
  if (st.complete) return { cont: 'no', role: 'end' };
  if (st.sqlOpen) {
    if (line.trimEnd().endsWith(']')) st.sqlOpen = false;
    // 'may': an unclosed `[SQL:` must not swallow the next log or server record.
    return { cont: 'may', role: 'sql' };
  }
  const c0 = line.charCodeAt(0);
  const indented = c0 === 32 || c0 === 9;
  const blank = line.trim() === '';
  switch (st.phase) {
    case 'frames':
      if (blank) return { cont: 'may', role: 'blank' };
      if (indented) {
        if (TB_HEAD.test(line)) return { cont: 'must', role: 'tb' };
        return { cont: 'must', role: 'frame' };
      }
      if (TB_HEAD.test(line)) return { cont: 'no', role: 'end' };
      resetException(st);
      // Only an exception-shaped line is surely the end of the traceback; anything else may be
      // another format's record (a server line after a truncated traceback).
      return { cont: EXCEPTION_SHAPE.test(line) ? 'must' : 'may', role: 'header' };
    case 'chain':
      if (blank) return { cont: 'must', role: 'blank' };
      if (TB_HEAD.test(line)) {
        st.phase = 'frames';
        return { cont: 'must', role: 'tb' };
      }
      if (FILE_FRAME.test(line)) {
        st.phase = 'frames';
        return { cont: 'must', role: 'frame' };
      }
      return { cont: 'no', role: 'end' };
    case 'exc':
    case 'log':
      return messageLine(st, line, blank, indented, c0);
    default:
      return { cont: 'no', role: 'end' };
  }
}

function messageLine(
  st: PyState, line: string, blank: boolean, indented: boolean, c0: number,
): { cont: Continuation; role: PyRole } {
  const isLog = st.phase === 'log';
  if (blank) {
    st.blank = true;
    return { cont: 'may', role: 'blank' };
  }
  if (TB_HEAD.test(line)) {
    if (!isLog) return { cont: 'no', role: 'end' };
    st.phase = 'frames';
    return { cont: 'must', role: 'tb' };
  }
  if (!isLog && (c0 === 84 || c0 === 68) && CHAIN_SEP.test(line)) {
    st.phase = 'chain';
    return { cont: 'must', role: 'chain' };
  }
  if (c0 === 91 /* [ */) {
    if (line.startsWith(SQL_OPEN)) {
      st.parts = true;
      if (!line.trimEnd().endsWith(']')) st.sqlOpen = true;
      return { cont: 'must', role: 'sql' };
    }
    if (PARAMS.test(line)) {
      st.parts = true;
      return { cont: 'must', role: 'params' };
    }
  }
  if (c0 === 40 /* ( */ && BACKGROUND.test(line)) {
    st.complete = true;
    return { cont: 'must', role: 'background' };
  }
  if (indented) {
    // libpq continuation lines are TAB-indented; dbt/other wrappers indent with spaces.
    if (isLog && c0 === 32) return { cont: 'may', role: 'cont' };
    return { cont: 'must', role: 'cont' };
  }
  if (isLog) return { cont: 'may', role: 'cont' };
  // A driver line right after the header (e.g. `server closed the connection unexpectedly`
  // after a server FATAL text) belongs to the message; after a blank line or the SQL it does not.
  st.loose++;
  if (!st.blank && !st.parts && st.loose <= 8) return { cont: 'may', role: 'cont' };
  return { cont: 'no', role: 'end' };
}

