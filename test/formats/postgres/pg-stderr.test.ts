import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/events.js';
import { pgStderrFormat } from '../../../src/formats/postgres/pg-stderr.js';
import { serverFormats } from '../../../src/formats/index.js';
import { drive } from '../drive-server.js';

const sample = (name: string) => readFileSync(new URL(`../../../samples/server/${name}`, import.meta.url), 'utf8');
const run = (text: string, pgPrefix?: string) => drive([pgStderrFormat({ pgPrefix })], text);
const ext = (e: LogEvent) => e.fields as LogEvent['fields'] & { serverEventKind?: string; relatedPid?: number };
const byEvent = (events: LogEvent[], name: string) => events.filter((e) => e.fields.serverEvent === name);

describe('pg-stderr on real PostgreSQL 15 output (Debian prefix %m [%p] %q%u@%d )', () => {
  const events = run(sample('pg15-stderr-debian-prefix.log'));

  it('makes one event per entry, attaching STATEMENT/DETAIL lines', () => {
    expect(events.every((e) => e.format === 'pg-stderr')).toBe(true);
    expect(events).toHaveLength(86);
  });

  it('reads the idle-in-transaction FATAL with session identity and time', () => {
    const [e] = byEvent(events, 'idle-in-transaction-timeout');
    expect(e.line).toBe(16);
    expect(e.ts).toBe(Date.UTC(2026, 10, 25, 13, 41, 40, 886));
    expect(e.tsNaive).toBeUndefined();
    expect(e.level).toBe('fatal');
    expect(e.fields).toMatchObject({
      pid: 5838, user: 'app', database: 'appdb', severity: 'FATAL',
      message: 'terminating connection due to idle-in-transaction timeout',
    });
  });

  it('attaches a TAB-continued multi-line STATEMENT', () => {
    const e = events.find((x) => x.fields.message?.startsWith('column "no_such_column"'))!;
    expect([e.line, e.endLine]).toEqual([30, 33]);
    expect(e.fields.sql).toBe('SELECT 1,\n       no_such_column\n  FROM pg_class;');
  });

  it('attaches DETAIL to the auth failure', () => {
    const [e] = byEvent(events, 'auth-failed');
    expect([e.line, e.endLine]).toEqual([45, 46]);
    expect(e.fields.user).toBe('app');
    expect(e.fields.detail).toMatch(/^Connection matched pg_hba\.conf line 91: /);
  });

  it('classifies admin terminate, shutdown, crash and recovery lines', () => {
    const admin = byEvent(events, 'admin-terminate');
    expect(admin.map((e) => [e.fields.pid, e.fields.sql])).toEqual([[5853, 'SELECT pg_sleep(20)'], [5926, 'SELECT pg_sleep(20)']]);
    const [shut] = byEvent(events, 'shutdown-request');
    expect(ext(shut).serverEventKind).toBe('fast');
    expect(byEvent(events, 'shut-down')).toHaveLength(1);
    expect(byEvent(events, 'ready')).toHaveLength(2);
    const crash = byEvent(events, 'crash');
    expect(crash.map((e) => [ext(e).serverEventKind, ext(e).relatedPid])).toEqual([['signal-9', 5894], ['terminating-others', undefined]]);
    expect(crash[0].fields.detail).toBe('Failed process was running: SELECT pg_sleep(20)');
    expect(byEvent(events, 'reinitializing')).toHaveLength(1);
    expect(byEvent(events, 'recovery').map((e) => ext(e).serverEventKind)).toEqual(['interrupted', 'automatic-recovery', 'redo-start', 'redo-done']);
    // every fast shutdown logs the replication launcher exiting with code 1: not a crash
    expect(ext(byEvent(events, 'process-exit')[0]).serverEventKind).toBe('exit-code-1');
  });

  it('reads disconnection session time and the client host', () => {
    const d = byEvent(events, 'disconnection').find((e) => e.fields.pid === 5864)!;
    expect(d.fields).toMatchObject({ sessionMs: 3010, user: 'limited', database: 'appdb', clientAddr: '127.0.0.1' });
  });

  it('classifies timeouts, client EOF, refusals, prepared statements and config changes', () => {
    expect(byEvent(events, 'idle-session-timeout')).toHaveLength(1);
    expect(ext(byEvent(events, 'client-eof')[0]).serverEventKind).toBe('eof-in-transaction');
    expect(ext(byEvent(events, 'too-many-connections')[0]).serverEventKind).toBe('role');
    expect(ext(byEvent(events, 'prepared-statement-missing')[0]).serverEventKind).toBe('s_1');
    expect(ext(byEvent(events, 'prepared-statement-exists')[0]).serverEventKind).toBe('p1');
    const [changed] = byEvent(events, 'config-value').filter((e) => ext(e).serverEventKind === 'changed');
    expect(changed.fields.config).toEqual({ 'postgres.idle_session_timeout': '600' });
    const auth = byEvent(events, 'connection-authorized').find((e) => e.fields.pid === 5835 && !ext(e).serverEventKind)!;
    expect(auth.fields.application).toBe('psql');
    const recv = byEvent(events, 'connection-received')[0];
    expect(recv.fields.user).toBeUndefined(); // printed as [unknown]
  });
});

