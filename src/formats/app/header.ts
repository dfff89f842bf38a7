/**
 * Reading the header of an application log line whose layout pgtriage was never told about.
 *
 * Instead of a list of whole-line layouts, a header is read as a sequence of small fields: an
 * optional short lead (a bracket, a level word, a pid), a timestamp in one of the styles loggers
 * print, then up to a few structural fields (level, logger with an optional line number,
 * thread in brackets, pid) separated by whatever the layout uses (`|`, ` - `, `:`, blanks). What
 * is left is the message. A source's own lines decide which of these it uses (see `app-log.ts`).
 */
import { parseTimestamp, type ParsedTime } from '../common/timestamp.js';

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
/** Zone names a logger prints after the time; a closed set so a level word is never read as a zone. */
const ZONE = String.raw`(?: ?(Z|[+-]\d{2}:?\d{2}|UTC|GMT|CET|CEST|EET|EEST|WET|WEST|BST|IST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|JST|KST|AEST|AEDT|MSK)(?![A-Za-z]))?`;
const FRAC = String.raw`(?:[.,](\d{1,9}))?`;

/** One timestamp style: how it is found at a position and how it becomes a time. */
interface TimeStyle {
  id: string;
  re: RegExp;
  read(m: RegExpExecArray): { time?: ParsedTime; timeOfDay?: string };
}

function isoText(y: string, mo: number | string, d: string, hms: string, frac?: string, zone?: string): string {
  const month = String(mo).padStart(2, '0');
  return `${y}-${month}-${d.padStart(2, '0')} ${hms}${frac ? '.' + frac : ''}${zone ? ' ' + zone : ''}`;
}

/** Sticky regexes, tried at the position where a timestamp may begin. */
const STYLES: TimeStyle[] = [
  {
    id: 'iso',
    re: new RegExp(String.raw`(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2}:\d{2})${FRAC}${ZONE}`, 'y'),
    read: (m) => ({ time: parseTimestamp(isoText(m[1], m[2], m[3], m[4], m[5], m[6])) }),
  },
  {
    id: 'slash',
    re: new RegExp(String.raw`(\d{4})/(\d{2})/(\d{2})[T ](\d{2}:\d{2}:\d{2})${FRAC}${ZONE}`, 'y'),
    read: (m) => ({ time: parseTimestamp(isoText(m[1], m[2], m[3], m[4], m[5], m[6])) }),
  },
  {
    // Apache/CLF: 02/Mar/2025:04:17:39 +0000
    id: 'clf',
    re: new RegExp(String.raw`(\d{2})/${MON}/(\d{4}):(\d{2}:\d{2}:\d{2})${FRAC}(?: ([+-]\d{4}))?`, 'y'),
    read: (m) => ({ time: parseTimestamp(isoText(m[3], MONTHS[m[2].toLowerCase()], m[1], m[4], m[5], m[6])) }),
  },
  {
    // Tomcat/JUL: 02-Mar-2025 04:17:39.120
    id: 'dmy-mon',
    re: new RegExp(String.raw`(\d{2})-${MON}-(\d{4}) (\d{2}:\d{2}:\d{2})${FRAC}${ZONE}`, 'y'),
    read: (m) => ({ time: parseTimestamp(isoText(m[3], MONTHS[m[2].toLowerCase()], m[1], m[4], m[5], m[6])) }),
  },
  {
    // European day-first: 02.03.2025 04:17:39
    id: 'dmy-dot',
    re: new RegExp(String.raw`(\d{2})\.(\d{2})\.(\d{4}) (\d{2}:\d{2}:\d{2})${FRAC}${ZONE}`, 'y'),
    read: (m) => ({ time: parseTimestamp(isoText(m[3], m[2], m[1], m[4], m[5], m[6])) }),
  },
  {
    // syslog-style without a year: Mar  2 04:17:39 — a header, but the date is unknown.
    id: 'mon-day',
    re: new RegExp(String.raw`${MON} +(\d{1,2}) (\d{2}:\d{2}:\d{2})${FRAC}`, 'y'),
    read: () => ({}),
  },
  {
    // Time of day with fractions (logback's %d{HH:mm:ss.SSS}); dated later from the source.
    id: 'time',
    re: /(\d{2}:\d{2}:\d{2})[.,](\d{3,9})(?![\d:])/y,
    read: (m) => ({ timeOfDay: `${m[1]}.${m[2]}` }),
  },
];

const LEVEL_WORDS: Record<string, string> = {
  TRACE: 'debug', TRC: 'debug', DEBUG: 'debug', DBG: 'debug', VERBOSE: 'debug', VRB: 'debug', FINE: 'debug', FINER: 'debug', FINEST: 'debug',
  INFO: 'info', INF: 'info', INFORMATION: 'info', NOTICE: 'info', CONFIG: 'info',
  WARN: 'warning', WARNING: 'warning', WRN: 'warning',
  ERROR: 'error', ERR: 'error', EROR: 'error', SEVERE: 'error', EXCEPTION: 'error',
  CRITICAL: 'fatal', CRIT: 'fatal', CRT: 'fatal', FATAL: 'fatal', FTL: 'fatal', EMERG: 'fatal', ALERT: 'fatal',
  PANIC: 'panic',
};

/** The normalized level of a printed level word (any case), or undefined. */
export function levelOf(word: string): string | undefined {
  if (word.length < 3 || word.length > 11) return undefined;
  return LEVEL_WORDS[word.toUpperCase()];
}

export interface Header {
  /** Which timestamp style the line uses, and the shape of the fields around it. */
  style: string;
  shape: string;
  time?: ParsedTime;
  timeOfDay?: string;
  level?: string;
  levelText?: string;
  logger?: string;
  thread?: string;
  pid?: number;
  message: string;
  /** Characters of the line taken by the header (the message starts here). */
  length: number;
}

