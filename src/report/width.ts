/**
 * Fitting lines to a terminal. Widths are display columns, not UTF-16 units: a CJK character
 * takes two, a combining mark none, our own SGR colour codes none. Measuring, cutting and
 * hard-breaking walk the code points once with get-east-asian-width (the Unicode table
 * string-width is built on; string-width itself segments graphemes with Intl.Segmenter and
 * was 80% of a report's time, and the slicing libraries re-measure per character, quadratic
 * on long tracebacks). Prose is word-wrapped here too, for the same reason.
 */
import { eastAsianWidth } from 'get-east-asian-width';

export const CUT_MARK = '…';

/** Printable ASCII, possibly with our SGR codes: one column per character (the common case, measured without segmenting). */
const PLAIN = /^[\x20-\x7e]*$/;
const SGR = /\x1b\[[0-9;]*m/g;

/** Display columns of a line (our SGR codes count zero). */
export function width(s: string): number {
  if (PLAIN.test(s)) return s.length;
  const bare = s.includes('\x1b') ? s.replace(SGR, '') : s;
  let n = 0;
  for (const ch of bare) n += columns(ch);
  return n;
}

/** Tabs in quoted log text become spaces: a terminal's tab stops would make widths unknowable. */
export function untab(s: string): string {
  return s.includes('\t') ? s.replace(/\t/g, '    ') : s;
}

// Variation selectors (U+FE00..FE0F) are marks too (Mn); the joiners are format characters.
const MARK_OR_ZERO = /\p{M}|[\u200b-\u200d]/u;

/** Columns of one code point: 0 for combining marks and joiners, 2 for wide and fullwidth, else 1. */
function columns(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x7f) return cp >= 0x20 ? 1 : 0;
  if (MARK_OR_ZERO.test(ch)) return 0;
  return eastAsianWidth(cp);
}

/**
 * Split a line into pieces of at most `cols` columns, our SGR codes carried along at zero
 * width (and closed at each break, reopened after it). Linear in the line's length.
 */
function pieces(line: string, cols: number, limit = Infinity): string[] {
  const out: string[] = [];
  let cur = '';
  let used = 0;
  let open = '';
  for (let i = 0; i < line.length; ) {
    if (line.charCodeAt(i) === 0x1b) {
      const m = /^\x1b\[[0-9;]*m/.exec(line.slice(i, i + 16));
      if (m) {
        cur += m[0];
        open = /^\x1b\[(0|22|23|24|39)?m$/.test(m[0]) ? '' : open + m[0];
        i += m[0].length;
        continue;
      }
    }
    const cp = line.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const w = columns(ch);
    if (used + w > cols && used > 0) {
      out.push(open ? `${cur}\x1b[0m` : cur);
      if (out.length >= limit) return out;
      cur = open;
      used = 0;
    }
    cur += ch;
    used += w;
    i += ch.length;
  }
  out.push(cur);
  return out;
}

/** The line cut to `cols` columns with a visible marker, or unchanged when it fits. */
export function cut(line: string, cols: number): string {
  if (width(line) <= cols) return line;
  const [head] = pieces(line, Math.max(0, cols - 1), 1);
  return `${head}${CUT_MARK}`;
}

/** Pad to `cols` display columns (for table cells), cutting first when longer. */
export function cell(s: string, cols: number, align: 'left' | 'right' = 'left'): string {
  const fitted = cut(s, cols);
  const pad = ' '.repeat(Math.max(0, cols - width(fitted)));
  return align === 'left' ? fitted + pad : pad + fitted;
}

/**
 * Word-wrap `text` into lines of at most `cols` columns: the first line starts with
 * `first`, the others with `rest`. Words longer than a line are broken, so no line is ever
 * wider than `cols`. Our SGR codes ride along: closed at a break, reopened after it.
 */
export function wrap(text: string, cols: number, first: string, rest = first): string[] {
  const room = Math.max(8, cols - Math.max(width(first), width(rest)));
  const out: string[] = [];
  let open = '';
  for (const para of text.split('\n')) {
    let cur = open;
    let used = 0;
    let pendingSpace = false;
    const flush = () => {
      out.push((out.length === 0 ? first : rest) + (open ? `${cur}\x1b[0m` : cur));
      cur = open;
      used = 0;
      pendingSpace = false;
    };
    for (const token of para.match(/\x1b\[[0-9;]*m|[ ]+|[^ \x1b]+|\x1b/g) ?? []) {
      if (token.startsWith('\x1b[')) {
        cur += token;
        open = /^\x1b\[(0|22|23|24|39)?m$/.test(token) ? '' : open + token;
        continue;
      }
      if (token[0] === ' ') {
        if (used > 0) pendingSpace = true;
        continue;
      }
      const w = width(token);
      if (used > 0 && used + (pendingSpace ? 1 : 0) + w > room) flush();
      if (w > room) {
        // A word longer than the line: break it where it must.
        const parts = pieces(token, room - used);
        parts.forEach((p, i) => {
          if (i > 0) flush();
          cur += p.replace(/\x1b\[0m$/, '');
          used += width(p);
        });
        continue;
      }
      if (pendingSpace && used > 0) {
        cur += ' ';
        used++;
      }
      pendingSpace = false;
      cur += token;
      used += w;
    }
    flush();
  }
  return out.map((l) => cut(l, cols));
}

/**
 * A quoted line after a prefix: cut with the marker, or under `explain` wrapped under the
 * prefix so the whole line is shown and still fits.
 */
export function quoteLine(prefix: string, text: string, cols: number, explain: boolean, pad = ' '.repeat(width(prefix))): string[] {
  const line = prefix + text;
  if (width(line) <= cols) return [line];
  if (!explain) return [cut(line, cols)];
  const room = Math.max(8, cols - Math.max(width(prefix), width(pad)));
  return pieces(text, room).map((p, i) => cut((i === 0 ? prefix : pad) + p, cols));
}
