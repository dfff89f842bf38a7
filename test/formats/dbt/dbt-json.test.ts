import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dbtJson } from '../../../src/formats/dbt/dbt-json.js';
import { drive, driveRecords, spans, toLines } from '../drive.js';

const sample = (name: string) => readFileSync(new URL(`../../../samples/formats/${name}`, import.meta.url), 'utf8');

describe('dbt-json', () => {
  const lines = toLines(sample('dbt-json.log'));

  it('makes one complete record per JSON line', () => {
    const recs = driveRecords(lines);
    expect(recs.map((r) => `${r.format}:${r.record.line}-${r.record.endLine}`)).toEqual(
      lines.map((_, i) => `dbt-json:${i + 1}-${i + 1}`),
    );
    expect(recs.every((r) => r.state.complete)).toBe(true);
  });

  it('reads the RunResultError event: node, database message, time', () => {
    const ev = drive(lines)[4];
    expect(ev).toMatchObject({ format: 'dbt-json', origin: 'orchestrator', level: 'error', line: 5, endLine: 5, tsNaive: false });
    expect(new Date(ev.ts!).toISOString()).toBe('2024-05-01T12:07:43.791Z');
    expect(ev.fields).toEqual({
      logger: 'RunResultError',
      thread: 'MainThread',
      sessionId: '3f1c2a9e-5b7d-4c1e-9a2b-8d6e0f4c7a11',
      model: 'fact_orders',
      modelPath: 'marts/fact_orders.sql',
      pid: 41235,
      message: 'SSL SYSCALL error: EOF detected',
      exception: 'Database Error',
    });
  });

  it('reads LogModelResult with colour codes removed and its execution time', () => {
    const ev = drive(lines)[3];
    expect(ev.level).toBe('error');
    expect(ev.fields.message).toBe('3 of 4 ERROR creating sql table model analytics.fact_orders .................... [ERROR in 461.35s]');
    expect(ev.fields.durationMs).toBe(461350);
  });

  it('keeps a truncated line as one event with the salvaged text', () => {
    const cut = lines[4].slice(0, 260);
    const recs = driveRecords([cut, lines[5]]);
    expect(recs.map((r) => `${r.format}:${r.record.line}-${r.record.endLine}`)).toEqual(['dbt-json:1-1', 'dbt-json:2-2']);
    const ev = recs[0].events[0];
    expect(ev.format).toBe('dbt-json');
    expect(ev.text).toBe(cut);
    expect(ev.fields.message).toBe('SSL SYSCALL error: EOF detected');
    expect(ev.fields.model).toBe('fact_orders');
  });

  it('uses the raw text as message when nothing can be salvaged', () => {
    const [ev] = drive(['{"data": {"node_info": {"node_na']);
    expect(ev).toMatchObject({ format: 'dbt-json', line: 1, endLine: 1 });
    expect(ev.fields.message).toBe('{"data": {"node_info": {"node_na');
  });

  it('starts only on dbt-shaped JSON lines', () => {
    expect(dbtJson.start('{"timestamp":"2024-05-01 12:00:00.000 UTC","user":"etl"}')).toBeUndefined();
    expect(dbtJson.start('{"info": {"name": "x"}}')?.complete).toBe(true);
    expect(spans(['{"data": {}, "info": {"name": "MainReportVersion", "msg": "Running with dbt=1.8.7"}}'])).toEqual(['dbt-json:1-1']);
  });
});
