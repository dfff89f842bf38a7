import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pythonTraceback } from '../../../src/formats/python/python-traceback.js';
import { parseExceptionHeader } from '../../../src/formats/python/python-exception-grammar.js';
import { codeForClass } from '../../../src/formats/common/client-sqlstate.js';
import { drive, driveRecords, spans } from '../drive.js';

const sample = (name: string) => readFileSync(new URL(`../../../samples/formats/${name}`, import.meta.url), 'utf8');

const SEED_SQLALCHEMY = [
  'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) FATAL:  connection does not exist',
  'SSLERROR: decryption failed or bad record mac',
  '[SQL: SELECT id, updated_at FROM public.fact_orders WHERE updated_at > %(ts)s]',
  '(Background on this error at: https://sqlalche.me/e/14/e3q8)',
];

describe('python-traceback: exception header grammar', () => {
  it('reads outer class, driver and message', () => {
    expect(parseExceptionHeader(SEED_SQLALCHEMY[0])).toEqual({
      ok: true,
      value: {
        exception: 'sqlalchemy.exc.OperationalError',
        wrapped: 'psycopg2.OperationalError',
        message: 'FATAL:  connection does not exist',
      },
    });
  });

  it('reads the asyncpg adapter form with its <class> repr', () => {
    const r = parseExceptionHeader(
      "sqlalchemy.exc.DBAPIError: (sqlalchemy.dialects.postgresql.asyncpg.Error) <class 'asyncpg.exceptions.ConnectionDoesNotExistError'>: connection was closed in the middle of operation",
    );
    expect(r).toEqual({
      ok: true,
      value: {
        exception: 'sqlalchemy.exc.DBAPIError',
        wrapped: 'sqlalchemy.dialects.postgresql.asyncpg.Error',
        reprClass: 'asyncpg.exceptions.ConnectionDoesNotExistError',
        message: 'connection was closed in the middle of operation',
      },
    });
  });

  it('keeps a parenthesised message that is not a driver class', () => {
    expect(parseExceptionHeader('ValueError: (1, 2) is not a row')).toEqual({
      ok: true,
      value: { exception: 'ValueError', message: '(1, 2) is not a row' },
    });
  });

  it('accepts a class with no message and reports errors as data', () => {
    expect(parseExceptionHeader('KeyboardInterrupt')).toEqual({ ok: true, value: { exception: 'KeyboardInterrupt', message: '' } });
    const bad = parseExceptionHeader('just some words');
    expect(bad.ok).toBe(false);
    expect(parseExceptionHeader('').ok).toBe(false);
  });
});

describe('python-traceback: SQLSTATE from driver classes', () => {
  it.each([
    ['psycopg2.errors.AdminShutdown', '57P01'],
    ['psycopg.errors.IdleInTransactionSessionTimeout', '25P03'],
    ['psycopg2.errors.IdleSessionTimeout', '57P05'],
    ['psycopg2.errors.CannotConnectNow', '57P03'],
    ['psycopg2.errors.TooManyConnections', '53300'],
    ['psycopg2.errors.InvalidPassword', '28P01'],
    ['psycopg.errors.InvalidSqlStatementName', '26000'],
    ['psycopg2.errors.ConnectionDoesNotExist', '08003'],
    ['psycopg2.errors.ConnectionFailure', '08006'],
    ['psycopg2.errors.SqlclientUnableToEstablishSqlconnection', '08001'],
    ['asyncpg.exceptions.ConnectionDoesNotExistError', '08003'],
    ['IdleInTransactionSessionTimeout', '25P03'],
  ])('%s → %s', (cls, code) => {
    expect(codeForClass(cls)).toBe(code);
  });

  it('does not give codes to DB-API base classes or foreign modules', () => {
    expect(codeForClass('psycopg2.OperationalError')).toBeUndefined();
    expect(codeForClass('myapp.errors.AdminShutdown')).toBeUndefined();
  });
});

