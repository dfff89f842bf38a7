/**
 * PostgreSQL stderr (and syslog-like) text logs with any `log_line_prefix`.
 *
 * A record is one entry: the first line (prefix + `SEVERITY:  message`), then its secondary
 * lines (`DETAIL:`/`HINT:`/`QUERY:`/`CONTEXT:`/`LOCATION:`/`STATEMENT:`, with or without the
 * prefix) and TAB-indented continuation lines, which the server writes for every embedded
 * newline. The prefix is either stated (`--pg-prefix`) or inferred per line among common ones,
 * with a last-resort fallback that looks for a severity word after a leading timestamp.
 */
import type { LogEvent, RawRecord } from '../../events.js';
import type { FormatOptions, FormatParser, RecordState } from '../types.js';
import { parseEpoch, SecondCache } from '../common/timestamp.js';
import { commonPrefixes, compilePrefix, SEVERITY_WORDS, type CompiledPrefix } from './pg-prefix.js';
import {
  applyClassification,
  classifyServerMessage,
  hostOnly,
  identity,
  pgLevel,
  sqlstateList,
  type ServerEventFields,
} from './pg-messages.js';

const SECONDARY = new Set(['DETAIL', 'HINT', 'QUERY', 'CONTEXT', 'LOCATION', 'STATEMENT']);
const TAIL = `(?<![A-Za-z])(?<severity>${SEVERITY_WORDS}):  (?:(?<vstate>(?=[0-9A-Z]{0,4}\\d)[0-9A-Z]{5}): )?(?<message>.*)$`;

/** Timestamp first, then up to a few words of unknown prefix, then the severity. */
const FALLBACK = new RegExp(
  `^(?:(?<ts>\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?: ?(?:[A-Za-z]{1,6}|[+-]\\d{2}(?::?\\d{2})?))?)|(?<epoch>\\d{9,11}\\.\\d{3})(?= ))(?<mid>.{0,160}?)${TAIL}`,
);
/** Classic syslog: `May  1 10:15:02 host postgres[4711]: [3-1] <prefix>LOG:  ...` (no year, so no ts). */
const SYSLOG = new RegExp(
  `^[A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\S+ [\\w.\\-/]+\\[(?<pid>\\d+)\\]: (?:\\[\\d+-\\d+\\] )?(?<mid>.{0,160}?)${TAIL}`,
);
/** No prefix at all (empty `log_line_prefix`, or pasted message lines). */
const BARE = new RegExp(`^(?<severity>${SEVERITY_WORDS}):  (?:(?<vstate>(?=[0-9A-Z]{0,4}\\d)[0-9A-Z]{5}): )?(?<message>.*)$`);
const BARE_SECONDARY = /^(?:DETAIL|HINT|QUERY|CONTEXT|LOCATION|STATEMENT):  /;

/** Text between the timestamp and the severity that shows a client/application log line instead. */
const NOT_A_PREFIX = /\s-\s|Error\b|Exception|Traceback|error:|failed:|\)\s*$|\bWARN\b|\bINFO\b|\bDEBUG\b|"/;

const NO_GROUPS: Record<string, string | undefined> = Object.freeze({});

const KIND_FALLBACK = -1;
const KIND_SYSLOG = -2;
const KIND_BARE = -3;

interface LineMatch {
  kind: number;
  groups: Record<string, string | undefined>;
}

interface StderrState extends RecordState {
  kind: number;
  pid?: number;
  /** `%c` session id, for prefixes that print it instead of the pid. */
  sid?: string;
}