/** Leads a header may start with before its timestamp: `[`, `<14>`, a level word, a pid. */
const LEAD = /(?:\[|<\d{1,3}>|[DIWEF], \[|(?:[A-Za-z]{3,11}:?|\d{1,7}|\[[^\]\s]{1,40}\])(?:[ \t]+[|-])?[ \t]+)/y;
const BRACKET = /[[({]([^\])}\n]{0,80})[\])}]/y;
const WORD = /[A-Za-z_$][\w$.\-/]*(?::\d+)?|\d{1,7}/y;
const SEP = /[ \t]*(?:\|[ \t]*|-[ \t]+|:[ \t]+|,[ \t]*|\]|[ \t]+)/y;

function at(re: RegExp, line: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(line);
}

/** The timestamp at `pos`, in whichever style matches. */
function timeAt(line: string, pos: number): { style: TimeStyle; m: RegExpExecArray } | undefined {
  const c = line.charCodeAt(pos);
  const digit = c >= 48 && c <= 57;
  for (const style of STYLES) {
    if (style.id === 'mon-day' ? digit : !digit) continue;
    const m = at(style.re, line, pos);
    if (m) return { style, m };
  }
  return undefined;
}

/**
 * Reads a header at the start of `line`; undefined when the line does not start like one.
 * The lead before the timestamp is at most two short tokens, so a message that merely contains
 * a date is not a header.
 */
export function readHeader(line: string): Header | undefined {
  const c0 = line.charCodeAt(0);
  if (line.length < 8 || c0 === 32 || c0 === 9) return undefined;
  let pos = 0;
  let shape = '';
  let found = timeAt(line, 0);
  const lead: string[] = [];
  for (let i = 0; !found && i < 2; i++) {
    const m = at(LEAD, line, pos);
    // A lead word must be a level (`ERROR 2025-...`): an ordinary word means prose that mentions a date.
    const token = m?.[0].trim().replace(/\s*[|-]$/, '').replace(/:$/, '');
    if (!m || token === undefined) return undefined;
    const next = pos + m[0].length;
    found = timeAt(line, next);
    // Go's log package prints its prefix (log.New's first argument, any word) right before its
    // yyyy/mm/dd date, the one layout that leads with a free word; before other dates it is prose.
    const goPrefix = i === 0 && found?.style.id === 'slash' && /^[A-Za-z][\w.-]{0,31}$/.test(token);
    if (/^[A-Za-z]{3,}/.test(token) && !levelOf(token) && !goPrefix) return undefined;
    lead.push(token);
    pos = next;
  }
  if (!found) return undefined;
  const header: Header = { style: found.style.id, shape: '', message: '', length: 0 };
  Object.assign(header, found.style.read(found.m));
  for (const token of lead) takeField(header, token.replace(/^\[|\]$/g, ''), token.startsWith('['));
  shape = lead.map((t) => (t.startsWith('[') ? 'b' : levelOf(t) ? 'L' : /^\d/.test(t) ? 'n' : 'w')).join('') + 'T';
  pos += found.m[0].length;
  if (line.charCodeAt(pos) === 93 /* ] */) pos++;
  // Structural fields after the time: at most five, each a level, a bracketed group, or a
  // word followed by a separator that marks it as a field (not the start of the message).
  let messageStart = pos;
  for (let n = 0; n < 5; n++) {
    const sep = at(SEP, line, pos);
    const p = sep ? pos + sep[0].length : pos;
    if (p >= line.length) break;
    const ch = line.charCodeAt(p);
    if (ch === 91 || ch === 40 || ch === 123) {
      const b = at(BRACKET, line, p);
      if (!b) break;
      takeField(header, b[1].trim(), true);
      shape += 'b';
      pos = p + b[0].length;
      messageStart = pos;
      continue;
    }
    const w = at(WORD, line, p);
    if (!w) break;
    const word = w[0];
    const after = p + word.length;
    const level = header.level === undefined ? levelOf(word.replace(/:$/, '')) : undefined;
    const next = at(SEP, line, after);
    const nextSep = next ? next[0].trim() : '';
    if (level && (nextSep !== '' || line.charCodeAt(after) === 32 || after === line.length)) {
      header.level = level;
      header.levelText = word;
      shape += 'L';
    } else if (/^\d+$/.test(word) && header.pid === undefined && nextSep !== '' && nextSep !== ',') {
      header.pid = Number(word);
      shape += 'n';
    } else if (header.logger === undefined && (nextSep === '|' || nextSep === '-' || nextSep === ':' || (/[.:/$]/.test(word) && nextSep !== ','))) {
      header.logger = word;
      shape += 'g';
    } else {
      break;
    }
    pos = after;
    messageStart = next ? after + next[0].length : after;
    if (nextSep === ':' && header.level !== undefined) break; // `LEVEL logger: message`
  }
  header.shape = shape;
  header.length = Math.min(messageStart, line.length);
  header.message = line.slice(header.length).replace(/^[\s|:-]+/, '').trim();
  return header;
}

function takeField(header: Header, text: string, bracketed: boolean): void {
  if (!text) return;
  const level = levelOf(text.split(/[\s/:]/)[0]);
  if (level && header.level === undefined) {
    header.level = level;
    header.levelText = text.split(/[\s/:]/)[0];
    return;
  }
  if (/^\d{1,7}$/.test(text) && header.pid === undefined) {
    header.pid = Number(text);
    return;
  }
  if (bracketed && header.thread === undefined) header.thread = text;
  else if (header.logger === undefined && !/^<\d+>$/.test(text)) header.logger = text;
}
