import type { LogEvent, RawRecord } from '../events.js';

/**
 * Prose is not a log record. A web page, a runbook or a ticket that explains SQLSTATE 08003
 * ("SQLSTATE 08003 means the connection ... has already been closed") uses the family's wording
 * in sentences; read as records, every such paragraph became a false incident. Pasted log lines
 * in the same document must still be found, so the test is on the record's own shape, not on
 * the document:
 *
 * - no log structure: the format found no time, level, logger, severity or exception class;
 * - it starts with a plain word (not a class name, a timestamp, a bracket or a `Name-1` pool id);
 * - it is mostly plain words (twelve or more, at least three quarters of its tokens), with at most
 *   two code-like tokens once inline code spans and quoted strings are set aside;
 * - it is written to be read: two sentences or more, or a question.
 *
 * Log messages are terse single statements: libpq's "server closed the connection unexpectedly"
 * and Windows' one-sentence socket texts never pass, while an explaining paragraph or FAQ heading
 * always does. A prose record is counted (`stats.recordsProse`) and gives no event.
 *
 * A heading (`SQLSTATE 08003: connection does not exist` above the paragraph that explains it)
 * is no sentence, so it is told by its place instead: see `isHeadingText`.
 */
export function isProse(record: RawRecord, events: readonly LogEvent[]): boolean {
  if (hasLogStructure(events)) return false;
  if (record.lines.length > 40) return false;
  // Indented lines are stack frames or a message's continuation, never a paragraph's.
  if (record.lines.slice(1).some((l) => /^\s/.test(l))) return false;
  return isProseText(record.lines.join(' '));
}

const LIST_MARKER = /^\s*(?:[-*•·]|\d{1,2}[.)])\s+/;
const LEVEL_TAG = /^(?:DEBUG\d?|INFO|NOTICE|WARNING|WARN|ERROR|FATAL|PANIC|LOG|DETAIL|HINT|CONTEXT|STATEMENT|CRITICAL|SEVERE|TRACE)\b/;
const PLAIN_FIRST = /^[("'“‘]?[A-Za-z0-9][A-Za-z0-9'’]*[,;:.!?)"”’]*$/;
const PLAIN_WORD = /^[("'“‘]?[A-Za-z][A-Za-z'’-]*[,;:.!?)"”’]*$/;
const CODE_LIKE = /[=_@\\{}<>]|::|[A-Za-z]\.[A-Za-z]|[A-Za-z]\/[A-Za-z]|^\w+\(/;
/** The end of a sentence: a word, number or closing bracket, then . ! or ?, then a new sentence or the end. */
const SENTENCE_END = /[A-Za-z0-9)'"’”][.!?](?=\s+[A-Z("'“]|\s*$)/g;

export function isProseText(text: string): boolean {
  // Inline code and quoted strings are what prose quotes; they stand as one word each.
  const body = text
    .replace(LIST_MARKER, '')
    .replace(/`[^`]*`/g, 'code')
    .replace(/'[^'\n]{1,200}'(?=[\s,.;:!?)]|$)/g, 'quoted')
    .replace(/"[^"\n]{1,200}"/g, 'quoted')
    .trim();
  if (LEVEL_TAG.test(body)) return false;
  const tokens = body.split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length === 0 || !PLAIN_FIRST.test(tokens[0])) return false;
  let words = 0;
  let code = 0;
  for (const t of tokens) {
    if (PLAIN_WORD.test(t)) words++;
    else if (CODE_LIKE.test(t)) code++;
  }
  if (words < 12 || words < tokens.length * 0.75 || code > 2) return false;
  const sentences = body.match(SENTENCE_END)?.length ?? 0;
  return sentences >= 2 || /\?\s*$/.test(body);
}

/** Did the format find any log structure: a time, a level, a logger, a severity, an exception class or a driver? */
export function hasLogStructure(events: readonly LogEvent[]): boolean {
  for (const e of events) {
    const f = e.fields;
    if (e.ts !== undefined || e.level || f.logger || f.severity || f.exception || f.driver || f.timeOfDay) return true;
  }
  return false;
}

/**
 * A heading titles the paragraph under it: a short line of its own (blank lines around it, the
 * assembler checks) that is no sentence — at most ten words, no sentence end before its last
 * word — and opens with a word. Whether it is one is decided by what follows: only a line
 * directly followed by a paragraph of prose is read as its heading (`assembler.ts`), so a
 * pasted error line followed by more log lines, or by a one-line remark, stays a record.
 */
export function isHeadingText(text: string): boolean {
  const t = text.trim();
  if (t.length === 0 || t.length > 120 || LEVEL_TAG.test(t)) return false;
  const tokens = t.split(/\s+/);
  if (tokens.length > 10 || !/^[A-Za-z]/.test(tokens[0])) return false;
  return !/[.!?]\s+\S/.test(t);
}
