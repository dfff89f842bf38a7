import { describe, expect, it } from 'vitest';
import { adfText } from '../../../src/formats/adf/adf-text.js';
import { parsePipeLine } from '../../../src/formats/adf/adf-pipe-grammar.js';
import { drive, spans } from '../drive.js';

const SEED_ADF =
  'Activity failed: CopyData | ErrorCode: UserErrorOdbcOperationFailed | Message: ODBC Source, Error [08003] connection does not exist | Pipeline: pl_ingest_postgres | Duration: 00:02:14';

describe('adf-text: pipe grammar', () => {
  it('splits keys and values', () => {
    expect(parsePipeLine('2024-05-01T12:09:58Z Activity failed: A | Message: x: y | Extra')).toEqual({
      ok: true,
      value: {
        stamp: '2024-05-01T12:09:58Z',
        segments: [
          { key: 'Activity failed', value: 'A' },
          { key: 'Message', value: 'x: y' },
          { value: 'Extra' },
        ],
      },
    });
  });

  it('tolerates empty segments and values', () => {
    const r = parsePipeLine('Activity failed: A || ErrorCode: | Pipeline: P');
    expect(r).toEqual({
      ok: true,
      value: { segments: [{ key: 'Activity failed', value: 'A' }, { key: 'ErrorCode', value: '' }, { key: 'Pipeline', value: 'P' }] },
    });
  });
});

describe('adf-text', () => {
  it('parses the seed ADF line', () => {
    const [ev] = drive([SEED_ADF]);
    expect(ev).toMatchObject({ format: 'adf-text', origin: 'orchestrator', level: 'error', line: 1, endLine: 1 });
    expect(ev.ts).toBeUndefined();
    expect(ev.fields).toEqual({
      activity: 'CopyData',
      errorCode: 'UserErrorOdbcOperationFailed',
      pipeline: 'pl_ingest_postgres',
      message: 'connection does not exist',
      detail: 'ODBC Source, Error [08003] connection does not exist',
      sqlstates: ['08003'],
      durationMs: 134000,
    });
  });

  it('takes a leading timestamp, extra fields, reordered and missing fields', () => {
    const [ev] = drive([
      '[2024-05-01 12:09:58 UTC] Activity failed: Lookup | Pipeline: pl | Status: Failed | Message: 57P01: terminating connection due to administrator command',
    ]);
    expect(new Date(ev.ts!).toISOString()).toBe('2024-05-01T12:09:58.000Z');
    expect(ev.fields).toEqual({
      activity: 'Lookup',
      pipeline: 'pl',
      message: 'terminating connection due to administrator command',
      detail: '57P01: terminating connection due to administrator command',
      sqlstates: ['57P01'],
    });
  });

  it('keeps pipes that belong to the message', () => {
    const [ev] = drive(['Activity failed: A | Message: ERROR [08S01] lost | retried | Pipeline: P']);
    expect(ev.fields).toMatchObject({ activity: 'A', pipeline: 'P', message: 'lost | retried', sqlstates: ['08S01'] });
  });

  it('reads an "Operation on target" message with nested targets', () => {
    const [ev] = drive([
      "Operation on target ExecuteIngest failed: Operation on target CopyOrders failed: Failure happened on 'Source' side. ErrorCode=UserErrorOdbcOperationFailed,'Type=System.Data.Odbc.OdbcException,Message=ERROR [08S01] The connection has been lost;,Source=psqlodbc35w.dll,'",
    ]);
    expect(ev.fields).toMatchObject({
      activity: 'CopyOrders',
      errorCode: 'UserErrorOdbcOperationFailed',
      message: 'The connection has been lost',
      sqlstates: ['08S01'],
    });
  });

  it('is one line per record and complete at once', () => {
    expect(adfText.start(SEED_ADF)?.complete).toBe(true);
    expect(spans([SEED_ADF, SEED_ADF])).toEqual(['adf-text:1-1', 'adf-text:2-2']);
    expect(adfText.start('Activity log for today')).toBeUndefined();
  });
});
