/**
 * Python tracebacks and printed exceptions (format `python-traceback`).
 *
 * A record is a `Traceback (most recent call last):` block (chained tracebacks included), a
 * bare exception line such as `sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) ...`
 * with its continuation lines, or a traceback fragment that starts at a `  File "..."` frame.
 *
 * The line-by-line state machine (`pyStep`) is shared with `python-logging`, whose records may
 * carry a traceback after the logged line; `pyExtract` turns the lines into fields.
 */
import type { EventFields, LogEvent, RawRecord } from '../../events.js';
import type { Continuation, FormatParser, RecordState } from '../types.js';
import { parseExceptionHeader } from './python-exception-grammar.js';
import { codeForClass, codesFromClassNames, codesInText, isCodedClassName } from '../common/client-sqlstate.js';
import { addCodes, lastNonBlank, makeEvent } from '../common/client-util.js';

export const TB_HEAD = /^(?: {0,4}|[A-Za-z_][\w.]*: )Traceback \(most recent call last\):\s*$/;
export const CHAIN_SEP =
  /^(?:The above exception was the direct cause of the following exception:|During handling of the above exception, another exception occurred:)\s*$/;
const FILE_FRAME = /^ {2}File "[^"]*", line \d+/;
const EXC_LINE =
  /^(?!(?:java|javax|jdk|sun|org|com|net|kotlin|scala|System|Microsoft|Npgsql)\.)((?:[A-Za-z_]\w*\.)*)([A-Za-z_]\w*): /;
const EXC_SUFFIX = /(?:Error|Exception|Warning|Exit|Interrupt|Timeout)$/;
const GENERIC_NAMES = new Set(['Error', 'Exception', 'Warning']);
const SQL_OPEN = '[SQL: ';
const PARAMS = /^\[(?:parameters: |SQL parameters hidden due to hide_parameters=True\])/;
const BACKGROUND = /^\(Background on this (?:error|warning) at: https?:\/\/sqlalche\.me\/e\/(?:(\d+)\/)?(\w+)\)/;

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

/** Fields of one printed exception inside a record. */
export interface ExceptionInfo {
  exception?: string;
  driver?: string;
  message?: string;
  detail?: string;
  sql?: string;
  parameters?: string;
  backgroundCode?: string;
  sqlstates: string[];
}

interface Block {
  header?: number;
  headerText?: string;
  cont: number[];
  sql: number[];
  params?: number;
  background?: number;
}

/**
 * Replays the state machine over `lines` (first line already classified as `first`) and
 * collects each printed exception. For a logging record the first block's header is the log
 * message itself (`logMessage`).
 */
export function pyExtract(
  lines: readonly string[],
  first: { phase: PyPhase; role: PyRole },
  logMessage?: string,
): { exceptions: ExceptionInfo[]; logBlock?: ExceptionInfo } {
  const st = newPyState(first.phase);
  const blocks: Block[] = [];
  let cur: Block | undefined;
  let logBlock: Block | undefined;
  if (first.role === 'header') {
    cur = { header: 0, cont: [], sql: [] };
    blocks.push(cur);
  } else if (first.phase === 'log') {
    logBlock = { headerText: logMessage ?? '', cont: [], sql: [] };
    cur = logBlock;
  }
  for (let i = 1; i < lines.length; i++) {
    const { role } = pyStep(st, lines[i]);
    switch (role) {
      case 'header':
        cur = { header: i, cont: [], sql: [] };
        blocks.push(cur);
        break;
      case 'cont':
        cur?.cont.push(i);
        break;
      case 'sql':
        cur?.sql.push(i);
        break;
      case 'params':
        if (cur) cur.params = i;
        break;
      case 'background':
        if (cur) cur.background = i;
        break;
      case 'tb':
      case 'chain':
        cur = undefined;
        break;
      default:
        break;
    }
    if (role === 'end') break;
  }
  return {
    exceptions: blocks.map((b) => blockInfo(lines, b)),
    logBlock: logBlock ? blockInfo(lines, logBlock) : undefined,
  };
}

