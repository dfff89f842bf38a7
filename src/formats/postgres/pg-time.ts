/**
 * Timestamps of server and pooler lines, read once per second of log time. A busy server or
 * PgBouncer writes many lines within one second and every line prints the same date, time and
 * zone with another fraction, so the text without its fraction is parsed when it changes and the
 * milliseconds are added; the result is always the one `parseTimestamp` gives for the full text.
 */
import { parseTimestamp, type ParsedTime } from '../common/timestamp.js';

const isDigit = (c: number) => c >= 48 && c <= 57;
const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/** `YYYY-MM-DD?HH:MM:SS` at the start of `text` (`?` a space or `T`). */
function secondsPrefix(text: string): boolean {
  if (text.length < 19) return false;
  for (const i of DIGITS_AT) if (!isDigit(text.charCodeAt(i))) return false;
  const sep = text.charCodeAt(10);
  return text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45 && (sep === 32 || sep === 84) && text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58;
}

export class SecondCache {
  private key: string | undefined;
  private base: ParsedTime | undefined;

  parse(text: string): ParsedTime | undefined {
    if (!secondsPrefix(text)) return parseTimestamp(text);
    let ms = 0;
    let rest = 19;
    const c = text.charCodeAt(19);
    if (c === 46 || c === 44) {
      let end = 20;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
      // Nine digits at most, as parseTimestamp reads them; anything else takes the slow path.
      if (end === 20 || end > 29) return parseTimestamp(text);
      ms = Number(`${text.slice(20, end)}00`.slice(0, 3));
      rest = end;
    }
    const key = rest === 19 ? text : text.slice(0, 19) + text.slice(rest);
    if (key !== this.key) {
      this.key = key;
      this.base = parseTimestamp(key);
    }
    return this.base ? { ts: this.base.ts + ms, naive: this.base.naive } : undefined;
  }
}
