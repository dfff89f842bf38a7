import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dbtText } from '../../../src/formats/dbt/dbt-text.js';
import { drive, driveRecords, spans } from '../drive.js';

const sample = (name: string) => readFileSync(new URL(`../../../samples/formats/${name}`, import.meta.url), 'utf8');

const SEED_DBT = [
  'ERROR 1 of 1 in model fact_orders (models/marts/fact_orders.sql)',
  '  Database Error in model fact_orders',
  '  connection does not exist',
  '  compiled Code at target/compiled/marts/fact_orders.sql',
];

describe('dbt-text', () => {
  it('parses the seed dbt block as one record with the database message', () => {
    const recs = driveRecords(SEED_DBT);
    expect(recs).toHaveLength(1);
    const [ev] = recs[0].events;
    expect(ev).toMatchObject({ line: 1, endLine: 4, format: 'dbt-text', origin: 'orchestrator', level: 'error' });
    expect(ev.fields).toEqual({
      model: 'fact_orders',
      modelPath: 'models/marts/fact_orders.sql',
      message: 'connection does not exist',
      exception: 'Database Error',
    });
  });

  it('groups dbt 1.8 console output (no Failure header, lowercase compiled code)', () => {
    const text = sample('dbt-console.log');
    const recs = driveRecords(text);
    const block = recs.find((r) => r.events[0]?.fields.exception === 'Database Error');
    expect(block?.record).toMatchObject({ line: 19, endLine: 22 });
    expect(block?.events[0]).toMatchObject({ line: 19, endLine: 21 });
    expect(block?.events[0].fields).toEqual({
      timeOfDay: '12:07:43',
      model: 'fact_orders',
      modelPath: 'models/marts/fact_orders.sql',
      message: 'SSL SYSCALL error: EOF detected',
      exception: 'Database Error',
    });
    const progress = recs.find((r) => r.record.line === 12)!.events[0];
    expect(progress.fields).toEqual({
      timeOfDay: '12:07:43',
      message: '3 of 4 ERROR creating sql table model analytics.fact_orders .................... [ERROR in 461.35s]',
      model: 'fact_orders',
      durationMs: 461350,
    });
    expect(progress.level).toBe('error');
    const summary = recs.map((r) => r.events[0]?.fields.message);
    expect(summary).toContain('Completed with 1 error and 0 warnings:');
    expect(summary).toContain('Done. PASS=2 WARN=0 ERROR=1 SKIP=1 TOTAL=4');
  });

  it('groups dbt 1.10 output: Failure header, indented Database Error, separate compiled code line', () => {
    const recs = driveRecords(sample('dbt-console-1.10.log'));
    const block = recs.find((r) => r.record.line === 14)!;
    expect(block.record.endLine).toBe(23);
    expect(block.events[0]).toMatchObject({ line: 14, endLine: 22 });
    expect(block.events[0].fields).toEqual({
      timeOfDay: '09:41:12',
      model: 'fact_orders',
      modelPath: 'models/marts/fact_orders.sql',
      message: 'terminating connection due to idle-in-transaction timeout',
      detail: 'server closed the connection unexpectedly\nThis probably means the server terminated abnormally\nbefore or while processing the request.',
      exception: 'Database Error',
    });
    const last = recs[recs.length - 1].events[0];
    expect(last.fields.message).toBe('Done. PASS=0 WARN=0 ERROR=1 SKIP=0 NO-OP=0 TOTAL=1');
    expect(recs.map((r) => r.events[0]?.fields.message)).toContain('Completed with 1 error, 0 partial successes, and 0 warnings:');
  });

  it('splits two ≤1.9 error blocks that follow each other', () => {
    const lines = [
      '12:07:43    Database Error in model a (models/a.sql)',
      '  connection already closed',
      '12:07:43  ',
      '12:07:43    Runtime Error in model b (models/b.sql)',
      '  connection already closed',
    ];
    expect(spans(lines)).toEqual(['dbt-text:1-3', 'dbt-text:4-5']);
    expect(drive(lines)[1].fields).toEqual({
      timeOfDay: '12:07:43',
      model: 'b',
      modelPath: 'models/b.sql',
      message: 'connection already closed',
      exception: 'Runtime Error',
    });
  });

  it('reads dbt.log: separator date, ANSI-prefixed debug lines, threads, adapter errors', () => {
    const recs = driveRecords(sample('dbt.log'));
    const sep = recs.find((r) => r.record.line === 3)!.events[0];
    expect(sep.format).toBe('dbt-text');
    expect(new Date(sep.ts!).toISOString()).toBe('2024-05-01T11:59:58.123Z');
    expect(sep.tsNaive).toBe(true);
    expect(sep.fields.sessionId).toBe('3f1c2a9e-5b7d-4c1e-9a2b-8d6e0f4c7a11');

    const sql = recs.find((r) => r.record.line === 11)!;
    expect(sql.record.endLine).toBe(24);
    expect(sql.events[0].fields.thread).toBe('Thread-3 (');

    const adapter = recs.find((r) => r.record.line === 25)!.events[0];
    // Written at debug level, but it is the thread's report of the database error.
    expect(adapter).toMatchObject({ level: 'error', endLine: 25 });
    expect(adapter.fields.message).toBe('SSL SYSCALL error: EOF detected');

    const progress = recs.find((r) => r.record.line === 30)!.events[0];
    expect(progress.fields.message).toBe('3 of 4 ERROR creating sql table model analytics.fact_orders .................... [ERROR in 461.35s]');
    expect(progress.level).toBe('error');

    const block = recs.find((r) => r.record.line === 33)!;
    expect(block.record.endLine).toBe(36);
    expect(block.events[0]).toMatchObject({ line: 33, endLine: 35, level: 'error' });
    expect(block.events[0].fields).toEqual({
      timeOfDay: '12:07:43.791000',
      thread: 'MainThread',
      model: 'fact_orders',
      modelPath: 'models/marts/fact_orders.sql',
      message: 'SSL SYSCALL error: EOF detected',
      exception: 'Database Error',
    });
  });

  it('reads the ≤1.7 "compiled Code at" wording and the runtime error kind', () => {
    const [ev] = drive([
      '12:00:05  Runtime Error in model orders (models/orders.sql)',
      '  connection already closed',
      '  compiled Code at target/run/shop/models/orders.sql',
    ]);
    expect(ev.fields).toEqual({
      timeOfDay: '12:00:05',
      model: 'orders',
      modelPath: 'models/orders.sql',
      message: 'connection already closed',
      exception: 'Runtime Error',
    });
    expect(ev.endLine).toBe(3);
  });

  it('does not start on lines that are not dbt', () => {
    for (const line of ['2024-05-01 12:00:00,000 INFO app: x', 'Traceback (most recent call last):', '  plain indented', '']) {
      expect(dbtText.start(line)).toBeUndefined();
    }
  });
});

describe('dbt time-of-day lines get a date', () => {
  it('from the dbt.log invocation header, even when the prefilter skipped the lines in between', async () => {
    const { triage } = await import('../../../src/index.js');
    for (const prefilter of [true, false]) {
      const report = await triage({ path: 'samples/formats/dbt.log' }, { prefilter });
      // One incident, first seen at the thread's adapter error (the summary block repeats it).
      expect(report.incidents.map((i) => [i.line, i.time, i.timeNaive])).toEqual([[25, '2024-05-01T12:07:43.771Z', true]]);
    }
  });

  it('moves to the next day when a run crosses midnight', async () => {
    const { triage } = await import('../../../src/index.js');
    const log = [
      '============================== 2024-05-01 23:59:50.000000 | 3f1c2a9e-5b7d-4c1e-9a2b-8d6e0f4c7a11 ==============================',
      '\u001b[0m00:00:07.500000 [error] [MainThread]:   Database Error in model a (models/a.sql)',
      '  SSL SYSCALL error: EOF detected',
    ].join('\n');
    const report = await triage(log);
    expect(report.incidents[0].time).toBe('2024-05-02T00:00:07.500Z');
  });
});