function blockInfo(lines: readonly string[], b: Block): ExceptionInfo {
  const info: ExceptionInfo = { sqlstates: [] };
  const headerText = b.header !== undefined ? lines[b.header].trim() : (b.headerText ?? '').trim();
  let message = headerText;
  if (b.header !== undefined) {
    const parsed = parseExceptionHeader(headerText);
    if (parsed.ok) {
      info.exception = parsed.value.exception;
      info.driver = parsed.value.reprClass ?? parsed.value.wrapped;
      message = parsed.value.message;
      addCodes(info.sqlstates, [parsed.value.exception, parsed.value.wrapped, parsed.value.reprClass]
        .map(codeForClass).filter((c): c is string => c !== undefined));
    }
  } else {
    // A logged message may embed a wrapped driver error: `... (psycopg2.OperationalError) text`.
    const m = /\(((?:[A-Za-z_]\w*\.)+[A-Za-z_]\w*)\) /.exec(headerText);
    if (m) info.driver = m[1];
  }
  const cont = b.cont.map((i) => lines[i].trim()).filter((s) => s.length > 0);
  if (!message && cont.length > 0) message = cont.shift() ?? '';
  if (message) info.message = message;
  if (cont.length > 0) info.detail = cont.join('\n');
  if (b.sql.length > 0) {
    let sql = b.sql.map((i) => lines[i]).join('\n').trim();
    if (sql.startsWith(SQL_OPEN)) sql = sql.slice(SQL_OPEN.length);
    if (sql.endsWith(']')) sql = sql.slice(0, -1);
    info.sql = sql.trim();
  }
  if (b.params !== undefined) {
    const p = lines[b.params].trim();
    info.parameters = p.startsWith('[parameters: ') ? p.slice('[parameters: '.length, p.endsWith(']') ? -1 : undefined) : p.slice(1, -1);
  }
  if (b.background !== undefined) {
    const m = BACKGROUND.exec(lines[b.background].trim());
    if (m) info.backgroundCode = m[2];
  }
  const text = [headerText, ...cont].join('\n');
  codesFromClassNames(text, info.sqlstates);
  codesInText(text, info.sqlstates);
  return info;
}

/** Merges a chain of exceptions: the last one printed is the main one; codes are pooled. */
export function mainException(list: readonly ExceptionInfo[]): EventFields {
  if (list.length === 0) return {};
  const main = list[list.length - 1];
  const fields: EventFields = {
    exception: main.exception,
    driver: main.driver,
    message: main.message,
    detail: main.detail,
    sql: main.sql,
    parameters: main.parameters,
    backgroundCode: main.backgroundCode,
  };
  for (let i = list.length - 2; i >= 0; i--) {
    const e = list[i];
    fields.sql ??= e.sql;
    fields.parameters ??= e.parameters;
    fields.backgroundCode ??= e.backgroundCode;
  }
  const codes: string[] = [...main.sqlstates];
  for (let i = list.length - 2; i >= 0; i--) addCodes(codes, list[i].sqlstates);
  if (codes.length > 0) fields.sqlstates = codes;
  return fields;
}

const DBT_IN_MESSAGE = /\bError in (?:model|test|seed|snapshot|analysis|operation) (\S+) \(([^)]+)\)/;

export const pythonTraceback: FormatParser = {
  id: 'python-traceback',
  origin: 'client',
  describe: 'Python tracebacks (chained too) and printed exceptions such as SQLAlchemy/psycopg/asyncpg errors with [SQL: ...] and background links',
  start(line: string): RecordState | undefined {
    const first = pyStartPhase(line);
    if (!first) return undefined;
    return newPyState(first.phase);
  },
  continues(state: RecordState, line: string): Continuation {
    return pyStep(state as PyState, line).cont;
  },
  parse(record: RawRecord): LogEvent[] {
    try {
      const lines = record.lines;
      if (lines.length === 0) return [];
      const first = pyStartPhase(lines[0]) ?? { phase: 'exc' as const, role: 'header' as const };
      const { exceptions } = pyExtract(lines, first);
      const fields = mainException(exceptions);
      if (fields.message) {
        const m = DBT_IN_MESSAGE.exec(fields.message);
        if (m) {
          fields.model = m[1];
          fields.modelPath = m[2];
        }
      }
      return [
        makeEvent(record, 'python-traceback', 'client', fields, {
          span: { first: 0, last: lastNonBlank(lines) },
          level: 'error',
        }),
      ];
    } catch {
      return [];
    }
  },
};
