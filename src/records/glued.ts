/**
 * Records glued onto one line, as a web page or a chat client shows a log whose line breaks were
 * lost: `...(Background on this error at: https://sqlalche.me/e/14/e3q8)ERROR 1 of 1 in model`.
 * A line is cut before a known record start that sits directly against the previous text (no
 * blank in between), so prose that merely mentions such words is left whole.
 *
 * The starts are the first words of records the formats open on and that never occur inside a
 * message glued to the previous word: Python's traceback header, SQLAlchemy/psycopg exception
 * lines, dbt's node error header, ADF's activity failure line, an ISO-dated header.
 */
const WORDS = [
  String.raw`Traceback \(most recent call last\):`,
  String.raw`(?:sqlalchemy\.exc|psycopg2?|asyncpg\.exceptions)\.[A-Z]\w*(?:Error|Exception): `,
  String.raw`ERROR \d+ of \d+ in (?:model|test|seed|snapshot) `,
  String.raw`(?:Activity|Pipeline)(?: run)? failed: `,
];
const DATED = String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}[.,]\d{3}`;

/**
 * A start glued to the end of a sentence, a word or a closing bracket. Blanks, quotes, opening
 * brackets, separators (`,` `=` `:` `/`) and, before a date, digits mean the text is one record.
 */
const GLUED = new RegExp(`(?<=[A-Za-z0-9)\\].;!?])(?:${WORDS.join('|')})|(?<=[A-Za-z)\\].;!?])${DATED}`, 'g');

/** Cheap test before the regex: every start but the dated one contains one of these. */
const HINTS = ['Traceback', 'Error', 'Exception', ' of ', 'failed: '];

const isDigit = (c: number) => c >= 48 && c <= 57;
/** `(?<=[A-Za-z)\].;!?])`: what may stand right before a glued date. */
const glueBefore = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 41 || c === 93 || c === 46 || c === 59 || c === 33 || c === 63;

/**
 * Whether `line` may hold a date glued to the text before it: a `dddd-dd-dd` after a letter or
 * closing punctuation. Almost every line has a colon, so the regex's date branch would otherwise
 * run on every line; the dashes of a date are rarer and checked by hand.
 */
function mayHoldGluedDate(line: string): boolean {
  for (let i = line.indexOf('-', 5); i !== -1 && i + 5 < line.length; i = line.indexOf('-', i + 1)) {
    if (line.charCodeAt(i + 3) !== 45 || !isDigit(line.charCodeAt(i + 1)) || !isDigit(line.charCodeAt(i + 2))) continue;
    if (isDigit(line.charCodeAt(i - 1)) && isDigit(line.charCodeAt(i - 2)) && isDigit(line.charCodeAt(i - 3)) && isDigit(line.charCodeAt(i - 4)) && glueBefore(line.charCodeAt(i - 5))) return true;
  }
  return false;
}

/** The line cut at glued record starts, or undefined when nothing is glued (the usual case). */
export function splitGlued(line: string): string[] | undefined {
  if (line.length < 20) return undefined;
  const c = line.charCodeAt(0);
  // JSON keeps its strings.
  if (c === 123 || c === 91) return undefined;
  if (!HINTS.some((h) => line.includes(h)) && !mayHoldGluedDate(line)) return undefined;
  return cutByPattern(line);
}

/** The cuts the pattern finds, with no cheap test before it (exported so tests compare the two). */
export function cutByPattern(line: string): string[] | undefined {
  GLUED.lastIndex = 0;
  const cuts: number[] = [];
  let m: RegExpExecArray | null;
  while ((m = GLUED.exec(line)) !== null) {
    cuts.push(m.index);
    if (cuts.length > 32) break;
  }
  if (cuts.length === 0) return undefined;
  const parts: string[] = [];
  let from = 0;
  for (const at of cuts) {
    parts.push(line.slice(from, at));
    from = at;
  }
  parts.push(line.slice(from));
  return parts;
}
