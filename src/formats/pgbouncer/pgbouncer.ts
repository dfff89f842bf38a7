/**
 * PgBouncer log lines: `<date> <time>.<ms> <zone> [pid] LEVEL message` (older releases print
 * the pid without brackets; syslog output drops the timestamp). Messages about one socket carry
 * `C-0x...` (client) or `S-0x...` (server) plus `db/user@addr:port`.
 *
 * Recognized: `closing because: <reason> (age=Ns)` → `pooler-close` with a normalized reason in
 * `serverEventKind`; `pooler error: ...` → `pooler-error`; login attempts, new server
 * connections, stats, startup and shutdown lines; prepared-statement symptoms of transaction
 * pooling (PgBouncer's own wording and forwarded server wording).
 */
import type { LogEvent, RawRecord } from '../../events.js';
import { recordEvent } from '../common/record-event.js';
import { SecondCache } from '../common/timestamp.js';
import type { FormatParser, RecordState } from '../types.js';
import { applyClassification, classifyServerMessage, type ServerEventFields } from '../postgres/pg-messages.js';
import { configFromPairs } from '../config/config-keys.js';

const LEVELS = 'FATAL|ERROR|WARNING|LOG|DEBUG|NOISE';
// Numbered groups (1 time, 2 bracketed pid, 3 bare pid, 4 level, 5 message; syslog: 1 pid,
// 2 level, 3 message): no groups object is built per line.
const LINE = new RegExp(
  `^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?(?: [A-Za-z0-9+:-]{1,8})?) (?:\\[(\\d+)\\]|(\\d+)) (${LEVELS}) (.*)$`,
);
const SYSLOG = new RegExp(`^[A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\S+ pgbouncer\\[(\\d+)\\]: (${LEVELS}) (.*)$`);
/** 1 side, 2 pointer, 3 database, 4 user, 5 address, 6 port, 7 the rest. */
const CONN = /^([CS])-(0x[0-9a-fA-F]+|\(nil\)): (?:([^/\s]*)\/([^@\s]*)@(\[[^\]]*\]|[^\s:]*):(\d+)|peer-\d+@\S+) ?(.*)$/;
/** 1 reason, 2 age in seconds. */
const CLOSING = /^closing because: (.*?)(?: \(age=(\d+(?:\.\d+)?)s\))?\s*$/;

/** Close reasons as printed by PgBouncer → normalized names. Unlisted reasons are slugified. */
const REASONS: Array<[RegExp, string]> = [
  [/^server idle timeout/, 'server-idle-timeout'],
  [/^server lifetime over/, 'server-lifetime'],
  [/^server conn crashed\?/, 'server-conn-crashed'],
  [/^idle transaction timeout/, 'idle-transaction-timeout'],
  [/^transaction timeout/, 'transaction-timeout'],
  [/^query[ _]timeout/, 'query-timeout'],
  [/^query_wait_timeout/, 'query-wait-timeout'],
  [/^client_idle_timeout/, 'client-idle-timeout'],
  [/^client_login_timeout/, 'client-login-timeout'],
  [/^client close request/, 'client-close-request'],
  [/^client unexpected eof/, 'client-unexpected-eof'],
  [/^unexpected eof/, 'unexpected-eof'],
  [/^client disconnect while server was not ready/, 'client-disconnect-server-not-ready'],
  [/^client disconnected with quer(?:y|ies) in progress/, 'client-disconnect-mid-query'],
  [/^client disconnect before everything was sent to the server/, 'client-disconnect-mid-query'],
  [/^database configuration changed/, 'database-config-changed'],
  [/server got dirty/, 'server-dirty'],
  [/^pause mode/, 'pause-mode'],
  [/^evicted/, 'evicted'],
  [/^test query failed/, 'test-query-failed'],
  [/^reset query failed/, 'reset-query-failed'],
  [/^connect timeout/, 'connect-timeout'],
  [/^connect failed/, 'connect-failed'],
  [/^server DNS lookup failed/, 'dns-failed'],
  [/^server shutting down/, 'pooler-shutting-down'],
  [/^server login has been failing/, 'server-login-failing'],
  [/^no more connections allowed/, 'max-client-conn'],
  [/^prepared statement did not exist/, 'prepared-statement-missing'],
  [/^prepared statement name is already in use/, 'prepared-statement-exists'],
  [/^transaction blocks not allowed in statement pooling mode/, 'statement-mode-transaction'],
  [/^server (?:closed|sent) .*terminat|^server closed the connection|^server close request/, 'server-close-request'],
  [/^client sent terminate|^client requested close/, 'client-close-request'],
];

/** Normalized name for a PgBouncer close/error reason. */
export function normalizePoolerReason(reason: string): string {
  const r = reason.trim();
  for (const [re, name] of REASONS) if (re.test(r)) return name;
  const slug = r.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, 60) || 'unknown';
}

function sideless(value: string | undefined): string | undefined {
  if (!value || value === '(nodb)' || value === '(nouser)') return undefined;
  return value;
}

/** A line's match: the timestamp text (none from syslog), pid, level and message. */
interface LineMatch {
  ts: string | undefined;
  pid: string | undefined;
  level: string;
  msg: string;
}

function matchLine(line: string): LineMatch | undefined {
  const m = LINE.exec(line);
  if (m) return { ts: m[1], pid: m[2] ?? m[3], level: m[4], msg: m[5] };
  const s = SYSLOG.exec(line);
  return s ? { ts: undefined, pid: s[1], level: s[2], msg: s[3] } : undefined;
}

