/**
 * Configuration found in files or logs: postgresql.conf / pgbouncer.ini lines, `SHOW x` output
 * (psql's aligned table), `name | setting [| unit]` rows, YAML keys (dbt profiles.yml, Patroni
 * parameters), SQLAlchemy `create_engine(...)` calls and logged engine settings, libpq
 * connection strings and URLs, Npgsql / psqlODBC connection strings.
 *
 * A line is claimed only when it carries a known key in a config-like position, so ordinary
 * log lines are left to other formats (this format should be tried after the log formats).
 * Events carry `fields.config` with namespaced keys (see config-keys.ts); passwords are never
 * copied and are masked in `fields.message`.
 *
 * The key sets and how a key finds its namespace are in key-sets.ts; the free-text reading
 * (URLs, connection strings, `key=value` pairs), which is also what logged.ts applies to other
 * formats' messages, is in free-text.ts.
 */
import type { LogEvent, RawRecord } from '../../events.js';
import type { FormatParser, RecordState } from '../types.js';
import { parseTimestamp } from '../common/timestamp.js';
import { DBT_KEYS, PGBOUNCER_KEYS, POOL_KEYS, POSTGRES_KEYS, SQLALCHEMY_KEYS } from './config-keys.js';
import { extractConfig, maskSecrets, NPGSQL_MARKER } from './free-text.js';
import { BOUNCER_GENERIC, isServerKey, LIBPQ_DISTINCT, put, putSetting, SERVER_KEYS, SQLA_KEYS, serverNamespace, uniq } from './key-sets.js';

export { extractConfig, maskSecrets };

/** Keys distinctive enough to claim a line that mentions them as `key=value` / `key: value`. */
const INLINE_KEYS = [
  ...Object.keys(POSTGRES_KEYS).filter((k) => !k.startsWith('log_')),
  ...Object.keys(PGBOUNCER_KEYS).filter((k) => !k.startsWith('log_') && !BOUNCER_GENERIC.has(k)),
  ...Object.keys(SQLALCHEMY_KEYS).filter((k) => k !== 'isolation_level'),
  ...LIBPQ_DISTINCT,
];
const INLINE = new RegExp(`(?<![\\w.-])["']?(?:${uniq(INLINE_KEYS).join('|')})["']?\\s*[=:]\\s*[^\\s,;)]`, 'i');
const ANY_KEY = new RegExp(
  `(?:${uniq([...SERVER_KEYS, ...SQLA_KEYS, ...Object.keys(DBT_KEYS), ...LIBPQ_DISTINCT]).join('|')}|create_engine\\(|keep_?alive|idle_?lifetime|connection_?lifetime|command_?timeout)`,
  'i',
);
const LEADING_TS = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:\s?(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5}\b))?)\]?/;
const PSQL_PROMPT = String.raw`(?:[\w.-]*[=#(>-]*[#>]\s*)?`;
const SHOW_CMD = new RegExp(`^\\s*${PSQL_PROMPT}SHOW\\s+("?)(\\w+)\\1\\s*;?\\s*$`, 'i');
const HEADER = /^\s*(\w+)\s*$/;
const DASHES = /^\s*-{3,}\s*$/;
const ROWS = /^\s*\(\d+ rows?\)\s*$/;
const ROW = /^\s*(\w+)\s*\|\s*([^|]*?)\s*(?:\|\s*([^|]*?)\s*)?(?:\|.*)?$/;
const ASSIGN = /^\s*(\w+)\s*=\s*(.*?)\s*$/;
const YAML = /^\s*-?\s*["']?(\w+)["']?\s*:\s*(.*?)\s*,?\s*$/;

type Shape = 'show' | 'row' | 'assign' | 'yaml' | 'engine' | 'inline';

interface ConfigState extends RecordState {
  shape: Shape;
  key?: string;
  step?: number;
  depth?: number;
}

/** Paren balance of a code line, ignoring quoted text. */
function parenDelta(line: string): number {
  let d = 0;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') d++;
    else if (ch === ')' || ch === ']' || ch === '}') d--;
    else if (ch === '#') break;
  }
  return d;
}

