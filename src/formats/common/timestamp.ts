/**
 * Timestamp reading shared by all formats. Returns epoch ms and whether the text carried a zone.
 * Naive timestamps are read as UTC and flagged, so correlation can widen its tolerance.
 */
export interface ParsedTime {
  ts: number;
  naive: boolean;
}

// 2024-05-01 12:00:00,123 | 2024-05-01T12:00:00.123456+02:00 | 2024-05-01 12:00:00.123 UTC | ... CEST
const ISOISH =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{2,5})?$/;

/** Abbreviations PostgreSQL and common loggers print; anything else is treated as naive. */
const ZONE_OFFSETS_MIN: Record<string, number> = {
  UTC: 0, GMT: 0, Z: 0, UT: 0,
  CET: 60, CEST: 120, EET: 120, EEST: 180, WET: 0, WEST: 60, BST: 60, IST: 330,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  JST: 540, KST: 540, AEST: 600, AEDT: 660, MSK: 180,
};

const isDigit = (c: number) => c >= 48 && c <= 57;
const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/** `YYYY-MM-DD?HH:MM:SS` at the start of `text` (`?` a space or `T`). */
function secondsPrefix(text: string): boolean {
  if (text.length < 19) return false;
  for (const i of DIGITS_AT) if (!isDigit(text.charCodeAt(i))) return false;
  const sep = text.charCodeAt(10);
  return text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45 && (sep === 32 || sep === 84) && text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58;
}

/**
 * Timestamps read once per second of log time. A busy log writes many lines within one second,
 * each printing the same date, time and zone with another fraction, so the text without its
 * fraction is parsed (by the pattern) when it changes and the milliseconds are added; the result
 * is always the one `byPattern` gives for the full text. A reader keeps its own (its lines share
 * seconds); `parseTimestamp` has one for everyone else.
 */
export class SecondCache {
  private key: string | undefined;
  private base: ParsedTime | undefined;

  parse(text: string): ParsedTime | undefined {
    if (!secondsPrefix(text)) return byPattern(text);
    let ms = 0;
    let rest = 19;
    const c = text.charCodeAt(19);
    if (c === 46 || c === 44) {
      let end = 20;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
      // Nine digits at most, as the pattern reads them; anything else takes the slow path.
      // A second separator after it (`.1,2`) would read as the fraction of the key: slow path too.
      const after = text.charCodeAt(end);
      if (end === 20 || end > 29 || after === 46 || after === 44) return byPattern(text);
      ms = Number(`${text.slice(20, end)}00`.slice(0, 3));
      rest = end;
    }
    const key = rest === 19 ? text : text.slice(0, 19) + text.slice(rest);
    if (key !== this.key) {
      this.key = key;
      this.base = byPattern(key);
    }
    return this.base ? { ts: this.base.ts + ms, naive: this.base.naive } : undefined;
  }
}

const shared = new SecondCache();

export function parseTimestamp(text: string): ParsedTime | undefined {
  return shared.parse(text);
}

/** Every shape `parseTimestamp` reads, by the one regex (exported so tests compare the fast path with it). */
export function byPattern(text: string): ParsedTime | undefined {
  const m = ISOISH.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Number((frac + '00').slice(0, 3)) : 0;
  let ts = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms);
  if (Number.isNaN(ts)) return undefined;
  if (!zone) return { ts, naive: true };
  const offset = zoneOffsetMinutes(zone);
  if (offset === undefined) return { ts, naive: true };
  ts -= offset * 60_000;
  return { ts, naive: false };
}

function zoneOffsetMinutes(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (numeric) {
    const sign = numeric[1] === '-' ? -1 : 1;
    return sign * (Number(numeric[2]) * 60 + Number(numeric[3] ?? 0));
  }
  return ZONE_OFFSETS_MIN[zone.toUpperCase()];
}

/** Epoch seconds or milliseconds as printed by some JSON loggers. */
export function parseEpoch(value: number): ParsedTime | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return { ts: value < 1e11 ? Math.round(value * 1000) : Math.round(value), naive: false };
}

/**
 * Does a line start like a dated record (`2024-05-01 ...`, `[2024-05-01 ...`, after an ANSI
 * colour code or dbt's `=====` header rule)? Mirrors the prefilter's byte-level check, so a
 * source counts as timed the same way whether its lines were parsed or skipped.
 */
export function startsWithDate(line: string): boolean {
  return DATED_START.test(line);
}

const DATED_START = /^(?:\x1b\[[0-9;]{0,8}m)?(?:={1,40} ?)?\[?\d{4}-/;