describe('prefix inference on real output', () => {
  it('pgBadger style %t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h', () => {
    const [e] = byEvent(run(sample('pg15-stderr-pgbadger.log')), 'idle-in-transaction-timeout');
    expect(e.fields).toMatchObject({ pid: 5952, user: 'app', database: 'appdb', application: 'psql', clientAddr: '127.0.0.1' });
    expect(e.ts).toBe(Date.UTC(2026, 10, 25, 13, 42, 0));
  });

  it('RDS style %t:%r:%u@%d:[%p]:', () => {
    const events = run(sample('pg15-stderr-rds.log'));
    const [e] = byEvent(events, 'idle-in-transaction-timeout');
    expect(e.fields).toMatchObject({ pid: 6044, user: 'app', database: 'appdb', clientAddr: '127.0.0.1' });
    expect(ext(byEvent(events, 'shutdown-request')[0])).toMatchObject({ pid: 6031, serverEventKind: 'smart' });
  });

  it('Azure flexible server style %t-%c-', () => {
    const events = run(sample('pg15-stderr-azure.log'));
    const [e] = byEvent(events, 'idle-in-transaction-timeout');
    expect(e.fields.sessionId).toBe('6b06e5c4.1848');
    expect(ext(byEvent(events, 'shutdown-request')[0]).serverEventKind).toBe('immediate');
  });

  it('default %m [%p]', () => {
    const events = run(sample('pg15-stderr-default.log'));
    expect(events.every((e) => e.format === 'pg-stderr')).toBe(true);
    const [e] = byEvent(events, 'admin-terminate');
    expect(e.fields).toMatchObject({ pid: 6002, sql: 'SELECT pg_sleep(20)' });
  });

  it('older Ubuntu %t [%p-%l] %q%u@%d', () => {
    const [e] = run('2024-03-01 08:00:00 CET [2211-3] etl@dw FATAL:  terminating connection due to idle-session timeout\n');
    expect(e.fields).toMatchObject({ pid: 2211, user: 'etl', database: 'dw', serverEvent: 'idle-session-timeout' });
    expect(e.ts).toBe(Date.UTC(2024, 2, 1, 7, 0, 0));
  });

  it('unknown prefix: falls back to timestamp ... SEVERITY, pid from [n]', () => {
    const events = run(sample('pg15-stderr-verbose.log'));
    const [e] = byEvent(events, 'idle-in-transaction-timeout');
    expect(e.fields).toMatchObject({ pid: 6321, sqlstates: ['25P03'] });
    // LOCATION lines of verbose mode attach to their entry
    expect([e.line, e.endLine]).toEqual([35, 36]);
  });

  it('stated prefix with many escapes (--pg-prefix)', () => {
    const events = run(sample('pg15-stderr-epoch.log'), '%n [%p] %c %s %v %x %i %b %Q %r %% ');
    expect(events.every((e) => e.format === 'pg-stderr')).toBe(true);
    const [e] = byEvent(events, 'idle-in-transaction-timeout');
    expect(e.fields).toMatchObject({ pid: 6375, sessionId: '6b06e5cb.18e7', clientAddr: '127.0.0.1' });
    expect(e.ts).toBe(1795614156502);
  });

  it('stated verbose prefix gives user/database/application', () => {
    const [e] = byEvent(run(sample('pg15-stderr-verbose.log'), '%m [%p] %q[%l] %e %u@%d/%a '), 'admin-terminate');
    expect(e.fields).toMatchObject({ pid: 6331, user: 'app', database: 'appdb', application: 'psql', sqlstates: ['57P01'] });
  });

  it('empty prefix: bare severity lines, with bare STATEMENT attached', () => {
    const events = run([
      'STATEMENT:  UPDATE jobs SET state = 1',
      'LOG:  received fast shutdown request',
      'FATAL:  terminating connection due to administrator command',
      'STATEMENT:  SELECT 1',
    ].join('\n'));
    expect(events.map((e) => [e.line, e.endLine, e.fields.serverEvent ?? null])).toEqual([
      [1, 1, null], [2, 2, 'shutdown-request'], [3, 4, 'admin-terminate'],
    ]);
    expect(events[0].fields.sql).toBe('UPDATE jobs SET state = 1');
  });
});