export function pgStderrFormat(options: FormatOptions = {}): FormatParser {
  // Compiled on the first line, not when the format is created: start-up should not pay for
  // a server format on inputs that hold no server log.
  let candidates: CompiledPrefix[] | undefined;
  function prefixes(): CompiledPrefix[] {
    if (candidates) return candidates;
    candidates = [];
    if (options.pgPrefix !== undefined && options.pgPrefix !== '') candidates.push(compilePrefix(options.pgPrefix));
    candidates.push(...commonPrefixes());
    return candidates;
  }
  /**
   * The prefix this source's server writes, once a line matched one: a server has one
   * `log_line_prefix`, so every later line is tried against it first, one regex per line,
   * and the others only when it fails (a changed setting, a concatenated log).
   */
  let locked = -1;
  /**
   * The last two lines `start` matched: a record is parsed when the line after it starts (or the
   * input ends), so its first line is one of them and is not matched again.
   */
  let lastLine: string | undefined;
  let lastHit: LineMatch | undefined;
  let prevLine: string | undefined;
  let prevHit: LineMatch | undefined;
  const times = new SecondCache();

  function recalled(line: string, kind: unknown): LineMatch | undefined {
    const hit = line === lastLine ? lastHit : line === prevLine ? prevHit : undefined;
    return hit && hit.kind === kind ? hit : undefined;
  }

  function matchWith(kind: number, line: string): LineMatch | undefined {
    let m: RegExpExecArray | null;
    if (kind >= 0) m = prefixes()[kind]?.line.exec(line) ?? null;
    else if (kind === KIND_FALLBACK) {
      m = FALLBACK.exec(line);
      if (m && NOT_A_PREFIX.test(m.groups?.mid ?? '')) m = null;
    } else if (kind === KIND_SYSLOG) {
      m = SYSLOG.exec(line);
      if (m && NOT_A_PREFIX.test(m.groups?.mid ?? '')) m = null;
    } else m = BARE.exec(line);
    // exec returns a fresh groups object per match: it is used as it is, never copied.
    return m ? { kind, groups: m.groups ?? NO_GROUPS } : undefined;
  }

  function matchLine(line: string): LineMatch | undefined {
    if (!line.includes(':  ')) return undefined;
    if (locked >= 0) {
      const hit = matchWith(locked, line);
      if (hit) return hit;
    }
    const list = prefixes();
    for (let i = 0; i < list.length; i++) {
      if (i === locked) continue;
      const hit = matchWith(i, line);
      if (hit) {
        if (locked < 0) locked = i;
        return hit;
      }
    }
    return matchWith(KIND_FALLBACK, line) ?? matchWith(KIND_SYSLOG, line) ?? matchWith(KIND_BARE, line);
  }

  function pidOf(hit: LineMatch): number | undefined {
    const direct = hit.groups.pid;
    if (direct) return Number(direct);
    const mid = hit.groups.mid;
    const inMid = mid ? /\[(\d+)\]|\bpid[=:](\d+)/.exec(mid) : null;
    return inMid ? Number(inMid[1] ?? inMid[2]) : undefined;
  }

  return {
    id: 'pg-stderr',
    origin: 'server',
    fixedOrigin: true,
    describe: 'PostgreSQL stderr/syslog log with any log_line_prefix (stated with --pg-prefix or inferred)',
    // Each source locks its own prefix.
    perSource: () => pgStderrFormat(options),

    start(line: string): RecordState | undefined {
      const hit = matchLine(line);
      if (!hit) return undefined;
      if (line !== lastLine) {
        prevLine = lastLine;
        prevHit = lastHit;
      }
      lastLine = line;
      lastHit = hit;
      const state: StderrState = { kind: hit.kind };
      const pid = pidOf(hit);
      if (pid !== undefined) state.pid = pid;
      if (hit.groups.sessionId) state.sid = hit.groups.sessionId;
      return state;
    },

    continues(state: RecordState, line: string, lineCount: number) {
      if (line.startsWith('\t')) return 'must';
      if (BARE_SECONDARY.test(line)) return 'must';
      if (!line.includes(':  ') || lineCount > 10_000) return 'no';
      const s = state as StderrState;
      const hit = matchWith(typeof s.kind === 'number' ? s.kind : KIND_FALLBACK, line) ?? matchLine(line);
      if (!hit || !SECONDARY.has(hit.groups.severity ?? '')) return 'no';
      const pid = pidOf(hit);
      if (pid !== undefined && s.pid !== undefined && pid !== s.pid) return 'no';
      const sid = hit.groups.sessionId;
      if (sid !== undefined && s.sid !== undefined && sid !== s.sid) return 'no';
      return 'must';
    },

    parse(record: RawRecord, state: RecordState): LogEvent[] {
      try {
        return [parseRecord(record, state as StderrState)];
      } catch {
        return [{
          source: record.source, line: record.line, endLine: record.endLine,
          text: record.lines.join('\n'), format: 'pg-stderr', origin: 'server', fields: {},
        }];
      }
    },
  };

  function parseRecord(record: RawRecord, state: StderrState): LogEvent {
    const lines = record.lines;
    const first = lines[0] ?? '';
    const head = recalled(first, state?.kind) ?? (typeof state?.kind === 'number' ? matchWith(state.kind, first) : undefined) ?? matchLine(first);
    const fields: ServerEventFields = {};
    const event: LogEvent = {
      source: record.source,
      line: record.line,
      endLine: record.endLine,
      text: lines.join('\n'),
      format: 'pg-stderr',
      origin: 'server',
      fields,
    };
    if (!head) return event;
    const g = head.groups;

    // Timestamp: %m / %t / fallback text, or %n epoch.
    const tsText = g.ts ?? g.tsNoMs;
    const parsedTs = tsText ? times.parse(tsText) : g.epoch ? parseEpoch(Number(g.epoch)) : undefined;
    if (parsedTs) {
      event.ts = parsedTs.ts;
      if (parsedTs.naive) event.tsNaive = true;
    }
    const pid = pidOf(head);
    if (pid !== undefined) fields.pid = pid;
    const user = identity(g.user);
    if (user) fields.user = user;
    const database = identity(g.database);
    if (database) fields.database = database;
    const application = identity(g.application);
    if (application) fields.application = application;
    const host = hostOnly(g.host ?? g.hostPort);
    if (host) fields.clientAddr = host;
    if (g.sessionId) fields.sessionId = g.sessionId;

    // Secondary sections; TAB-indented lines continue whichever section came last.
    const sections: Record<string, string> = {};
    let current: string;
    const firstLabel = g.severity ?? '';
    if (SECONDARY.has(firstLabel)) {
      current = firstLabel;
      sections[current] = g.message ?? '';
    } else {
      current = 'MESSAGE';
      sections.MESSAGE = g.message ?? '';
      fields.severity = firstLabel;
      const level = pgLevel(firstLabel);
      if (level) event.level = level;
    }
    const states = [g.sqlstate, g.vstate];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (line.startsWith('\t')) {
        sections[current] = (sections[current] ?? '') + '\n' + line.slice(1);
        continue;
      }
      const hit = matchWith(head.kind, line) ?? matchLine(line);
      const label = hit?.groups.severity;
      if (hit && label && SECONDARY.has(label)) {
        current = label;
        sections[label] = sections[label] !== undefined ? `${sections[label]}\n${hit.groups.message ?? ''}` : hit.groups.message ?? '';
        states.push(hit.groups.sqlstate);
      } else {
        sections[current] = (sections[current] ?? '') + '\n' + line;
      }
    }
    if (sections.MESSAGE !== undefined) fields.message = sections.MESSAGE;
    if (sections.DETAIL !== undefined) fields.detail = sections.DETAIL;
    if (sections.HINT !== undefined) fields.hint = sections.HINT;
    const sql = sections.STATEMENT ?? sections.QUERY;
    if (sql !== undefined) fields.sql = sql;
    const codes = sqlstateList(...states);
    if (codes) fields.sqlstates = codes;
    applyClassification(fields, classifyServerMessage(fields.message, fields.detail));
    return event;
  }
}
