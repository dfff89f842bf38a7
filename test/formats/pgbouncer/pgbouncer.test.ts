import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/events.js';
import { normalizePoolerReason, pgbouncerFormat } from '../../../src/formats/pgbouncer/pgbouncer.js';
import { drive } from '../drive-server.js';

const sample = (name: string) => readFileSync(new URL(`../../../samples/server/${name}`, import.meta.url), 'utf8');
const ext = (e: LogEvent) => e.fields as LogEvent['fields'] & { serverEventKind?: string; relatedPid?: number };

describe('pgbouncer on real PgBouncer 1.18 output (transaction pooling)', () => {
  const events = drive([pgbouncerFormat()], sample('pgbouncer-1.18-transaction.log'));

  it('one event per line', () => {
    expect(events).toHaveLength(43);
    expect(events.every((e) => e.format === 'pgbouncer' && e.origin === 'pooler')).toBe(true);
  });

  it('reads a client close with its connection id, db/user/addr, reason and age', () => {
    const e = events.find((x) => x.line === 11)!;
    expect(e.ts).toBe(Date.UTC(2026, 10, 25, 13, 42, 42, 114));
    expect(ext(e)).toMatchObject({
      pid: 6410, severity: 'LOG', sessionId: 'C-0x55abc3777930', database: 'appdb', user: 'app',
      clientAddr: '127.0.0.1', serverEvent: 'pooler-close', serverEventKind: 'idle-transaction-timeout',
      sessionMs: 2000, message: 'closing because: idle transaction timeout (age=2s)',
    });
  });

  it('server-side lines keep the S- id and do not claim the server address as client', () => {
    const e = events.find((x) => x.line === 10)!;
    expect(ext(e)).toMatchObject({ sessionId: 'S-0x55abc377f010', serverEvent: 'pooler-close', serverEventKind: 'idle-transaction-timeout' });
    expect(e.fields.clientAddr).toBeUndefined();
  });

  it('normalizes every close reason seen', () => {
    const kinds = events.filter((e) => e.fields.serverEvent === 'pooler-close').map((e) => ext(e).serverEventKind);
    expect([...new Set(kinds)]).toEqual([
      'client-close-request', 'idle-transaction-timeout', 'server-idle-timeout', 'client-idle-timeout',
      'server-conn-crashed', 'query-wait-timeout', 'client-unexpected-eof', 'pause-mode',
    ]);
    const errs = events.filter((e) => e.fields.serverEvent === 'pooler-error');
    expect(errs.map((e) => [e.level, ext(e).serverEventKind])).toEqual([
      ['warning', 'idle-transaction-timeout'], ['warning', 'client-idle-timeout'],
      ['warning', 'server-conn-crashed'], ['warning', 'query-wait-timeout'],
    ]);
  });

  it('startup, login, stats and shutdown lines', () => {
    expect(ext(events[0])).toMatchObject({ serverEvent: 'pooler-start', serverEventKind: 'fd-limit', config: { 'pgbouncer.max_client_conn': '10' } });
    expect(ext(events[2])).toMatchObject({ serverEvent: 'pooler-start', config: { 'pgbouncer.version': '1.18.0' } });
    expect(events[3].fields).toMatchObject({ serverEvent: 'pooler-login', database: 'appdb', user: 'app' });
    expect(events[4].fields.serverEvent).toBe('pooler-server-connect');
    expect(events.filter((e) => e.fields.serverEvent === 'pooler-stats')).toHaveLength(6);
    expect(ext(events[40])).toMatchObject({ serverEvent: 'pooler-shutdown', serverEventKind: 'sigint' });
  });
});

describe('pgbouncer hand-written lines (pgbouncer.md wording, 1.24)', () => {
  const events = drive([pgbouncerFormat()], sample('handwritten-pgbouncer-1.24.log'));
  it('reasons, IPv6 and unix addresses, prepared-statement symptoms', () => {
    expect(events.map((e) => ext(e).serverEventKind)).toEqual([
      'process-up', 'client-unexpected-eof', 'server-lifetime', 'client-disconnect-server-not-ready',
      'prepared-statement-missing', 'prepared-statement-missing', 'test-query-failed',
      'no-such-database-nosuchdb', 'server-login-failing', 'reload', 'sigterm',
    ]);
    expect(events[1].fields.sessionMs).toBe(431_000);
    expect(events[2].fields.sessionMs).toBe(3_600_000);
    expect(events[4].fields.clientAddr).toBe('2001:db8::7');
    expect(events[7].fields.database).toBeUndefined();
    expect(events[7].fields.clientAddr).toBe('unix(4242)');
  });
});

describe('pgbouncer start()', () => {
  const f = pgbouncerFormat();
  it('accepts the old pid-without-brackets layout, rejects PostgreSQL lines', () => {
    expect(f.start('2014-03-25 11:24:53.398 22335 LOG C-0x1: db/u@1.2.3.4:5000 closing because: client close request (age=0)')).toBeDefined();
    expect(f.start('2026-11-25 13:41:59.550 UTC [5822] LOG:  received fast shutdown request')).toBeUndefined();
  });
  it('normalizePoolerReason slugifies unknown reasons', () => {
    expect(normalizePoolerReason('server conn crashed?')).toBe('server-conn-crashed');
    expect(normalizePoolerReason('Something New!')).toBe('something-new');
  });
});