export function pgbouncerFormat(): FormatParser {
  // Every record is one line, parsed right after `start` matched it: that match is kept for
  // `parse`, so each line is matched once.
  let lastLine: string | undefined;
  let lastMatch: LineMatch | undefined;
  const times = new SecondCache();
  return {
    id: 'pgbouncer',
    origin: 'pooler',
    fixedOrigin: true,
    describe: 'PgBouncer log (timestamp [pid] LEVEL, C-/S- connection prefixes, closing because: ...)',
    perSource: () => pgbouncerFormat(),

    start(line: string): RecordState | undefined {
      const m = matchLine(line);
      if (!m) return undefined;
      lastLine = line;
      lastMatch = m;
      return { complete: true };
    },

    continues() {
      return 'no';
    },

    parse(record: RawRecord): LogEvent[] {
      const fields: ServerEventFields = {};
      const event = recordEvent(record, 'pgbouncer', 'pooler', fields);
      try {
        const line = record.lines[0] ?? '';
        const m = line === lastLine ? lastMatch : matchLine(line);
        if (m) parseInto(m, event, fields, times);
      } catch {
        // keep what was filled
      }
      return [event];
    },
  };
}

function parseInto(m: LineMatch, event: LogEvent, fields: ServerEventFields, times: SecondCache): void {
  if (m.ts) {
    const ts = times.parse(m.ts);
    if (ts) {
      event.ts = ts.ts;
      if (ts.naive) event.tsNaive = true;
    }
  }
  if (m.pid) fields.pid = Number(m.pid);
  const level = m.level;
  fields.severity = level;
  event.level = level === 'LOG' ? 'log' : level === 'NOISE' ? 'debug' : level.toLowerCase();

  let msg = m.msg;
  const conn = CONN.exec(msg);
  let side: string | undefined;
  if (conn) {
    side = conn[1];
    fields.sessionId = `${side}-${conn[2]}`;
    const db = sideless(conn[3]);
    if (db) fields.database = db;
    const user = sideless(conn[4]);
    if (user) fields.user = user;
    // For C- lines the address is the application's; for S- lines it is the PostgreSQL server.
    const addr = conn[5];
    if (side === 'C' && addr) fields.clientAddr = addr.charCodeAt(0) === 91 ? addr.replace(/^\[|\]$/g, '') : addr;
    if (side === 'C' && conn[6]) fields.clientPort = Number(conn[6]);
    msg = conn[7];
  }
  fields.message = msg;

  const closing = CLOSING.exec(msg);
  if (closing) {
    fields.serverEvent = 'pooler-close';
    fields.serverEventKind = normalizePoolerReason(closing[1]);
    fields.detail = closing[1];
    if (closing[2] !== undefined) fields.sessionMs = Math.round(Number(closing[2]) * 1000);
    return;
  }
  const pooler = /^pooler error: (.*)$/.exec(msg);
  if (pooler) {
    const server = classifyServerMessage(pooler[1]);
    fields.serverEvent = 'pooler-error';
    fields.serverEventKind = server && /^prepared-statement/.test(server.serverEvent)
      ? server.serverEvent
      : normalizePoolerReason(pooler[1]);
    fields.detail = pooler[1];
    return;
  }
  const login = /^login attempt: db=(\S*) user=(\S*)/.exec(msg);
  if (login) {
    fields.serverEvent = 'pooler-login';
    fields.database ??= login[1];
    fields.user ??= login[2];
    return;
  }
  if (side === 'S' && msg.startsWith('new connection to server')) {
    fields.serverEvent = 'pooler-server-connect';
    return;
  }
  if (msg.startsWith('stats: ')) {
    fields.serverEvent = 'pooler-stats';
    return;
  }
  const up = /^process up: PgBouncer (\S+?),/.exec(msg);
  if (up) {
    fields.serverEvent = 'pooler-start';
    fields.serverEventKind = 'process-up';
    fields.config = { 'pgbouncer.version': up[1] };
    return;
  }
  const fd = /^kernel file descriptor limit: .*?max_client_conn: (\d+)/.exec(msg);
  if (fd) {
    fields.serverEvent = 'pooler-start';
    fields.serverEventKind = 'fd-limit';
    fields.config = configFromPairs('pgbouncer', [['max_client_conn', fd[1]]]);
    return;
  }
  if (/^listening on /.test(msg)) {
    fields.serverEvent = 'pooler-start';
    fields.serverEventKind = 'listening';
    return;
  }
  const sig = /^got (SIG\w+), (.*)$/.exec(msg);
  if (sig) {
    if (/re-?read|reload/i.test(sig[2])) {
      fields.serverEvent = 'config-value';
      fields.serverEventKind = 'reload';
    } else {
      fields.serverEvent = 'pooler-shutdown';
      fields.serverEventKind = sig[1].toLowerCase();
    }
    return;
  }
  if (/^server connections dropped, exiting/.test(msg) || /^shutting down/.test(msg)) {
    fields.serverEvent = 'pooler-shutdown';
    return;
  }
  // Anything else may still quote a server message (e.g. a forwarded prepared-statement error).
  const quoted = /(prepared statement ".*" (?:does not exist|already exists)|unnamed prepared statement does not exist)/.exec(msg);
  applyClassification(fields, classifyServerMessage(quoted ? quoted[1] : msg));
}
