/**
 * Terminal safety for everything a reporter quotes from the logs.
 *
 * Log text is hostile input: a line may carry ESC/CSI sequences that clear the screen,
 * retitle the terminal or hide text, a BEL, a CR that overwrites what came before, or
 * bidi overrides that make `file:line` evidence read differently from what it is.
 * Text and markdown output render every such character visibly (`\x1b`, `\r`, `\u202e`);
 * the reporter's own colour codes are added afterwards. JSON output keeps the exact text
 * but escapes the characters JSON.stringify leaves raw (C1, DEL, bidi, line separators).
 */

/**
 * Characters never emitted raw by text/markdown reporters: C0 except TAB and LF, DEL,
 * C1 (including CSI U+009B), ALM U+061C, LRM/RLM U+200E/U+200F, the line/paragraph
 * separators U+2028/U+2029, bidi embeddings/overrides U+202A–U+202E and isolates U+2066–U+2069.
 */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** Same set plus LF and TAB, for one-line contexts (a verdict, a table cell). */
const UNSAFE_ONE_LINE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw but a terminal would still act on. */
const JSON_UNSAFE = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * SGR (colour and style) sequences, `ESC [ params m`: tools such as dbt start every line
 * with `ESC[0m`. Shown visibly they bury the text in `\x1b[0m`; they cannot move the
 * cursor or change anything but colour, so they are removed. Every other sequence (cursor
 * moves, clears, titles, OSC links, the one-byte C1 CSI) stays visible and inert.
 */
const SGR = /\x1b\[[0-9;:]{0,32}m/g;

/** The text with its harmless colour sequences removed (nothing else changed). */
export function stripSgr(text: string): string {
  return text.includes('\x1b') ? text.replace(SGR, '') : text;
}

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The visible form of one unsafe character: `\r`, `\x1b`, `\x9b`, `\u202e`. */
export function visibleChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

export interface SanitizeOptions {
  /** Keep LF and TAB as they are (multi-line evidence). Default true. */
  multiline?: boolean;
}

/**
 * Render control characters, escape sequences and bidi controls visibly.
 * With `multiline` (the default) LF and TAB are kept; everything else unsafe is escaped.
 */
export function sanitizeText(text: string, options: SanitizeOptions = {}): string {
  const re = options.multiline === false ? UNSAFE_ONE_LINE : UNSAFE;
  return stripSgr(text).replace(re, visibleChar);
}

/** `sanitizeText` for one-line contexts: LF and TAB are shown as `\n` and `\t` too. */
export function sanitizeLine(text: string): string {
  return stripSgr(text).replace(UNSAFE_ONE_LINE, visibleChar);
}

/** True when `text` holds a character a terminal could act on. */
export function hasUnsafe(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}

function jsonEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Make serialized JSON safe to `cat`: JSON.stringify already escapes U+0000–U+001F, this
 * escapes DEL, C1 (CSI U+009B...), bidi controls and U+2028/U+2029 as `\uXXXX`. Those can
 * only occur inside JSON strings, so the result parses back to exactly the same value.
 */
export function escapeJsonUnsafe(json: string): string {
  return json.replace(JSON_UNSAFE, jsonEscape);
}

/** Deep copy of a JSON-like value with every string passed through `fn`. */
export function mapStrings<T>(value: T, fn: (s: string, key: string | undefined) => string, key?: string): T {
  if (typeof value === 'string') return fn(value, key) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn, key)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = mapStrings(v, fn, k);
    return out as T;
  }
  return value;
}

/** Deep copy with every string and object key sanitized (LF and TAB kept); reporters render from this. */
export function sanitizeDeep<T>(value: T): T {
  if (typeof value === 'string') return sanitizeText(value) as T;
  if (Array.isArray(value)) return value.map((v) => sanitizeDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[sanitizeLine(k)] = sanitizeDeep(v);
    return out as T;
  }
  return value;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML element or a quoted attribute value (HTML and Markdown's `<details>`). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}
