/**
 * Table of PostgreSQL server messages that matter for lost-connection analysis, shared by the
 * stderr, csvlog and jsonlog parsers. Texts are the untranslated `errmsg` strings listed in
 * the project reference (postgres-server.md); every pattern is anchored at the message start.
 *
 * `classifyServerMessage` returns the normalized `serverEvent` name plus anything the message
 * itself carries (session length, user, database, host, a changed parameter...).
 */
import type { EventFields } from '../../events.js';
import { normalizeEntry } from '../config/config-keys.js';

/**
 * Event fields plus the two extras the server formats fill. `serverEventKind` and `relatedPid`
 * are not yet in the `EventFields` contract (requested from the lead); they are set through
 * this widened type so the data is not lost.
 */
export type ServerEventFields = EventFields & { serverEventKind?: string; relatedPid?: number };

/** A parameter the server reports as changed: known ones normalized, others kept as printed. */
function changedParameter(name: string, value: string): Record<string, string> {
  const entry = normalizeEntry('postgres', name, value);
  return entry ? { [entry[0]]: entry[1] } : { [`postgres.${name.toLowerCase()}`]: value };
}

export interface ServerClassification {
  serverEvent: string;
  /** Qualifier: shutdown kind, crash signal, client-EOF flavour, statement name... */
  serverEventKind?: string;
  /** Another process the message names: the crashed backend, or the sender of a signal. */
  relatedPid?: number;
  sessionMs?: number;
  user?: string;
  database?: string;
  clientAddr?: string;
  application?: string;
  config?: Record<string, string>;
}

type Rule = [RegExp, (m: RegExpExecArray) => ServerClassification];

const ev = (serverEvent: string, serverEventKind?: string): ServerClassification =>
  serverEventKind === undefined ? { serverEvent } : { serverEvent, serverEventKind };

function socketKind(errText: string, fallback: string): string {
  const t = errText.toLowerCase();
  if (t.includes('reset by peer')) return 'connection-reset';
  if (t.includes('timed out')) return 'connection-timed-out';
  if (t.includes('broken pipe')) return 'broken-pipe';
  if (t.includes('no route to host')) return 'no-route-to-host';
  return fallback;
}

/** `h:mm:ss.mmm` (hours may exceed 24) to milliseconds. */
export function sessionTimeMs(h: string, m: string, s: string, ms: string): number {
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms);
}

