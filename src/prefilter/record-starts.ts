/**
 * Where records start in raw bytes, judged without decoding: what the prefilter's look-behind
 * reaches back to, and whether skipped lines carry dates.
 */
const EMPTY = Buffer.alloc(0);

/** The text of the line `body[from, end)` without its line ending, for the record assembler. */
export function lineText(body: Buffer, from: number, end: number): string {
  let e = end;
  if (e > from && body[e - 1] === 10) e--;
  if (e > from && body[e - 1] === 13) e--;
  return body.toString('utf8', from, e);
}

/**
 * The look-behind from the `count`-th last line that starts a record. Records start at column
 * 0 with a time (`2024-...`, `12:00:00`), a bracket (`[2024-...]`, `[0m` colour codes), a JSON
 * object or a traceback header; continuation lines (frames, DETAIL, indented messages) do not.
 * A logged error and its traceback header count as two. With fewer starts, all of it is kept.
 */
export function trimToRecordStarts(ring: Buffer, lines: number, count: number): { ring: Buffer; lines: number } {
  if (count === 0) return { ring: EMPTY, lines: 0 };
  let starts = 0;
  let end = ring.length; // exclusive end of the line being looked at
  let kept = 0;
  while (end > 0) {
    const start = end >= 2 ? ring.lastIndexOf(10, end - 2) + 1 : 0;
    kept++;
    if (looksLikeRecordStart(ring, start)) {
      starts++;
      if (starts === count) return { ring: ring.subarray(start), lines: kept };
    }
    end = start;
  }
  return { ring, lines };
}

export function looksLikeRecordStart(buf: Buffer, at: number): boolean {
  const c = buf[at];
  if (c >= 48 && c <= 57) return true; // a digit: a timestamp or an epoch
  if (c === 123 || c === 27) return true; // '{', ESC (dbt colour reset)
  if (c === 91) {
    // `[2024-...`, `[12:00:00]` or a bracketed level `[ERROR]`; not SQLAlchemy's `[SQL: ...]`.
    const d = buf[at + 1];
    if (d >= 48 && d <= 57) return true;
    let i = at + 1;
    while (i < at + 12 && buf[i] >= 65 && buf[i] <= 90) i++;
    return i > at + 1 && buf[i] === 93;
  }
  // "Traceback (most recent call last):"
  return c === 84 && buf[at + 1] === 114 && buf[at + 2] === 97 && buf[at + 3] === 99 && buf[at + 4] === 101;
}

/**
 * Does the line at `at` start like a dated record: `2024-05-01 ...`, `[2024-05-01 ...`, the same
 * after an ANSI colour code or dbt's `=====` header rule? Only a date counts, as for the parsers: a bare time of day
 * (dbt's `12:00:00`) gives no timestamp.
 */
export function startsTimed(buf: Buffer, at: number): boolean {
  let i = at;
  if (buf[i] === 27) {
    // ESC [ ... m
    const m = buf.indexOf(109, i);
    if (m < 0 || m - i > 12) return false;
    i = m + 1;
  }
  // dbt.log's invocation header: `============================== 2024-05-01 12:00:00.123456 | ...`
  if (buf[i] === 61) {
    const limit = i + 40;
    while (i < limit && buf[i] === 61) i++;
    if (buf[i] === 32) i++;
  }
  if (buf[i] === 91) i++; // '['
  const isDigit = (k: number) => buf[k] >= 48 && buf[k] <= 57;
  return isDigit(i) && isDigit(i + 1) && isDigit(i + 2) && isDigit(i + 3) && buf[i + 4] === 45; // YYYY-
}

const digitAt = (buf: Buffer, i: number) => buf[i] >= 48 && buf[i] <= 57;

/** How far into a JSON line its time may stand (`{"level":"info","timestamp":"…`). */
const JSON_TIME_REACH = 120;
/**
 * Keys JSON loggers give the record's time (as app-json reads them, and Python's `asctime`).
 * Only such a key's value is taken for the line's second: another date (a build date, a
 * partition) may stay the same on every line.
 */
const JSON_TIME_KEYS = ['time', 'timestamp', '@timestamp', 'ts', 't', 'datetime', 'date', 'instant', 'asctime'].map((k) => Buffer.from(`"${k}"`));

/** Whether `buf` before the quote at `q` reads `"key":` or `"key": ` for a time key. */
function afterTimeKey(buf: Buffer, q: number): boolean {
  let i = q - 1;
  if (buf[i] === 32) i--;
  if (buf[i] !== 58) return false;
  return JSON_TIME_KEYS.some((k) => i - k.length >= 0 && buf.compare(k, 0, k.length, i - k.length, i) === 0);
}

/**
 * Where the seconds of a line's leading date end (`2024-05-01 12:00:00`, `…T12:00:00`,
 * `[2024-05-01, 12:00:00` as Airflow writes it, or the first quoted date-time near the start of a
 * JSON line), or -1: the line's second, read from its bytes without parsing it. The bytes from
 * the line's start to there tell one second from another (a JSON line's keys before its time
 * are the same on every line of a source).
 */
export function secondEnd(buf: Buffer, at: number): number {
  if (buf[at] === 123) {
    const limit = Math.min(buf.length, at + JSON_TIME_REACH);
    for (let q = buf.indexOf(34, at); q !== -1 && q < limit; q = buf.indexOf(34, q + 1)) {
      if (!afterTimeKey(buf, q)) continue;
      const end = dateTimeEnd(buf, q + 1);
      if (end > 0) return end;
    }
    return -1;
  }
  return dateTimeEnd(buf, buf[at] === 91 ? at + 1 : at);
}

/** The end of a `yyyy-mm-dd[T ]hh:mm:ss` (or Airflow's `yyyy-mm-dd, hh:mm:ss`) at `i`, or -1. */
function dateTimeEnd(buf: Buffer, i: number): number {
  if (i + 19 > buf.length) return -1;
  for (const k of [0, 1, 2, 3, 5, 6, 8, 9]) if (!digitAt(buf, i + k)) return -1;
  if (buf[i + 4] !== 45 || buf[i + 7] !== 45) return -1;
  i += 10;
  if (buf[i] === 44) i++; // Airflow's `, `
  if (buf[i] !== 32 && buf[i] !== 84) return -1;
  i++;
  if (i + 8 > buf.length) return -1;
  for (const k of [0, 1, 3, 4, 6, 7]) if (!digitAt(buf, i + k)) return -1;
  if (buf[i + 2] !== 58 || buf[i + 5] !== 58) return -1;
  return i + 8;
}
