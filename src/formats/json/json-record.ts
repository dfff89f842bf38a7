/**
 * Record assembly for JSON values that may span lines (pretty-printed documents) or sit on one
 * line (JSON lines). Tracks bracket depth outside strings; the record is complete when the depth
 * returns to zero. Shared by the dbt JSON log, run_results and ADF JSON formats.
 */
import type { Continuation, RecordState } from '../types.js';

export interface JsonState extends RecordState {
  depth: number;
  inString: boolean;
  escaped: boolean;
  /** Lines consumed so far, including the first. */
  lines: number;
}

/** Feeds one line into the depth tracker. Returns true when the value closed on this line. */
function scan(st: JsonState, line: string): boolean {
  const n = line.length;
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(i);
    if (st.inString) {
      if (st.escaped) st.escaped = false;
      else if (c === 92 /* \ */) st.escaped = true;
      else if (c === 34 /* " */) st.inString = false;
      continue;
    }
    if (c === 34) st.inString = true;
    else if (c === 123 || c === 91) st.depth++;
    else if (c === 125 || c === 93) {
      st.depth--;
      if (st.depth <= 0) {
        st.depth = 0;
        st.complete = true;
        return true;
      }
    }
  }
  // A raw line break can never be inside a JSON string: the line was cut, so recover.
  st.inString = false;
  st.escaped = false;
  return false;
}

/**
 * Starts a JSON record if the line (after leading blanks) opens an object or array.
 * `accept` lets a caller look at the opening text cheaply before any scanning.
 */
export function startJson(line: string): JsonState | undefined {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  const c = line.charCodeAt(i);
  if (c !== 123 && c !== 91) return undefined;
  const st: JsonState = { depth: 0, inString: false, escaped: false, lines: 1 };
  scan(st, line);
  return st;
}

/**
 * A line inside an open JSON value. While the value is open the line must belong to it, unless
 * it plainly cannot be JSON (a pretty-printer indents inner lines; a log line at column 0 means
 * the document was cut short) — then the record ends there.
 */
export function continuesJson(state: RecordState, line: string): Continuation {
  const st = state as JsonState;
  if (st.complete) return 'no';
  const c = line.charCodeAt(0);
  // Inner lines of pretty-printed JSON are indented; closers may sit at column 0. Anything else
  // at column 0 (a new JSON line, a timestamped log line) means the open value was cut short.
  const plausible = line.length === 0 || c === 32 || c === 9 || c === 125 || c === 93 || c === 34 || c === 44;
  if (!plausible) return 'no';
  st.lines++;
  scan(st, line);
  return 'must';
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

/** Parses the record's text; on failure retries without trailing text after the last closer. */
export function parseJsonLines(lines: readonly string[]): JsonParse {
  const text = lines.join('\n');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
    if (end > 0 && end < text.length - 1) {
      try {
        return { ok: true, value: JSON.parse(text.slice(0, end + 1)) as unknown };
      } catch {
        /* fall through */
      }
    }
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Plain-object test for parsed JSON. */
export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Case-insensitive property read (ADF and Azure Monitor mix `Error`/`error`, `Status`/`status`). */
export function getCI(o: Record<string, unknown>, ...names: string[]): unknown {
  for (const n of names) if (n in o) return o[n];
  const lower = names.map((n) => n.toLowerCase());
  for (const k of Object.keys(o)) if (lower.includes(k.toLowerCase())) return o[k];
  return undefined;
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Pulls complete `"key": "string"` pairs out of broken JSON text, for best-effort events. */
export function salvageStrings(text: string, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /"([A-Za-z_][\w]*)"\s*:\s*"((?:[^"\\\n]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  const sample = text.length > 500_000 ? text.slice(0, 500_000) : text;
  while ((m = re.exec(sample)) !== null) {
    const k = m[1];
    if (!keys.includes(k) || k in out) continue;
    try {
      out[k] = JSON.parse(`"${m[2]}"`) as string;
    } catch {
      out[k] = m[2];
    }
  }
  return out;
}