const RULES: Rule[] = [
  // --- session killed by a server-side timeout or an administrator
  [/^terminating connection due to idle-in-transaction timeout/, () => ev('idle-in-transaction-timeout')],
  [/^terminating connection due to idle-session timeout/, () => ev('idle-session-timeout')],
  [/^terminating connection due to transaction timeout/, () => ev('transaction-timeout')],
  [/^terminating connection due to administrator command/, () => ev('admin-terminate')],
  [
    /^terminating (autovacuum process|logical replication worker|walreceiver process|background worker ".*?"|walsender process|slotsync worker) due to administrator command/,
    (m) => ev('worker-terminate', m[1].replace(/ ".*"$/, '')),
  ],
  [/^terminating connection due to conflict with recovery/, () => ev('recovery-conflict')],
  [/^terminating connection due to unexpected postmaster exit/, () => ev('crash', 'postmaster-exit')],
  [/^canceling statement due to statement timeout/, () => ev('statement-timeout')],
  [/^canceling statement due to user request/, () => ev('cancel-request')],
  [/^canceling statement due to lock timeout/, () => ev('lock-timeout')],

  // --- shutdown / startup sequence
  [/^received (fast|smart|immediate) shutdown request/, (m) => ev('shutdown-request', m[1])],
  [/^aborting any active transactions/, () => ev('shutting-down', 'aborting-transactions')],
  [/^shutting down because "?restart_after_crash"? is off/, () => ev('shutting-down', 'no-restart-after-crash')],
  [/^shutting down\s*$/, () => ev('shutting-down')],
  [/^database system is shut down/, () => ev('shut-down')],
  [/^database system is ready to accept read-only connections/, () => ev('ready', 'read-only')],
  [/^database system is ready to accept connections/, () => ev('ready')],
  [
    /^starting PostgreSQL (\d+(?:\.\d+)?\S*)/,
    (m) => ({ serverEvent: 'postmaster-start', config: { 'postgres.server_version': m[1] } }),
  ],
  [/^database system was shut down at /, () => ev('postmaster-start', 'clean-shutdown-before')],

  // --- crash and crash recovery
  [
    /^(.+?) \(PID (\d+)\) was terminated by signal (\d+)/,
    (m) => ({ serverEvent: 'crash', serverEventKind: `signal-${m[3]}`, relatedPid: Number(m[2]) }),
  ],
  [
    /^(.+?) \(PID (\d+)\) was terminated by exception (0x[0-9A-Fa-f]+)/,
    (m) => ({ serverEvent: 'crash', serverEventKind: `exception-${m[3]}`, relatedPid: Number(m[2]) }),
  ],
  // Not a crash by itself: every fast shutdown logs the replication launcher exiting with code 1.
  [
    /^(.+?) \(PID (\d+)\) exited with exit code (\d+)/,
    (m) => ({ serverEvent: 'process-exit', serverEventKind: `exit-code-${m[3]}`, relatedPid: Number(m[2]) }),
  ],
  [/^terminating any other active server processes/, () => ev('crash', 'terminating-others')],
  [/^all server processes terminated; reinitializing/, () => ev('reinitializing')],
  [/^terminating connection because of crash of another server process/, () => ev('terminating-other-backend')],
  [/^database system was interrupted while in recovery/, () => ev('recovery', 'interrupted-in-recovery')],
  [/^database system was interrupted; last known up at/, () => ev('recovery', 'interrupted')],
  [/^database system was not properly shut down; automatic recovery in progress/, () => ev('recovery', 'automatic-recovery')],
  [/^redo starts at /, () => ev('recovery', 'redo-start')],
  [/^redo done at /, () => ev('recovery', 'redo-done')],

  // --- the client went away, as the server saw it
  [/^unexpected EOF on client connection with an open transaction/, () => ev('client-eof', 'eof-in-transaction')],
  [/^unexpected EOF on client connection\s*$/, () => ev('client-eof', 'eof')],
  [/^could not receive data from client: (.*)/, (m) => ev('client-eof', socketKind(m[1], 'receive-failed'))],
  [/^could not send data to client: (.*)/, (m) => ev('client-eof', socketKind(m[1], 'send-failed'))],
  [/^connection to client lost/, () => ev('client-eof', 'connection-lost')],
  [/^could not accept SSL connection: EOF detected/, () => ev('client-eof', 'ssl-eof')],
  [/^could not accept SSL connection: (.*)/, (m) => ev('client-eof', socketKind(m[1], 'ssl-accept-failed'))],
  [/^SSL error: /, () => ev('client-eof', 'ssl-error')],
  [/^SSL SYSCALL error: (.*)/, (m) => ev('client-eof', socketKind(m[1], 'ssl-syscall'))],

  // --- refused connections
  [/^sorry, too many clients already/, () => ev('too-many-connections', 'server')],
  [/^too many connections for database "(.*)"/, (m) => ({ ...ev('too-many-connections', 'database'), database: m[1] })],
  [/^too many connections for role "(.*)"/, (m) => ({ ...ev('too-many-connections', 'role'), user: m[1] })],
  [/^remaining connection slots are reserved for /, () => ev('too-many-connections', 'reserved')],
  [/^the database system is starting up/, () => ev('starting-up')],
  [/^the database system is in recovery mode/, () => ev('starting-up', 'recovery-mode')],
  [/^the database system is not yet accepting connections/, () => ev('starting-up', 'not-yet-accepting')],
  [/^the database system is not accepting connections/, () => ev('starting-up', 'not-accepting')],
  [/^the database system is shutting down/, () => ev('shutting-down-reject')],

  // --- authentication
  [/^password authentication failed for user "(.*)"/, (m) => ({ ...ev('auth-failed', 'password'), user: m[1] })],
  [
    /^(\S+) authentication failed for user "(.*)"/,
    (m) => ({ ...ev('auth-failed', m[1].toLowerCase().replace(/"/g, '')), user: m[2] }),
  ],
  [/^no pg_hba\.conf entry for host "([^"]*)"(?:, user "([^"]*)")?(?:, database "([^"]*)")?/, (m) => {
    const c: ServerClassification = { ...ev('auth-failed', 'no-hba-entry'), clientAddr: m[1] };
    if (m[2] !== undefined) c.user = m[2];
    if (m[3] !== undefined) c.database = m[3];
    return c;
  }],
  [/^role "(.*)" does not exist/, (m) => ({ ...ev('auth-failed', 'no-role'), user: m[1] })],

  // --- session bookkeeping (log_connections / log_disconnections)
  [/^connection received: host=(\S+)(?: port=(\d+))?/, (m) => ({ serverEvent: 'connection-received', clientAddr: m[1] })],
  [/^connection authorized: user=(\S+)(.*)$/, (m) => {
    const c: ServerClassification = { serverEvent: 'connection-authorized', user: m[1] };
    const db = / database=(\S+)/.exec(m[2]);
    if (db) c.database = db[1];
    const app = / application_name=(.*?)(?: SSL enabled| GSS |$)/.exec(m[2]);
    if (app) c.application = app[1];
    return c;
  }],
  [/^connection authenticated: /, () => ev('connection-authorized', 'authenticated')],
  [/^connection ready: /, () => ev('connection-authorized', 'ready')],
  [
    /^disconnection: session time: (\d+):(\d{2}):(\d{2})\.(\d{3}) user=(\S*) database=(\S*) host=(\S*)/,
    (m) => ({
      serverEvent: 'disconnection',
      sessionMs: sessionTimeMs(m[1], m[2], m[3], m[4]),
      user: m[5],
      database: m[6],
      clientAddr: m[7],
    }),
  ],

  // --- prepared statements (transaction pooling symptoms); kind = statement name
  [/^prepared statement "(.*)" does not exist/, (m) => ev('prepared-statement-missing', m[1])],
  [/^unnamed prepared statement does not exist/, () => ev('prepared-statement-missing', '')],
  [/^prepared statement "(.*)" already exists/, (m) => ev('prepared-statement-exists', m[1])],
  [/^portal "(.*)" does not exist/, (m) => ev('portal-missing', m[1])],

  // --- configuration changes
  [/^received SIGHUP, reloading configuration files/, () => ev('config-value', 'reload')],
  [/^parameter "([^"]+)" changed to "(.*)"$/, (m) => ({
    serverEvent: 'config-value',
    serverEventKind: 'changed',
    config: changedParameter(m[1], m[2]),
  })],
  [/^parameter "([^"]+)" cannot be changed without restarting the server/, (m) => ({
    serverEvent: 'config-value',
    serverEventKind: `pending-restart:${m[1]}`,
  })],
];

