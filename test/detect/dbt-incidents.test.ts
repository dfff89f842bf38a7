/**
 * One dbt failure is one incident however many records and files describe it (the thread's
 * adapter error, its `ERROR creating` line, the run summary's block, run_results.json), and
 * two nodes failing at once are two.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DbtThreads } from '../../src/detect/dbt-threads.js';
import type { LogEvent } from '../../src/events.js';
import { dbtRunResults } from '../../src/formats/dbt/dbt-run-results.js';
import { triage } from '../../src/index.js';
import { generateShape } from '../../bench/shapes.mjs';
import { driveRecords, toLines } from '../formats/drive.js';

const sample = (name: string) => readFileSync(new URL(`../../samples/formats/${name}`, import.meta.url), 'utf8');

const HEADER = '============================== 2026-11-03 06:00:00.000000 | 0b6c1d2e-0000-4000-8000-00000000000a ==============================';
const line = (time: string, level: string, thread: string, msg: string) => `\x1b[0m${time} [${level}] [${thread}]: ${msg}`;

describe('dbt incidents', () => {
  it('finds exactly the failures the benchmark dbt.log generator wrote, one per failed node and run', async () => {
    const parts: string[] = [];
    const sink = { push: (t: string) => parts.push(t), full: false, flush: async () => {} };
    const stats = await generateShape(sink, { shape: 'dbt', sizeBytes: 4_000_000, seed: 11 });
    expect(stats.failures).toBeGreaterThan(4);
    const text = parts.join('');
    const report = await triage(text);
    expect(report.incidents).toHaveLength(stats.failures);
    const keys = report.incidents.map((i) => `${i.model}@${i.time?.slice(0, 13)}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Each is first seen at the thread's adapter error and joined by its run summary's block
    // (the last run, cut off by the end of the log, has no summary).
    const lastDone = text.slice(0, text.lastIndexOf('Done. PASS=')).split('\n').length;
    const summarised = report.incidents.filter((i) => i.line < lastDone);
    expect(summarised.length).toBeGreaterThanOrEqual(2);
    for (const i of summarised) expect(i.evidence.filter((e) => e.role === 'failure').length, i.model).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('joins dbt.log and the run_results.json of the same run into one incident, in either order', async () => {
    for (const order of [
      ['dbt.log', 'run_results.json'],
      ['run_results.json', 'dbt.log'],
    ]) {
      const report = await triage(order.map((name) => ({ name: `target/${name}`, content: sample(name) })));
      expect(report.incidents, order.join(' then ')).toHaveLength(1);
      const files = new Set(report.incidents[0].evidence.map((e) => e.source));
      expect([...files].sort()).toEqual(['target/dbt.log', 'target/run_results.json']);
    }
  });

  it('keeps a run_results.json of another invocation apart', async () => {
    const other = sample('run_results.json').replace('3f1c2a9e-5b7d-4c1e-9a2b-8d6e0f4c7a11', '3f1c2a9e-5b7d-4c1e-9a2b-000000000000');
    const report = await triage([
      { name: 'logs/dbt.log', content: sample('dbt.log') },
      { name: 'target/run_results.json', content: other },
    ]);
    expect(report.incidents).toHaveLength(2);
  });

  it('keeps two nodes failing in the same moment on two threads as two incidents, summary included', async () => {
    const text = [
      HEADER,
      line('06:00:01.000000', 'debug', 'Thread-1 (worker)', 'Began running node model.w.fct_a'),
      line('06:00:01.001000', 'debug', 'Thread-2 (worker)', 'Began running node model.w.fct_b'),
      line('06:00:05.000000', 'debug', 'Thread-1 (worker)', 'Postgres adapter: Postgres error: SSL SYSCALL error: EOF detected'),
      line('06:00:05.000300', 'debug', 'Thread-2 (worker)', 'Postgres adapter: Postgres error: SSL SYSCALL error: EOF detected'),
      line('06:00:05.100000', 'error', 'Thread-1 (worker)', '1 of 2 ERROR creating sql table model analytics.fct_a ............ [ERROR in 4.00s]'),
      line('06:00:05.100100', 'error', 'Thread-2 (worker)', '2 of 2 ERROR creating sql table model analytics.fct_b ............ [ERROR in 4.00s]'),
      line('06:00:05.200000', 'error', 'MainThread', '  Database Error in model fct_a (models/fct_a.sql)'),
      '  SSL SYSCALL error: EOF detected',
      '  compiled code at target/run/w/models/fct_a.sql',
      line('06:00:05.200100', 'error', 'MainThread', '  Database Error in model fct_b (models/fct_b.sql)'),
      '  SSL SYSCALL error: EOF detected',
      '  compiled code at target/run/w/models/fct_b.sql',
      line('06:00:05.300000', 'info ', 'MainThread', 'Done. PASS=0 WARN=0 ERROR=2 SKIP=0 TOTAL=2'),
      '',
    ].join('\n');
    const report = await triage(text);
    expect(report.incidents.map((i) => [i.model, i.line])).toEqual([
      ['fct_a', 4],
      ['fct_b', 5],
    ]);
    expect(report.incidents.map((i) => i.evidence.map((e) => e.line))).toEqual([
      [4, 8],
      [5, 11],
    ]);
  });

  it('keeps column-0 continuation lines of an adapter error in its record', async () => {
    const text = [
      HEADER,
      line('06:00:01.000000', 'debug', 'Thread-1 (worker)', 'Began running node model.w.fct_a'),
      line('06:00:05.000000', 'debug', 'Thread-1 (worker)', 'Postgres adapter: Postgres error: server closed the connection unexpectedly'),
      'This probably means the server terminated abnormally',
      'before or while processing the request.',
      '',
      line('06:00:05.100000', 'error', 'Thread-1 (worker)', '1 of 1 ERROR creating sql table model analytics.fct_a ............ [ERROR in 4.00s]'),
      '',
    ].join('\n');
    const report = await triage(text);
    expect(report.incidents.map((i) => [i.line, i.endLine, i.model])).toEqual([[3, 5, 'fct_a']]);
  });
});

describe('dbt thread idle time', () => {
  const ev = (text: string, ts: number, level = 'debug'): LogEvent => {
    const m = /\[([^\]]+)\]: (.*)$/.exec(text)!;
    return { source: 'dbt.log', line: 1, endLine: 1, text, format: 'dbt-text', origin: 'orchestrator', ts, level, fields: { thread: m[1], message: m[2] } };
  };

  it('is the time the thread\'s connection waited in the pool, whatever other threads logged meanwhile', () => {
    const t = new DbtThreads();
    const t0 = Date.UTC(2026, 10, 3, 6);
    t.annotate(ev('[Thread-1 (worker)]: Finished running node model.w.a', t0));
    t.annotate(ev('[Thread-2 (worker)]: On model.w.z: select 1', t0 + 200_000));
    t.annotate(ev('[Thread-1 (worker)]: Began running node model.w.b', t0 + 300_000));
    t.annotate(ev('[Thread-1 (worker)]: Re-using an available connection from the pool (formerly model.w.a, now model.w.b)', t0 + 300_010));
    const failure = ev('[Thread-1 (worker)]: SSL SYSCALL error: EOF detected', t0 + 300_050, 'error');
    t.annotate(failure);
    expect(failure.idleMs).toBe(300_010);
    expect(failure.fields.model).toBe('b');
    // Another thread's failure has no pool wait of its own on record: unknown, not zero.
    const other = ev('[Thread-2 (worker)]: SSL SYSCALL error: EOF detected', t0 + 300_060, 'error');
    t.annotate(other);
    expect(other.idleMs).toBeUndefined();
  });

  it('comes from run_results.json timings: the previous node on the same thread_id', () => {
    const node = (id: string, status: string, thread: string, start: string, end: string) => ({
      unique_id: id,
      status,
      thread_id: thread,
      message: status === 'error' ? `Database Error in model ${id.slice(8)} (models/${id.slice(8)}.sql)\n  SSL SYSCALL error: EOF detected` : 'SELECT 1',
      execution_time: 1,
      timing: [
        { name: 'compile', started_at: start, completed_at: start },
        { name: 'execute', started_at: start, completed_at: end },
      ],
    });
    const doc = {
      metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json', invocation_id: 'x', generated_at: '2026-11-03T06:10:00Z' },
      results: [
        node('model.w.a', 'success', 'Thread-1 (worker)', '2026-11-03T06:00:00Z', '2026-11-03T06:01:00Z'),
        node('model.w.c', 'success', 'Thread-2 (worker)', '2026-11-03T06:00:00Z', '2026-11-03T06:05:59Z'),
        node('model.w.b', 'error', 'Thread-1 (worker)', '2026-11-03T06:06:00Z', '2026-11-03T06:06:01Z'),
        node('model.w.d', 'error', 'Thread-3 (worker)', '2026-11-03T06:06:00Z', '2026-11-03T06:06:01Z'),
      ],
    };
    const recs = driveRecords(toLines(JSON.stringify(doc)), { formats: [dbtRunResults] });
    const events = recs.flatMap((r) => r.events);
    expect(events.map((e) => [e.fields.model, e.idleMs])).toEqual([
      ['b', 300_000],
      ['d', undefined],
    ]);
  });
});