describe('python-traceback: records', () => {
  it('parses the seed SQLAlchemy part as one complete record', () => {
    const recs = driveRecords(SEED_SQLALCHEMY);
    expect(recs).toHaveLength(1);
    expect(recs[0].state.complete).toBe(true);
    const [ev] = recs[0].events;
    expect(ev).toMatchObject({ line: 1, endLine: 4, format: 'python-traceback', origin: 'client', level: 'error' });
    expect(ev.fields).toEqual({
      exception: 'sqlalchemy.exc.OperationalError',
      driver: 'psycopg2.OperationalError',
      message: 'FATAL:  connection does not exist',
      detail: 'SSLERROR: decryption failed or bad record mac',
      sql: 'SELECT id, updated_at FROM public.fact_orders WHERE updated_at > %(ts)s',
      backgroundCode: 'e3q8',
    });
  });

  it('ends the record at the background link', () => {
    expect(spans([...SEED_SQLALCHEMY, 'next unrelated line'])).toEqual(['python-traceback:1-4', 'generic:5-5']);
  });

  it('keeps a chained traceback together and reports the last exception', () => {
    const recs = driveRecords(sample('sqlalchemy-traceback.log'));
    expect(recs.map((r) => `${r.format}:${r.record.line}-${r.record.endLine}`)).toEqual(['python-traceback:1-36']);
    expect(recs[0].state.complete).toBe(true);
    expect(recs[0].events[0].fields).toEqual({
      exception: 'sqlalchemy.exc.OperationalError',
      driver: 'psycopg2.errors.AdminShutdown',
      message: 'terminating connection due to administrator command',
      detail: 'server closed the connection unexpectedly\nThis probably means the server terminated abnormally\nbefore or while processing the request.',
      sql: 'SELECT orders.id, orders.updated_at \nFROM orders \nWHERE orders.updated_at > %(ts)s',
      parameters: "{'ts': datetime.datetime(2024, 5, 1, 11, 0)}",
      backgroundCode: 'e3q8',
      sqlstates: ['57P01'],
    });
  });

  it('reads the asyncpg chain: driver class, 08003 and the dbapi code', () => {
    const [ev] = drive(sample('sqlalchemy-asyncpg.log'));
    expect(ev).toMatchObject({ line: 1, endLine: 28 });
    expect(ev.fields).toMatchObject({
      exception: 'sqlalchemy.exc.DBAPIError',
      driver: 'asyncpg.exceptions.ConnectionDoesNotExistError',
      message: 'connection was closed in the middle of operation',
      parameters: '(datetime.datetime(2024, 5, 1, 11, 0),)',
      backgroundCode: 'dbapi',
      sqlstates: ['08003'],
    });
  });

  it('treats a bare driver exception line as a record, with TAB continuation lines', () => {
    const lines = [
      'psycopg2.OperationalError: server closed the connection unexpectedly',
      '\tThis probably means the server terminated abnormally',
      '\tbefore or while processing the request.',
      '',
      '2024-05-01 12:00:00,000 INFO app: carrying on',
    ];
    const recs = driveRecords(lines);
    expect(recs.map((r) => `${r.format}:${r.record.line}-${r.record.endLine}`)).toEqual([
      'python-traceback:1-4',
      'python-logging:5-5',
    ]);
    expect(recs[0].events[0]).toMatchObject({ line: 1, endLine: 3 });
    expect(recs[0].events[0].fields).toEqual({
      exception: 'psycopg2.OperationalError',
      message: 'server closed the connection unexpectedly',
      detail: 'This probably means the server terminated abnormally\nbefore or while processing the request.',
    });
  });

  it('does not swallow unrelated lines after a blank line', () => {
    const lines = ['IdleInTransactionSessionTimeout: terminating connection due to idle-in-transaction timeout', '', 'some other output'];
    expect(spans(lines)).toEqual(['python-traceback:1-2', 'generic:3-3']);
    expect(drive(lines)[0].fields.sqlstates).toEqual(['25P03']);
  });

  it('starts on a traceback fragment that begins at a frame line', () => {
    const lines = [
      '  File "/srv/app/db.py", line 12, in run',
      '    cur.execute(sql)',
      'psycopg2.InterfaceError: connection already closed',
    ];
    const [ev] = drive(lines);
    expect(ev).toMatchObject({ line: 1, endLine: 3, format: 'python-traceback' });
    expect(ev.fields).toEqual({ exception: 'psycopg2.InterfaceError', message: 'connection already closed' });
  });

  it('does not claim JVM, JavaScript or plain error words', () => {
    for (const line of [
      'org.postgresql.util.PSQLException: This connection has been closed.',
      'Error: Connection terminated unexpectedly',
      'ERROR:  relation "x" does not exist',
      'SSLERROR: decryption failed or bad record mac',
    ]) {
      expect(pythonTraceback.start(line)).toBeUndefined();
    }
  });

  it('reads model and path from a dbt exception message', () => {
    const lines = [
      'dbt.exceptions.DbtDatabaseError: Database Error in model orders (models/marts/orders.sql)',
      '  SSL SYSCALL error: EOF detected',
      '  compiled code at target/run/shop/models/marts/orders.sql',
    ];
    const [ev] = drive(lines);
    expect(ev.fields).toMatchObject({ model: 'orders', modelPath: 'models/marts/orders.sql', exception: 'dbt.exceptions.DbtDatabaseError' });
    expect(ev.endLine).toBe(3);
  });

  it('never throws on odd input', () => {
    const rec = { source: 'x', line: 1, endLine: 2, lines: ['Traceback (most recent call last):', '  File "'], truncated: true };
    expect(() => pythonTraceback.parse(rec, pythonTraceback.start(rec.lines[0])!)).not.toThrow();
  });
});
