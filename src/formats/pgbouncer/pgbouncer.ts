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
import type { FormatParser, RecordState } from '../types.js';
import { parseTimestamp } from '../common/timestamp.js';
import { applyClassification, classifyServerMessage, type ServerEventFields } from '../postgres/pg-messages.js';
import { configFromPairs } from '../config/config-keys.js';

const LEVELS = 'FATAL|ERROR|WARNING|LOG|DEBUG|NOISE';
const LINE = new RegExp(
  `^(?<ts>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?(?: [A-Za-z0-9+:-]{1,8})?) (?:\\[(?<pid>\\d+)\\]|(?<pid2>\\d+)) (?<level>${LEVELS}) (?<msg>.*)$`,
);
const SYSLOG = new RegExp(
  `^[A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\S+ pgbouncer\\[(?<pid>\\d+)\\]: (?<level>${LEVELS}) (?<msg>.*)$`,
);
const CONN = /^(?<side>[CS])-(?<ptr>0x[0-9a-fA-F]+|\(nil\)): (?:(?<db>[^/\s]*)\/(?<user>[^@\s]*)@(?<addr>\[[^\]]*\]|[^\s:]*):(?<port>\d+)|peer-\d+@\S+) ?(?<rest>.*)$/;
const CLOSING = /^closing because: (?<reason>.*?)(?: \(age=(?<age>\d+(?:\.\d+)?)s\))?\s*$/;

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

export function pgbouncerFormat(): FormatParser {
  return {
    id: 'pgbouncer',
    origin: 'pooler',
    fixedOrigin: true,
    describe: 'PgBouncer log (timestamp [pid] LEVEL, C-/S- connection prefixes, closing because: ...)',

    start(line: string): RecordState | undefined {
      if (!LINE.test(line) && !SYSLOG.test(line)) return undefined;
      return { complete: true };
    },

    continues() {
      return 'no';
    },

    parse(record: RawRecord): LogEvent[] {
      const fields: ServerEventFields = {};
      const event = recordEvent(record, 'pgbouncer', 'pooler', fields);
      try {
        parseInto(record.lines[0] ?? '', event, fields);
      } catch {
        // keep what was filled
      }
      return [event];
    },
  };
}

function parseInto(line: string, event: LogEvent, fields: ServerEventFields): void {
  const m = LINE.exec(line) ?? SYSLOG.exec(line);
  if (!m?.groups) return;
  const g = m.groups;
  if (g.ts) {
    const ts = parseTimestamp(g.ts);
    if (ts) {
      event.ts = ts.ts;
      if (ts.naive) event.tsNaive = true;
    }
  }
  const pid = g.pid ?? g.pid2;
  if (pid) fields.pid = Number(pid);
  const level = g.level;
  fields.severity = level;
  event.level = level === 'LOG' ? 'log' : level === 'NOISE' ? 'debug' : level.toLowerCase();

  let msg = g.msg;
  const conn = CONN.exec(msg);
  let side: string | undefined;
  if (conn?.groups) {
    const c = conn.groups;
    side = c.side;
    fields.sessionId = `${c.side}-${c.ptr}`;
    const db = sideless(c.db);
    if (db) fields.database = db;
    const user = sideless(c.user);
    if (user) fields.user = user;
    // For C- lines the address is the application's; for S- lines it is the PostgreSQL server.
    if (c.side === 'C' && c.addr) fields.clientAddr = c.addr.replace(/^\[|\]$/g, '');
    if (c.side === 'C' && c.port) fields.clientPort = Number(c.port);
    msg = c.rest;
  }
  fields.message = msg;

  const closing = CLOSING.exec(msg);
  if (closing?.groups) {
    fields.serverEvent = 'pooler-close';
    fields.serverEventKind = normalizePoolerReason(closing.groups.reason);
    fields.detail = closing.groups.reason;
    if (closing.groups.age !== undefined) fields.sessionMs = Math.round(Number(closing.groups.age) * 1000);
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