/** The value token of a conf-file line: a quoted string (quotes kept) or text up to a comment. */
function confValue(raw: string): string {
  const v = raw.trim();
  if (v.startsWith("'")) {
    const m = /^'(?:[^']|'')*'/.exec(v);
    return m ? m[0] : v.slice(1);
  }
  if (v.startsWith('"')) {
    const m = /^"(?:[^"\\]|\\.)*"/.exec(v);
    return m ? m[0] : v.slice(1);
  }
  return v.replace(/\s*[#;].*$/, '').trim();
}

export function configFormat(): FormatParser {
  return {
    id: 'config',
    origin: 'config',
    describe: 'configuration: postgresql.conf, pgbouncer.ini, SHOW output, create_engine(), profiles.yml, connection strings',

    start(line: string): RecordState | undefined {
      const state = detect(line);
      if (!state || state.shape === 'show' || state.shape === 'engine') return state;
      // A one-line shape is claimed only if it yields at least one usable setting.
      const probe: RawRecord = { source: '', line: 1, endLine: 1, lines: [line], truncated: false };
      const body = line.replace(LEADING_TS, '');
      return Object.keys(readConfig(probe, state, body)).length > 0 ? state : undefined;
    },
    continues(state: RecordState, line: string, lineCount: number) {
      const s = state as ConfigState;
      if (s.shape === 'engine') {
        if ((s.depth ?? 0) <= 0 || lineCount >= 60) return 'no';
        s.depth = (s.depth ?? 0) + parenDelta(line);
        if (s.depth <= 0) s.complete = true;
        return 'must';
      }
      if (s.shape !== 'show') return 'no';
      const step = s.step ?? 0;
      if (step === 0 && HEADER.exec(line)?.[1].toLowerCase() === s.key) {
        s.step = 1;
        return 'must';
      }
      if (step === 1 && DASHES.test(line)) {
        s.step = 2;
        return 'must';
      }
      if (step === 2 && line.trim() !== '' && !DASHES.test(line)) {
        s.step = 3;
        return 'must';
      }
      if (step === 3 && ROWS.test(line)) {
        s.step = 4;
        s.complete = true;
        return 'must';
      }
      return 'no';
    },

    parse(record: RawRecord, state: RecordState): LogEvent[] {
      const text = record.lines.join('\n');
      const fields: LogEvent['fields'] = {};
      const event: LogEvent = {
        source: record.source,
        line: record.line,
        endLine: record.endLine,
        text,
        format: 'config',
        origin: 'config',
        fields,
      };
      try {
        const first = record.lines[0] ?? '';
        const tsm = LEADING_TS.exec(first);
        if (tsm) {
          const ts = parseTimestamp(tsm[1].replace(',', '.'));
          if (ts) {
            event.ts = ts.ts;
            if (ts.naive) event.tsNaive = true;
          }
        }
        const config = readConfig(record, (state ?? {}) as ConfigState, tsm ? first.slice(tsm[0].length) : first);
        if (Object.keys(config).length > 0) fields.config = config;
        fields.message = maskSecrets(record.lines.map((l) => l.trim()).join(' ').slice(0, 500));
      } catch {
        // keep what was filled
      }
      return [event];
    },
  };
}

function detect(line: string): ConfigState | undefined {
  if (line.length > 4000 || !ANY_KEY.test(line)) return undefined;
  const body = line.replace(LEADING_TS, '');
  const show = SHOW_CMD.exec(body);
  if (show && isServerKey(show[2])) return { shape: 'show', key: show[2].toLowerCase(), step: 0 } as ConfigState;
  const header = HEADER.exec(body);
  if (header && isServerKey(header[1])) return { shape: 'show', key: header[1].toLowerCase(), step: 1 } as ConfigState;
  const row = ROW.exec(body);
  if (row && (isServerKey(row[1]) || SQLA_KEYS.has(row[1].toLowerCase()))) {
    return { shape: 'row', complete: true } as ConfigState;
  }
  if (/^\s*[#;]/.test(body)) return undefined; // commented-out setting: not in effect
  if (body.includes('create_engine(')) {
    const depth = parenDelta(body.slice(body.indexOf('create_engine(')));
    const state: ConfigState = { shape: 'engine', depth };
    if (depth <= 0) state.complete = true;
    return state;
  }
  const assign = ASSIGN.exec(body);
  if (assign) {
    const key = assign[1].toLowerCase();
    const pairs = body.match(/\b\w+\s*=/g)?.length ?? 0;
    if (pairs <= 1 && (isServerKey(key) || SQLA_KEYS.has(key))) return { shape: 'assign', complete: true } as ConfigState;
  }
  const yaml = YAML.exec(body);
  // A quoted key is a Python/JSON dict entry (connect_args, engine options): read inline.
  if (yaml && !/^\s*-?\s*["']/.test(body) && !/,\s*$/.test(body)) {
    const key = yaml[1].toLowerCase();
    if ((isServerKey(key) || SQLA_KEYS.has(key) || key in DBT_KEYS) && yaml[2] !== '' && !/^[{[]/.test(yaml[2])) {
      return { shape: 'yaml', complete: true } as ConfigState;
    }
  }
  if (INLINE.test(body) || (body.includes(';') && NPGSQL_MARKER.test(body)) || /postgres(?:ql)?(?:\+\w+)?:\/\/[^\s?]*\?\S*(?:keepalives|connect_timeout|tcp_user_timeout)/i.test(body)) {
    return { shape: 'inline', complete: true } as ConfigState;
  }
  return undefined;
}

function readConfig(record: RawRecord, state: ConfigState, firstBody: string): Record<string, string> {
  const out: Record<string, string> = {};
  const source = record.source;
  const lines = [firstBody, ...record.lines.slice(1)];
  switch (state.shape) {
    case 'show': {
      const key = state.key ?? HEADER.exec(firstBody)?.[1]?.toLowerCase();
      const dash = lines.findIndex((l) => DASHES.test(l));
      const valueLine = dash >= 0 ? lines[dash + 1] : undefined;
      if (key && valueLine !== undefined && !ROWS.test(valueLine)) put(out, serverNamespace(key, source), key, valueLine.trim());
      return out;
    }
    case 'row': {
      const m = ROW.exec(firstBody);
      if (!m) return out;
      const key = m[1].toLowerCase();
      let value = m[2];
      const unit = m[3];
      if (unit && /^(?:us|ms|s|min|h|d)$/.test(unit) && /^-?\d+(?:\.\d+)?$/.test(value)) value += unit;
      putSetting(out, key, value, source);
      return out;
    }
    case 'assign': {
      const m = ASSIGN.exec(firstBody);
      if (!m) return out;
      const key = m[1].toLowerCase();
      const value = confValue(m[2]);
      putSetting(out, key, value, source);
      return out;
    }
    case 'yaml': {
      const m = YAML.exec(firstBody);
      if (!m) return out;
      const key = m[1].toLowerCase();
      const value = confValue(m[2]);
      if (key in DBT_KEYS && !isServerKey(key) && !SQLA_KEYS.has(key) && !(key in POOL_KEYS)) put(out, 'dbt', key, value);
      else putSetting(out, key, value, source);
      return out;
    }
    default:
      return extractConfig(lines.join('\n'), source);
  }
}