const SIGNAL_SENDER = /^Signal sent by PID (\d+), UID (\d+)\./;

/**
 * The rules a message can match, by its first character: a rule whose pattern starts with a
 * literal character is tried only on messages starting with it (most messages are session
 * bookkeeping near the end of the table, and went through every pattern before). Rules that start
 * with a group stay in every list, all in table order, so the first match is the same.
 */
const RULES_BY_FIRST = new Map<string, Rule[]>();
const ANY_FIRST: Rule[] = [];
{
  // The first character when the pattern must start with it: a literal after `^`, not made
  // optional by a quantifier, and no alternative at the top level that could start elsewhere.
  const topLevelAlternative = (src: string): boolean => {
    let depth = 0;
    for (let i = 0; i < src.length; i++) {
      const c = src[i];
      if (c === '\\') i++;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === '|' && depth === 0) return true;
    }
    return false;
  };
  const firstOf = (re: RegExp): string | undefined => {
    const m = /^\^([A-Za-z0-9 ])(?![?*{])/.exec(re.source);
    return m && !re.ignoreCase && !topLevelAlternative(re.source) ? m[1] : undefined;
  };
  const firsts = new Set(RULES.map(([re]) => firstOf(re)).filter((c): c is string => c !== undefined));
  for (const c of firsts) RULES_BY_FIRST.set(c, RULES.filter(([re]) => firstOf(re) === c || firstOf(re) === undefined));
  ANY_FIRST.push(...RULES.filter(([re]) => firstOf(re) === undefined));
}

