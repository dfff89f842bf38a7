/**
 * ADF Studio's error dialog (Monitor → activity run → error icon) copied as text: each label on
 * its own line with its value on the next, or `Label: value` as users retype it. Labels as the
 * dialog shows them; the details text is adf.md §3.1's composite copy message.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../../src/index.js';
import { adfDialog } from '../../../src/formats/adf/adf-dialog.js';
import { drive, toLines } from '../drive.js';

const DETAILS =
  "Failure happened on 'Source' side. ErrorCode=UserErrorOdbcOperationFailed,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=ERROR [08S01] The connection has been lost;,Source=Microsoft.DataTransfer.Runtime.GenericOdbcConnectors,''Type=System.Data.Odbc.OdbcException,Message=ERROR [08S01] The connection has been lost;,Source=psqlodbc35w.dll,'";

const STACKED = [
  'Error details', 'Error code', '2200', 'Troubleshooting guide', 'Failure type', 'User configuration issue',
  'Details', DETAILS, 'Source', 'Pipeline', 'pl_nightly_orders', 'Activity', 'CopyOrderLines',
  'Activity ID', '6f1c2a0e-93b4-4d77-9a51-0c2e8d7b4f13',
];

const INLINE = [
  'Error code: 2200',
  'Failure type: User configuration issue',
  "Details: Operation on target CopyOrderLines failed: Failure happened on 'Source' side. ErrorCode=UserErrorOdbcOperationFailed,'Type=System.Data.Odbc.OdbcException,",
  'Message=ERROR [08003] connection does not exist,Source=psqlodbc35w.dll,\'',
  'Pipeline: pl_nightly_orders',
];

describe('ADF Studio error dialog text', () => {
  it('labels on their own lines: one event, the inner text as message, the fields by label', () => {
    const events = drive(toLines(STACKED.join('\n')));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ format: 'adf-dialog', line: 1, endLine: STACKED.length, level: 'error' });
    expect(events[0].fields).toEqual({
      errorCode: '2200',
      failureType: 'UserError',
      pipeline: 'pl_nightly_orders',
      activity: 'CopyOrderLines',
      sessionId: '6f1c2a0e-93b4-4d77-9a51-0c2e8d7b4f13',
      message: 'The connection has been lost',
      detail: DETAILS,
      sqlstates: ['08S01'],
    });
    expect(events[0].matchText).toBe(DETAILS);
  });

  it('`Label: value` lines, details over two lines, the activity from the message', async () => {
    const report = await triage([{ name: 'dialog.txt', content: INLINE.join('\n') }]);
    expect(report.incidents.map((i) => [i.format, i.line, i.message, i.pipeline, i.activity])).toEqual([
      ['adf-dialog', 1, 'connection does not exist', 'pl_nightly_orders', 'CopyOrderLines'],
    ]);
  });

  it('ends at a line that is no label and no details text: a log line after it is its own record', () => {
    const events = drive(toLines(['Error code: 2200', 'Failure type: System error', 'Details: The operation has timed out', '2025-12-01 03:04:05,118 ERROR worker: retrying'].join('\n')));
    expect(events.map((e) => [e.format, e.line, e.endLine])).toEqual([
      ['adf-dialog', 1, 3],
      [expect.not.stringMatching(/^adf-dialog$/), 4, 4],
    ]);
    expect(events[0].fields).toMatchObject({ failureType: 'SystemError', message: 'The operation has timed out' });
  });

  it('starts only at an Error details heading or an Error code label without a pipe', () => {
    expect(adfDialog.start('Error code: 2200')).toBeDefined();
    expect(adfDialog.start('Error details')).toBeDefined();
    expect(adfDialog.start('ErrorCode: 2200 | Message: x | Pipeline: p')).toBeUndefined();
    expect(adfDialog.start('Details: something')).toBeUndefined();
    expect(adfDialog.start('Error connecting to host')).toBeUndefined();
  });
});
