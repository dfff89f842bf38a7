import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { driveRecords, drive, toLines } from '../drive.js';

const sample = (name: string) => readFileSync(new URL(`../../../samples/formats/${name}`, import.meta.url), 'utf8');

const COMPOSITE =
  "Failure happened on 'Source' side. ErrorCode=UserErrorOdbcOperationFailed,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=ERROR [08S01] The connection has been lost;,Source=Microsoft.DataTransfer.Runtime.GenericOdbcConnectors,''Type=System.Data.Odbc.OdbcException,Message=ERROR [08S01] The connection has been lost;,Source=psqlodbc35w.dll,'";

describe('adf-json', () => {
  it('reads the activity error object', () => {
    const recs = driveRecords(sample('adf-activity-error.json'));
    expect(recs).toHaveLength(1);
    expect(recs[0].state.complete).toBe(true);
    const [ev] = recs[0].events;
    expect(ev).toMatchObject({ format: 'adf-json', origin: 'orchestrator', level: 'error', line: 1, endLine: 7 });
    expect(ev.fields).toEqual({
      activity: 'CopyOrders',
      errorCode: '2200',
      failureType: 'UserError',
      message: 'The connection has been lost',
      detail: COMPOSITE,
      sqlstates: ['08S01'],
    });
  });

  it('reads activity run output: one event for the failed run only', () => {
    const lines = toLines(sample('adf-activity-runs.json'));
    const events = drive(lines);
    expect(events).toHaveLength(1);
    const [ev] = events;
    expect(ev.format).toBe('adf-json');
    expect(new Date(ev.ts!).toISOString()).toBe('2024-05-01T12:09:58.441Z');
    expect(ev.fields).toEqual({
      activity: 'CopyOrders',
      pipeline: 'pl_ingest_postgres',
      errorCode: '2200',
      failureType: 'UserError',
      durationMs: 134318,
      message: 'The connection has been lost',
      detail: COMPOSITE,
      sessionId: 'a9e3f6d4-2c7b-4e18-8f05-3b1d7c9e6a20',
      sqlstates: ['08S01'],
    });
  });

  it('reads Azure Monitor ActivityRuns records with a double-encoded Error', () => {
    const recs = driveRecords(sample('adf-monitor-activityruns.json'));
    expect(recs.map((r) => `${r.format}:${r.record.line}-${r.record.endLine}`)).toEqual(['adf-json:1-1', 'adf-json:2-2']);
    // the start heartbeat (empty error) is kept as plain JSON for the fallback, not as a failure
    expect(recs[0].events[0].format).toBe('generic');
    const ev = recs[1].events[0];
    expect(ev).toMatchObject({ format: 'adf-json', level: 'error', line: 2, endLine: 2 });
    expect(ev.fields).toMatchObject({
      activity: 'CopyOrders',
      pipeline: 'pl_ingest_postgres',
      errorCode: '2200',
      failureType: 'UserError',
      durationMs: 134318,
      message: 'FATAL: terminating connection due to administrator command',
      sqlstates: ['57P01'],
    });
  });

  it('reads ADFActivityRun rows (flattened columns, Npgsql text)', () => {
    const [ev] = drive(sample('adf-loganalytics-activityrun.json'));
    expect(ev.fields).toMatchObject({
      activity: 'CopyOrders',
      pipeline: 'pl_ingest_azurepg',
      errorCode: '2200',
      failureType: 'UserError',
      message: 'terminating connection due to idle-session timeout',
      sqlstates: ['57P05'],
    });
  });

  it('reads a failed pipeline run with an "Operation on target" message', () => {
    const [ev] = drive([
      JSON.stringify({
        runId: 'r1',
        pipelineName: 'pl_outer',
        status: 'Failed',
        message: 'Operation on target CopyOrders failed: ERROR [08003] connection does not exist',
        runEnd: '2024-05-01T12:10:00Z',
      }),
    ]);
    expect(ev.fields).toEqual({
      activity: 'CopyOrders',
      pipeline: 'pl_outer',
      message: 'connection does not exist',
      detail: 'Operation on target CopyOrders failed: ERROR [08003] connection does not exist',
      sessionId: 'r1',
      sqlstates: ['08003'],
    });
  });

  it('keeps truncated ADF JSON as one best-effort event', () => {
    const lines = toLines(sample('adf-activity-runs.json')).slice(0, 40);
    const recs = driveRecords(lines);
    expect(recs).toHaveLength(1);
    const [ev] = recs[0].events;
    expect(ev).toMatchObject({ format: 'adf-json', line: 1, endLine: 40 });
    expect(ev.fields.activity).toBe('LookupWatermark');
    expect(ev.fields.sqlstates).toEqual(['08S01']);
  });
});
