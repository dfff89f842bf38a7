/**
 * A page that explains the 08003 family uses its wording in sentences; those paragraphs are not
 * records. The log lines pasted into the same page still are. The page below is written for this
 * test in the shape of such pages (a heading, explaining paragraphs, numbered steps, an FAQ); the
 * pasted lines are real driver wording.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';
import { isProseText } from '../../src/records/prose.js';

const PAGE = [
  'Error reference',
  '',
  'What the code means',
  '',
  'The code 08003 says that the session your client used is gone: the server or something between ended it, and the driver only found out when it sent the next statement. Pools make it worse because they keep sockets for a long time.',
  '',
  '1. Turn on validation in the pool. With SQLAlchemy pass `pool_pre_ping=True`, so a dead connection does not exist for your queries any more. It costs one round trip per checkout.',
  '2. Catch `psycopg2.OperationalError` where `pgcode == \'08003\'` and retry on a fresh connection, never on the same one. Three attempts are usually enough.',
  '',
  'Example log output',
  '',
  'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection unexpectedly',
  '\tThis probably means the server terminated abnormally',
  '\tbefore or while processing the request.',
  'org.postgresql.util.PSQLException: This connection has been closed.',
  '',
  'Why does a server closed the connection unexpectedly error appear after a failover?',
  '',
  'Because every TCP session ends when the primary moves, and the pool keeps handing out sockets that were opened before. The next query on each of them fails with connection does not exist.',
].join('\n');

describe('prose is not a log record', () => {
  it('a page explaining the code gives only the incidents of its pasted log lines', async () => {
    const report = await triage([{ name: 'page.txt', content: PAGE }]);
    expect(report.stats.recordsProse).toBe(5);
    // The same lines with the paragraphs blanked out (line numbers kept) give the same incidents.
    const lines = PAGE.split('\n');
    const logOnly = lines.map((l, i) => (i >= 11 && i <= 14 ? l : '')).join('\n');
    const expected = await triage([{ name: 'page.txt', content: logOnly }]);
    expect(expected.incidents.length).toBeGreaterThan(0);
    const at = (r: typeof report) => r.incidents.map((i) => [i.evidence[0]?.line, i.sqlstate]);
    expect(at(report)).toEqual(at(expected));
  });

  it('a heading that names the code, above the paragraph explaining it, is prose too; a pasted line is not', async () => {
    const explain =
      'The code 08003 says that the session your client used is gone: the server or something between ended it, and the driver only found out when it sent the next statement. Pools make it worse because they keep sockets for a long time.';
    const titled = await triage([{ name: 'page.txt', content: ['Error reference', '', 'SQLSTATE 08003: connection does not exist', '', explain, ''].join('\n') }]);
    expect(titled.incidents).toEqual([]);
    expect(titled.stats.recordsProse).toBe(2);
    // The same line followed by log lines, or by a one-line remark, is a pasted error.
    const pasted = await triage([{ name: 'page.txt', content: ['Error reference', '', 'SQLSTATE 08003: connection does not exist', '', 'We see this every night.', ''].join('\n') }]);
    expect(pasted.incidents.map((i) => i.line)).toEqual([3]);
    const inLog = await triage([{ name: 'page.txt', content: ['SQLSTATE 08003: connection does not exist', 'SQLSTATE 08003: connection does not exist', '', explain].join('\n') }]);
    expect(inLog.incidents.length).toBeGreaterThan(0);
    // No blank line between: the line belongs to the text around it, it is no heading.
    const glued = await triage([{ name: 'page.txt', content: ['Error reference', 'SQLSTATE 08003: connection does not exist', explain].join('\n') }]);
    expect(glued.incidents.map((i) => i.line)).toEqual([2]);
  });

  it('keeps terse log messages, even sentence-shaped ones', () => {
    for (const line of [
      'server closed the connection unexpectedly This probably means the server terminated abnormally before or while processing the request.',
      'A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond.',
      'HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@5d3a1f2e (This connection has been closed.). Possibly consider using a shorter maxLifetime value.',
      "Operation on target Copy failed: Failure happened on 'Source' side. ErrorCode=UserErrorOdbcOperationFailed,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=ERROR [08003] connection does not exist,Source=Microsoft.DataTransfer.ClientLibrary.Odbc.OdbcConnector,'",
      'ERROR: terminating connection due to administrator command. The connection to the server was lost. Attempting reset: Failed.',
      'connection does not exist',
    ]) {
      expect(isProseText(line), line).toBe(false);
    }
  });

  it('sets aside explaining paragraphs and questions', () => {
    expect(isProseText('What is the difference between connection refused and connection does not exist when the pool is full?')).toBe(true);
    expect(isProseText('The server closed the connection because the session sat idle in a transaction for too long. Raise the timeout or commit sooner.')).toBe(true);
  });
});
