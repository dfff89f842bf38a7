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

const isDigitAt = (t: string, i: number) => {
  const c = t.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/** The last `yyyy-mm-dd hh:mm:ss` read by the fast path and its epoch ms: a log's lines share their seconds. */
let lastHead = '';
let lastHeadMs = 0;

/**
 * The shape nearly every log line carries, `yyyy-mm-dd[T ]hh:mm:ss` with an optional `.`/`,`
 * fraction and no zone, read without the regex; `undefined` sends anything else to it.
 */
function naiveFast(t: string): ParsedTime | undefined {
  const n = t.length;
  if (n < 19 || n > 29) return undefined;
  const sep = t.charCodeAt(10);
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32) || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return undefined;
  let ms = 0;
  if (n > 19) {
    const dot = t.charCodeAt(19);
    if ((dot !== 46 && dot !== 44) || n === 20) return undefined;
    for (let i = 20; i < n; i++) if (!isDigitAt(t, i)) return undefined;
    ms = Number((t.slice(20, 23) + '00').slice(0, 3));
  }
  if (!t.startsWith(lastHead) || lastHead.length !== 19) {
    for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]) if (!isDigitAt(t, i)) return undefined;
    const head = t.slice(0, 19);
    const ts = Date.UTC(+head.slice(0, 4), +head.slice(5, 7) - 1, +head.slice(8, 10), +head.slice(11, 13), +head.slice(14, 16), +head.slice(17, 19), 0);
    if (Number.isNaN(ts)) return undefined;
    lastHead = head;
    lastHeadMs = ts;
  }
  return { ts: lastHeadMs + ms, naive: true };
}

export function parseTimestamp(text: string): ParsedTime | undefined {
  return naiveFast(text) ?? byPattern(text);
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
