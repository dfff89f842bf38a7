/**
 * The copy activity's Output as ADF Studio shows it (and as `activity('Copy').output` returns
 * it): transfer counters, `executionDetails[]`, and `errors[]` of the transfer service's event
 * infos (`Code`, `Message`, `EventType`, `Category`, `Data`, `InnerEventInfos`). Values invented,
 * keys as the service writes them; the message is adf.md §3.1's composite copy message.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../../src/index.js';

const COMPOSITE =
  "ErrorCode=UserErrorOdbcOperationFailed,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=ERROR [08S01] The connection has been lost;,Source=Microsoft.DataTransfer.Runtime.GenericOdbcConnectors,''Type=System.Data.Odbc.OdbcException,Message=ERROR [08S01] The connection has been lost;,Source=psqlodbc35w.dll,'";

const eventInfo = (code: number, message: string) => ({
  Code: code, Message: message, EventType: 0, Category: 5, Data: {}, MsgId: null,
  ExceptionType: null, Source: null, StackTrace: null, InnerEventInfos: [],
});

const output = (errors: unknown[]) => ({
  dataRead: 1048576, dataWritten: 1048576, filesWritten: 1, sourcePeakConnections: 1, sinkPeakConnections: 1,
  rowsRead: 18250, rowsCopied: 18250, copyDuration: 612, throughput: 1.672, errors,
  effectiveIntegrationRuntime: 'ir-selfhosted-01', usedParallelCopies: 1,
  executionDetails: [{
    source: { type: 'PostgreSql' }, sink: { type: 'DelimitedText', region: 'West Europe' }, status: 'Failed',
    start: '2025-12-01T03:04:05.1234567Z', duration: 612, usedParallelCopies: 1,
    profile: { queue: { status: 'Completed', duration: 2 }, transfer: { status: 'Completed', duration: 608 } },
  }],
  dataConsistencyVerification: { VerificationResult: 'NotVerified' },
  durationInQueue: { integrationRuntimeQueue: 2 },
});

describe('ADF copy activity Output JSON', () => {
  it('one incident per errors[] entry: the inner text as message, ended at start + duration', async () => {
    const content = JSON.stringify(output([eventInfo(23353, COMPOSITE)]), null, 4);
    const report = await triage([{ name: 'copy-output.json', content }]);
    expect(report.incidents.map((i) => [i.message, i.time, i.format, i.observedSqlstates])).toEqual([
      ['The connection has been lost', '2025-12-01T03:14:17.123Z', 'adf-json', ['08S01']],
    ]);
    expect(report.incidents[0].message).not.toContain('dataRead');
  });

  it('a succeeded copy (empty errors[]) makes no incident', async () => {
    const report = await triage([{ name: 'copy-output.json', content: JSON.stringify(output([]), null, 2) }]);
    expect(report.incidents).toEqual([]);
  });

  it('reads one event info pasted on its own', async () => {
    const content = JSON.stringify(eventInfo(23353, "Failure happened on 'Source' side. " + COMPOSITE), null, 2);
    const report = await triage([{ name: 'error.json', content }]);
    expect(report.incidents.map((i) => i.message)).toEqual(['The connection has been lost']);
  });
});