/**
 * Classify one server message. `detail` is used for the PG 19 signal-sender detail, which is
 * classified as `terminate-signal` on its own and adds `relatedPid` to an admin termination.
 */
export function classifyServerMessage(message: string | undefined, detail?: string): ServerClassification | undefined {
  let result: ServerClassification | undefined;
  if (message) {
    for (const [re, make] of RULES_BY_FIRST.get(message[0]) ?? ANY_FIRST) {
      const m = re.exec(message);
      if (m) {
        result = make(m);
        break;
      }
    }
  }
  const sender = detail ? SIGNAL_SENDER.exec(detail) : null;
  if (sender) {
    if (!result) return { serverEvent: 'terminate-signal', relatedPid: Number(sender[1]) };
    result.relatedPid ??= Number(sender[1]);
  }
  return result;
}

/** PostgreSQL severity word to the normalized event level. */
export function pgLevel(severity: string | undefined): string | undefined {
  if (!severity) return undefined;
  const s = severity.toUpperCase();
  if (s.startsWith('DEBUG')) return 'debug';
  switch (s) {
    case 'LOG':
      return 'log';
    case 'INFO':
    case 'NOTICE':
      return 'info';
    case 'WARNING':
      return 'warning';
    case 'ERROR':
      return 'error';
    case 'FATAL':
      return 'fatal';
    case 'PANIC':
      return 'panic';
    default:
      return undefined;
  }
}

/** Copy a classification into event fields without overwriting what the format already set. */
export function applyClassification(fields: ServerEventFields, c: ServerClassification | undefined): void {
  if (!c) return;
  fields.serverEvent = c.serverEvent;
  if (c.serverEventKind !== undefined) fields.serverEventKind = c.serverEventKind;
  if (c.relatedPid !== undefined) fields.relatedPid = c.relatedPid;
  if (c.sessionMs !== undefined) fields.sessionMs = c.sessionMs;
  if (c.user !== undefined && c.user !== '' && fields.user === undefined) fields.user = c.user;
  if (c.database !== undefined && c.database !== '' && fields.database === undefined) fields.database = c.database;
  if (c.clientAddr !== undefined && c.clientAddr !== '' && fields.clientAddr === undefined) fields.clientAddr = c.clientAddr;
  if (c.application !== undefined && c.application !== '' && fields.application === undefined) fields.application = c.application;
  if (c.config) fields.config = { ...(fields.config ?? {}), ...c.config };
}

/** Session values printed as `[unknown]` or empty carry no identity. */
export function identity(value: string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (v === '' || v === '[unknown]') return undefined;
  return v;
}

/** `10.0.0.1(5432)` or `10.0.0.1:5432` (csvlog) to the host part; `[local]` kept. */
export function hostOnly(value: string | undefined | null): string | undefined {
  const v = identity(value);
  if (!v) return undefined;
  const paren = /^(.*)\((\d+)\)$/.exec(v);
  if (paren) return paren[1];
  const colon = /^([^:[\]]+):(\d+)$/.exec(v);
  if (colon) return colon[1];
  const bracket = /^\[([0-9A-Fa-f:.]+)\]:(\d+)$/.exec(v);
  if (bracket) return bracket[1];
  return v;
}

/** SQLSTATEs worth recording: `00000` (success, printed on every LOG line by `%e`) is noise. */
export function sqlstateList(...codes: Array<string | undefined>): string[] | undefined {
  const out: string[] = [];
  for (const c of codes) if (c && /^[0-9A-Z]{5}$/.test(c) && c !== '00000' && !out.includes(c)) out.push(c);
  return out.length > 0 ? out : undefined;
}
