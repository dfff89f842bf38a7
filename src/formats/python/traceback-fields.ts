/**
 * Fields of a Python record read by `traceback-lines.ts`: each printed exception (class, message,
 * SQLAlchemy's `[SQL: ...]`, background code, SQLSTATEs from class names and text) and, for a
 * chain, the main exception with the codes of all of them pooled.
 */
import type { EventFields } from '../../events.js';
import { parseExceptionHeader } from './python-exception-grammar.js';
import { codeForClass, codesFromClassNames, codesInText } from '../common/client-sqlstate.js';
import { addCodes } from '../common/client-util.js';
import { BACKGROUND, newPyState, pyStep, SQL_OPEN, type PyPhase, type PyRole } from './traceback-lines.js';

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
