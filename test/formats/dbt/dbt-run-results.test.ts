import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dbtRunResults } from '../../../src/formats/dbt/dbt-run-results.js';
import { driveRecords, toLines } from '../drive.js';

const sample = (name: string) => readFileSync(new URL(`../../../samples/formats/${name}`, import.meta.url), 'utf8');

const EXPECTED_FIELDS = {
  thread: 'Thread-3 (worker)',
  sessionId: '3f1c2a9e-5b7d-4c1e-9a2b-8d6e0f4c7a11',
  model: 'fact_orders',
  modelPath: 'models/marts/fact_orders.sql',
  message: 'SSL SYSCALL error: EOF detected',
  exception: 'Database Error',
  durationMs: 461350,
};

describe('dbt-run-results', () => {
  it('reads a pretty-printed run_results.json as one record with one event per errored node', () => {
    const lines = toLines(sample('run_results.json'));
    const recs = driveRecords(lines);
    expect(recs).toHaveLength(1);
    expect(recs[0].record).toMatchObject({ line: 1, endLine: lines.length });
    expect(recs[0].state.complete).toBe(true);
    expect(recs[0].events).toHaveLength(1);
    const [ev] = recs[0].events;
    expect(ev).toMatchObject({ format: 'dbt-run-results', origin: 'orchestrator', level: 'error', tsNaive: false });
    expect(lines[ev.line - 1]).toMatch(/^\s+"status": "error",$/);
    expect(lines[ev.endLine - 1]).toMatch(/"unique_id": "model.shop.fact_orders"/);
    expect(new Date(ev.ts!).toISOString()).toBe('2024-05-01T12:07:43.779Z');
    expect(ev.fields).toEqual(EXPECTED_FIELDS);
  });

  it('reads the one-line file dbt writes, quoting only the node entry', () => {
    const doc = JSON.parse(sample('run_results.json')) as unknown;
    const line = JSON.stringify(doc);
    expect(dbtRunResults.start(line)?.complete).toBe(true);
    const recs = driveRecords([line]);
    expect(recs[0].format).toBe('dbt-run-results');
    const [ev] = recs[0].events;
    expect(ev).toMatchObject({ line: 1, endLine: 1 });
    expect(ev.fields).toEqual(EXPECTED_FIELDS);
    expect(ev.text.length).toBeLessThan(line.length);
    expect(ev.text).toContain('model.shop.fact_orders');
  });

  it('keeps a truncated document as one best-effort event', () => {
    const lines = toLines(sample('run_results.json')).slice(0, 60);
    const recs = driveRecords(lines);
    expect(recs).toHaveLength(1);
    expect(recs[0].state.complete).toBeFalsy();
    const [ev] = recs[0].events;
    expect(ev).toMatchObject({ format: 'dbt-run-results', line: 1, endLine: 60 });
    expect(ev.fields).toMatchObject({
      model: 'fact_orders',
      modelPath: 'models/marts/fact_orders.sql',
      message: 'SSL SYSCALL error: EOF detected',
      sessionId: '3f1c2a9e-5b7d-4c1e-9a2b-8d6e0f4c7a11',
    });
  });

  it('ends a cut document at the next column-0 log line', () => {
    const lines = [...toLines(sample('run_results.json')).slice(0, 10), '2024-05-01 12:00:00,000 INFO app: next'];
    expect(driveRecords(lines).map((r) => `${r.format}:${r.record.line}-${r.record.endLine}`)).toEqual([
      'adf-json:1-10',
      'python-logging:11-11',
    ]);
  });
});
