import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pythonLogging } from '../../../src/formats/python/python-logging.js';
import { drive, driveRecords, spans } from '../drive.js';

const sample = (name: string) => readFileSync(new URL(`../../../samples/formats/${name}`, import.meta.url), 'utf8');
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('python-logging: layouts', () => {
  it.each([
    [
      '2024-05-01 12:07:43,902 ERROR etl.load_orders: watermark query failed',
      { severity: 'ERROR', logger: 'etl.load_orders', message: 'watermark query failed' },
    ],
    [
      '2024-05-01 12:07:43,902 [WARNING] etl.runner - retrying in 30s',
      { severity: 'WARNING', logger: 'etl.runner', message: 'retrying in 30s' },
    ],
    [
      '2024-05-01 12:07:43,902 - etl.runner - CRITICAL - giving up',
      { severity: 'CRITICAL', logger: 'etl.runner', message: 'giving up' },
    ],
    [
      '2024-05-01 12:07:43,902 INFO [worker-2] etl.pool: checked out',
      { severity: 'INFO', logger: 'etl.pool', thread: 'worker-2', message: 'checked out' },
    ],
    [
      '2024-05-01 12:07:43,902 INFO sqlalchemy.engine.Engine BEGIN (implicit)',
      { severity: 'INFO', logger: 'sqlalchemy.engine.Engine', message: 'BEGIN (implicit)' },
    ],
  ])('%s', (line, fields) => {
    const [ev] = drive([line]);
    expect(ev.format).toBe('python-logging');
    expect(ev.fields).toEqual(fields);
    expect(iso(ev.ts)).toBe('2024-05-01T12:07:43.902Z');
    expect(ev.tsNaive).toBe(true);
  });

  it('reads the default LEVEL:logger:message layout with libpq continuation lines', () => {
    const recs = driveRecords(sample('python-logging-pool.log'));
    expect(recs[0].record).toMatchObject({ line: 1, endLine: 4 });
    const ev = recs[0].events[0];
    expect(ev).toMatchObject({ format: 'python-logging', origin: 'client', level: 'info' });
    expect(ev.ts).toBeUndefined();
    expect(ev.fields.logger).toBe('sqlalchemy.pool.impl.QueuePool');
    expect(ev.fields.message).toMatch(/^Invalidate connection <connection object at 0x7f3a2c1d8e40;.*closed: 2> \(reason: OperationalError:server closed the connection unexpectedly$/);
    expect(ev.fields.detail).toBe('This probably means the server terminated abnormally\nbefore or while processing the request.\n)');
  });

  it('keeps logger.exception output with its chained traceback as one record', () => {
    expect(spans(sample('python-logging-pool.log'))).toEqual([
      'python-logging:1-4',
      'python-logging:5-5',
      'python-logging:6-6',
      'python-logging:7-27',
      'python-logging:28-28',
      'python-logging:29-29',
    ]);
    const recs = driveRecords(sample('python-logging-pool.log'));
    const rec = recs[3];
    expect(rec.state.complete).toBe(true);
    const ev = rec.events[0];
    expect(ev).toMatchObject({ line: 7, endLine: 27, level: 'error', tsNaive: true });
    expect(iso(ev.ts)).toBe('2024-05-01T12:07:43.902Z');
    expect(ev.fields).toEqual({
      severity: 'ERROR',
      logger: 'etl.load_orders',
      exception: 'sqlalchemy.exc.InternalError',
      driver: 'psycopg2.errors.IdleInTransactionSessionTimeout',
      message: 'terminating connection due to idle-in-transaction timeout',
      detail: 'SSL connection has been closed unexpectedly',
      sql: 'SELECT orders.id FROM orders WHERE orders.updated_at > %(ts)s',
      parameters: "{'ts': datetime.datetime(2024, 5, 1, 11, 0)}",
      backgroundCode: '2j85',
      sqlstates: ['25P03'],
    });
  });

  it('reads Airflow task log lines (zone-aware) and their tracebacks', () => {
    const recs = driveRecords(sample('airflow-task.log'));
    expect(recs.map((r) => `${r.format}:${r.record.line}-${r.record.endLine}`)).toEqual([
      'python-logging:1-1',
      'python-logging:2-2',
      'python-logging:3-12',
      'python-logging:13-13',
    ]);
    const ev = recs[2].events[0];
    expect(iso(ev.ts)).toBe('2024-05-01T12:07:43.000Z');
    expect(ev.tsNaive).toBe(false);
    expect(ev.fields).toEqual({
      severity: 'ERROR',
      logger: 'taskinstance.py:2731',
      exception: 'sqlalchemy.exc.OperationalError',
      driver: 'psycopg2.OperationalError',
      message: 'SSL SYSCALL error: EOF detected',
      sql: "UPDATE watermarks SET ts = now() WHERE job = 'orders'",
      backgroundCode: 'e3q8',
    });
  });

  it('reads older Airflow and Celery layouts', () => {
    const [a] = drive(['[2021-03-09 10:03:14,312] {taskinstance.py:1150} ERROR - connection already closed']);
    expect(a.fields).toMatchObject({ logger: 'taskinstance.py:1150', message: 'connection already closed' });
    expect(iso(a.ts)).toBe('2021-03-09T10:03:14.312Z');
    const [c] = drive([
      '[2016-01-10 21:29:47,016: ERROR/Worker-4406] Process Worker-4406',
      'Traceback (most recent call last):',
      '  File "/opt/venv/lib/python2.7/site-packages/celery/fixups/django.py", line 30, in _maybe_close_fd',
      '    os.close(fh.fileno())',
      'InterfaceError: connection already closed',
    ]);
    expect(c).toMatchObject({ line: 1, endLine: 5, level: 'error' });
    expect(c.fields).toEqual({
      severity: 'ERROR',
      thread: 'Worker-4406',
      exception: 'InterfaceError',
      message: 'connection already closed',
    });
  });

  it('reads the Flask layout with "LEVEL in module"', () => {
    const [ev] = drive(['2019-03-14 15:49:47,259 - flask.app - ERROR in app:app.py:1761 - log_exception: Exception on /api [GET]']);
    expect(ev.fields).toEqual({ severity: 'ERROR', logger: 'flask.app', message: 'log_exception: Exception on /api [GET]' });
  });

  it('does not claim server or JVM lines', () => {
    for (const line of [
      '2024-05-01 12:00:00.123 UTC [42] FATAL:  terminating connection due to administrator command',
      'ERROR:  prepared statement "S_1" does not exist',
      '2023-08-28 15:22:01,840 WARN  io-executor-thread-3 com.zaxxer.hikari.pool.PoolBase HikariPool-1 - Failed to validate connection',
      '12:00:00  Running with dbt=1.8.7',
    ]) {
      expect(pythonLogging.start(line)).toBeUndefined();
    }
  });

  it('picks up a driver and codes embedded in a logged message', () => {
    const [ev] = drive([
      '2024-05-01 12:00:00,000 ERROR app.jobs: query failed: (psycopg2.errors.AdminShutdown) terminating connection due to administrator command',
      '[SQL: SELECT 1]',
      '(Background on this error at: https://sqlalche.me/e/20/e3q8)',
    ]);
    expect(ev.fields).toMatchObject({
      driver: 'psycopg2.errors.AdminShutdown',
      sql: 'SELECT 1',
      backgroundCode: 'e3q8',
      sqlstates: ['57P01'],
    });
    expect(ev.endLine).toBe(3);
  });
});

describe('python-logging without a logger name', () => {
  it('claims `%(asctime)s %(levelname)-8s [%(threadName)s] %(message)s` lines so a traceback stays with its ERROR line', async () => {
    const { eventsFromText } = await import('../../../src/records/text-events.js');
    const events = eventsFromText(
      [
        '2026-11-25T13:52:59.421Z INFO     [worker_0] sqlalchemy.pool.impl.QueuePool Invalidate connection <connection object at 0x7f>',
        '2026-11-25T13:52:59.421Z ERROR    [worker_0] customers_refresh batch 2 region emea: refresh failed',
        'Traceback (most recent call last):',
        '  File "/app/refresh.py", line 38, in refresh',
        '    n = conn.execute(stmt)',
        'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection unexpectedly',
        '\tThis probably means the server terminated abnormally',
        '\tbefore or while processing the request.',
      ].join('\n'),
    );
    expect(events.map((e) => [e.line, e.endLine, e.format, e.level])).toEqual([
      [1, 1, 'python-logging', 'info'],
      [2, 8, 'python-logging', 'error'],
    ]);
    expect(events[1].fields.thread).toBe('worker_0');
    expect(events[1].fields.exception).toBe('sqlalchemy.exc.OperationalError');
  });
});
