/**
 * The portal's CSV download of an ADFActivityRun query: column names as Log Analytics writes
 * them (`ADFActivityRun` table, ` [UTC]` on time columns), rows invented in ADF's message shape.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../../src/index.js';
import { portalTime } from '../../../src/formats/adf/adf-csv.js';

const HEADER = 'TimeGenerated [UTC],PipelineName,ActivityName,ActivityType,Status,ErrorCode,ErrorMessage,FailureType,Start [UTC],End [UTC],ActivityRunId';
const ok = '"12/1/2025, 3:04:05.123 AM",pl_ingest,CopyOrders,Copy,Succeeded,,,,"12/1/2025, 2:58:01.000 AM","12/1/2025, 3:04:05.100 AM",run-1';
const failed =
  "\"12/1/2025, 3:14:05.456 PM\",pl_ingest,CopyOrderLines,Copy,Failed,2200,\"Operation on target CopyOrderLines failed: Failure happened on 'Source' side. ErrorCode=UserErrorOdbcOperationFailed,'Type=System.Data.Odbc.OdbcException,Message=ERROR [08003] connection does not exist,Source=psqlodbc35w.dll,'\",UserError,\"12/1/2025, 3:04:06.000 PM\",\"12/1/2025, 3:14:05.400 PM\",run-2";
// ISO times and an error message with a line break inside its quotes.
const multiline = [
  '2025-12-01T05:00:00.000Z,pl_ingest,LookupWatermark,Lookup,Failed,2100,"Npgsql.NpgsqlException (0x80004005): Exception while reading from stream',
  ' ---> System.IO.IOException: Unable to read data from the transport connection: An existing connection was forcibly closed by the remote host.",UserError,2025-12-01T04:59:00.000Z,2025-12-01T04:59:58.250Z,run-3',
];

describe('ADF Log Analytics CSV export', () => {
  it('one incident per failed row, with its end time, pipeline, activity and inner message', async () => {
    const report = await triage([{ name: 'adf-export.csv', content: [HEADER, ok, failed, ...multiline].join('\n') }]);
    expect(report.incidents.map((i) => [i.line, i.time, i.pipeline, i.activity, i.message])).toEqual([
      [3, '2025-12-01T15:14:05.400Z', 'pl_ingest', 'CopyOrderLines', 'connection does not exist'],
      [4, '2025-12-01T04:59:58.250Z', 'pl_ingest', 'LookupWatermark', expect.stringContaining('Exception while reading from stream')],
    ]);
    expect(report.sources[0].formats).toEqual({ 'adf-csv': 4 });
  });

  it('claims nothing without the header: another CSV stays generic', async () => {
    const report = await triage([{ name: 'other.csv', content: ['id,name,status', '1,orders,Failed'].join('\n') }]);
    expect(report.sources[0].formats['adf-csv']).toBeUndefined();
  });

  it('reads the portal time format', () => {
    expect(portalTime('12/1/2025, 12:04:05.123 AM')).toBe('2025-12-01T00:04:05.123Z');
    expect(portalTime('12/1/2025, 12:04:05 PM')).toBe('2025-12-01T12:04:05.000Z');
    expect(portalTime('2025-12-01T05:00:00Z')).toBeUndefined();
  });
});
