import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/events.js';
import { pgCsvFormat, splitCsv } from '../../../src/formats/postgres/pg-csv.js';
import { pgJsonFormat } from '../../../src/formats/postgres/pg-json.js';
import { drive } from '../drive-server.js';

const sample = (name: string) => readFileSync(new URL(`../../../samples/server/${name}`, import.meta.url), 'utf8');
const ext = (e: LogEvent) => e.fields as LogEvent['fields'] & { serverEventKind?: string; relatedPid?: number };

describe('pg-csv on real PostgreSQL 15 csvlog', () => {
  const events = drive([pgCsvFormat()], sample('pg15-csvlog.csv'));

  it('makes one event per entry, spanning quoted newlines', () => {
    expect(events.every((e) => e.format === 'pg-csv')).toBe(true);
    expect(events).toHaveLength(86);
    const e = events.find((x) => x.fields.message === 'column "no_such_column" does not exist')!;
    expect([e.line, e.endLine]).toEqual([28, 30]);
    expect(e.fields.sql).toBe('SELECT 1,\n       no_such_column\n  FROM pg_class;');
    expect(e.fields.sqlstates).toEqual(['42703']);
  });

  it('reads columns: time, user, db, pid, host, session id, severity, SQLSTATE, application', () => {
    const e = events.find((x) => x.fields.serverEvent === 'idle-in-transaction-timeout')!;
    expect(e.ts).toBe(Date.UTC(2026, 10, 25, 13, 41, 40, 886));
    expect(e.level).toBe('fatal');
    expect(e.fields).toMatchObject({
      user: 'app', database: 'appdb', pid: 5838, clientAddr: '127.0.0.1', severity: 'FATAL',
      sqlstates: ['25P03'], application: 'psql',
      message: 'terminating connection due to idle-in-transaction timeout',
    });
    expect(e.fields.sessionId).toMatch(/^[0-9a-f]+\.[0-9a-f]+$/);
  });

  it('unescapes doubled quotes and reads detail columns', () => {
    const crash = events.find((x) => x.fields.serverEvent === 'crash')!;
    expect(ext(crash)).toMatchObject({ relatedPid: 5894, serverEventKind: 'signal-9', detail: 'Failed process was running: SELECT pg_sleep(20)' });
    const listen = events.find((x) => x.fields.message?.startsWith('listening on IPv4'))!;
    expect(listen.fields.message).toBe('listening on IPv4 address "127.0.0.1", port 55433');
  });

  it('agrees with jsonlog written by the same server run', () => {
    const json = drive([pgJsonFormat()], sample('pg15-jsonlog.json'));
    const key = (e: LogEvent) => [e.ts, e.fields.pid, e.fields.serverEvent ?? '', ext(e).serverEventKind ?? '', e.fields.user ?? ''].join('|');
    expect(events.map(key)).toEqual(json.map(key));
  });

  it('accepts an older column count (PG 12: no backend_type and later)', () => {
    const line = '2021-02-26 10:01:28.885 UTC,"app","appdb",4711,"10.0.0.9:51000",6038a3a8.1267,3,"idle in transaction",2021-02-26 10:00:00 UTC,3/4,0,FATAL,25P03,"terminating connection due to idle-in-transaction timeout",,,,,,,,,"worker"';
    const [e] = drive([pgCsvFormat()], line);
    expect(e.fields).toMatchObject({ pid: 4711, clientAddr: '10.0.0.9', application: 'worker', serverEvent: 'idle-in-transaction-timeout' });
  });

  it('start() ignores non-csv lines and continues only while a quote is open', () => {
    const f = pgCsvFormat();
    expect(f.start('2026-11-25 13:41:39.693 UTC [5822] LOG:  starting PostgreSQL 15.18')).toBeUndefined();
    const st = f.start('2026-11-25 13:41:43.935 UTC,"app","appdb",5848,"127.0.0.1:57410",6b06e597.16d8,6,"SELECT",2026-11-25 13:41:43 UTC,3/16,0,ERROR,42703,"x",,,,,,"SELECT 1,')!;
    expect(f.continues(st, '  FROM t;",18,,"psql","client backend",,0', 1)).toBe('must');
    expect(f.continues(st, '2026-11-25 13:41:43.936 UTC,,,1,,a.b,1,,2026-11-25 13:41:43 UTC,,0,LOG,00000,"y",,,,,,,,,"","postmaster",,0', 2)).toBe('no');
  });

  it('splitCsv handles empty fields, doubled quotes and newlines', () => {
    expect(splitCsv('a,"b ""c""",,"d\ne"')).toEqual(['a', 'b "c"', '', 'd\ne']);
  });
});