describe('hand-written PG 17-19 lines (postgres-server.md wording)', () => {
  const events = run(sample('handwritten-pg17-19-stderr.log'));

  it('PG19 signal-sender DETAIL adds relatedPid to the admin termination', () => {
    const [e] = byEvent(events, 'admin-terminate');
    expect([e.line, e.endLine]).toEqual([9, 13]);
    expect(ext(e).relatedPid).toBe(4100);
    expect(e.fields.detail).toBe('Signal sent by PID 4100, UID 999.');
    expect(e.fields.sql).toBe('SELECT *\n  FROM big_table\n WHERE id > 10;');
  });

  it('a lone signal-sender DETAIL is terminate-signal', () => {
    const [e] = run('2026-05-01 10:06:10.300 UTC [905] app@appdb DETAIL:  Signal sent by PID 1, UID 26.\n');
    expect(ext(e)).toMatchObject({ serverEvent: 'terminate-signal', relatedPid: 1, pid: 905 });
  });

  it('PG18 crash wording, transaction timeout, 57P03 and socket errors', () => {
    expect(ext(byEvent(events, 'crash')[0])).toMatchObject({ serverEventKind: 'signal-9', relatedPid: 930 });
    expect(byEvent(events, 'transaction-timeout')).toHaveLength(1);
    expect(byEvent(events, 'starting-up').map((e) => ext(e).serverEventKind ?? '')).toEqual(['recovery-mode', '']);
    expect(byEvent(events, 'shutting-down-reject')).toHaveLength(1);
    expect(byEvent(events, 'client-eof').map((e) => ext(e).serverEventKind)).toEqual([
      'connection-reset', 'connection-timed-out', 'broken-pipe', 'connection-lost',
    ]);
    expect(byEvent(events, 'too-many-connections').map((e) => ext(e).serverEventKind)).toEqual(['server', 'reserved']);
    expect(byEvent(events, 'connection-authorized').map((e) => ext(e).serverEventKind ?? '')).toEqual(['authenticated', '', 'ready']);
    expect(byEvent(events, 'disconnection')[0].fields.sessionMs).toBe(300_019);
  });
});

describe('pg-stderr does not take client log lines', () => {
  const fmt = pgStderrFormat();
  it.each([
    '2024-05-01 12:00:00,123 - etl - ERROR - (psycopg2.OperationalError) FATAL:  terminating connection due to administrator command',
    '2024-05-01T12:00:00.123Z [ERROR] psycopg2.OperationalError: FATAL:  terminating connection due to administrator command',
    "psql: error: connection to server at \"127.0.0.1\", port 55433 failed: FATAL:  password authentication failed for user \"app\"",
    'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) FATAL:  terminating connection due to idle-session timeout',
    '  FATAL:  terminating connection due to administrator command',
    '2026-11-25 13:42:51.878 UTC [6410] WARNING C-0x55abc3777930: appdb/app@127.0.0.1:49754 pooler error: server conn crashed?',
  ])('%s', (line) => {
    expect(fmt.start(line)).toBeUndefined();
  });
});

describe('registry order', () => {
  it('server formats keep each file to its own format', () => {
    const fmts = serverFormats({});
    expect(fmts.map((f) => f.id)).toEqual(['pg-json', 'pg-csv', 'pgbouncer', 'pg-stderr', 'config']);
    for (const [file, id] of [
      ['pg15-stderr-debian-prefix.log', 'pg-stderr'],
      ['pg15-stderr-behind-pgbouncer.log', 'pg-stderr'],
      ['pgbouncer-1.18-transaction.log', 'pgbouncer'],
      ['pg15-csvlog.csv', 'pg-csv'],
      ['pg15-jsonlog.json', 'pg-json'],
    ] as const) {
      const events = drive(fmts, sample(file));
      expect(events.filter((e) => e.format !== id).map((e) => e.text)).toEqual([]);
    }
  });
});

describe('pg-stderr locks the log_line_prefix of each source', () => {
  // '%m [%p] %q[%l] %u@%d ' is the eleventh shape tried: once the first line found it, the
  // next is read with it first, and must come out the same as when every shape is tried.
  const text = [
    '2024-05-01 10:00:00.000 UTC [42] [1] app@appdb LOG:  connection authorized: user=app database=appdb',
    '2024-05-01 10:00:01.000 UTC [42] [2] app@appdb FATAL:  terminating connection due to idle-in-transaction timeout',
  ].join('\n');
  it('reads every line with the prefix it detected, per source', () => {
    const events = run(text);
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.fields.user)).toEqual(['app', 'app']);
    expect(events[1].fields).toMatchObject({ pid: 42, database: 'appdb', severity: 'FATAL' });
    // a fresh source starts unlocked: the Debian prefix is found again on its own lines
    const other = drive([pgStderrFormat().perSource!()], '2024-05-01 10:00:00.000 UTC [9] bob@db LOG:  disconnection: session time: 0:00:01.000 user=bob database=db host=x');
    expect(other[0].fields).toMatchObject({ pid: 9, user: 'bob', database: 'db' });
  });
});
