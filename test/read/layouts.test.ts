/**
 * The layout of a line must never decide whether an incident exists: the synthetic
 * examples (invented lines in the real software's wording) in layouts no sample has.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';
import { readHeader } from '../../src/formats/app/header.js';
import { stripTransport } from '../../src/records/transport.js';
import { splitGlued } from '../../src/records/glued.js';

const PIPE = [
  '2025-03-02 04:17:09,118 | INFO     | billing.sync:88 | batch 12: 400 rows staged',
  '2025-03-02 04:17:39,120 | ERROR    | billing.sync:91 | batch 12 failed',
  'Traceback (most recent call last):',
  '  File "/srv/billing/sync.py", line 91, in push',
  '    cur.execute(UPSERT, rows)',
  'psycopg2.OperationalError: server closed the connection unexpectedly',
  '\tThis probably means the server terminated abnormally',
  '\tbefore or while processing the request.',
].join('\n');

const SERVER = [
  '2025-03-02 04:17:38.900 UTC [4242] billing@ledger FATAL:  terminating connection due to administrator command',
  '2025-03-02 04:17:38.901 UTC [4242] billing@ledger LOG:  disconnection: session time: 0:10:00.000 user=billing database=ledger host=10.0.0.5 port=5000',
].join('\n');

describe('application layouts no format lists', () => {
  it('pipe layout: the ERROR header and its traceback are one incident at the header time, joined with the server line', async () => {
    const report = await triage([
      { name: 'app.log', content: PIPE },
      { name: 'postgresql.log', content: SERVER },
    ]);
    expect(report.incidents).toHaveLength(1);
    const [i] = report.incidents;
    expect(i.time).toBe('2025-03-02T04:17:39.120Z');
    expect([i.source, i.line, i.endLine]).toEqual(['app.log', 2, 8]);
    expect(i.evidence.some((e) => e.source === 'postgresql.log' && e.line === 1)).toBe(true);
    expect(i.causes[0].id).toBe('admin-terminated-backend');
  });

  it('a bare traceback under a header of an unknown layout takes that header time', async () => {
    const text = [
      '[2025-03-02 04:17:39,120] {worker-3} ERROR billing.sync: batch 12 failed',
      '',
      'Traceback (most recent call last):',
      '  File "/srv/billing/sync.py", line 91, in push',
      'psycopg2.OperationalError: server closed the connection unexpectedly',
    ].join('\n');
    const report = await triage({ name: 'app.log', content: text });
    expect(report.incidents.map((i) => i.time)).toEqual(['2025-03-02T04:17:39.120Z']);
  });

  it('a continuation never swallows the next header', async () => {
    const text = [
      '2025-03-02 04:17:30.000 INFO  [main] billing.sync - start',
      '    a wrapped continuation line',
      '2025-03-02 04:17:39.120 ERROR [main] billing.sync - query failed: server closed the connection unexpectedly',
    ].join('\n');
    const report = await triage({ name: 'app.log', content: text });
    expect(report.incidents.map((i) => [i.line, i.time])).toEqual([[3, '2025-03-02T04:17:39.120Z']]);
  });

  it('reads the header fields of layouts by their parts', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['2025-03-02 04:17:39,120 | ERROR    | billing.sync:91 | batch 12 failed', { level: 'error', logger: 'billing.sync:91', message: 'batch 12 failed' }],
      ['[2025-03-02 04:17:39,120] {MainThread} ERROR billing.sync: boom', { level: 'error', thread: 'MainThread', logger: 'billing.sync', message: 'boom' }],
      ['04:17:39.120 [main] ERROR com.acme.Billing - batch failed', { timeOfDay: '04:17:39.120', thread: 'main', logger: 'com.acme.Billing', message: 'batch failed' }],
      ['2025/03/02 04:17:39 ERROR billing: query failed', { level: 'error', logger: 'billing', message: 'query failed' }],
      ['ERROR 2025-03-02 04:17:39,120 billing.sync batch failed', { level: 'error', logger: 'billing.sync', message: 'batch failed' }],
      ['02-Mar-2025 04:17:39.120 SEVERE [http-nio-8080-exec-1] org.apache.X Servlet failed', { level: 'error', thread: 'http-nio-8080-exec-1' }],
      ['2025-03-02 04:17:39.120 +00:00 [ERR] Failed executing DbCommand', { level: 'error', message: 'Failed executing DbCommand' }],
    ];
    for (const [line, want] of cases) expect(readHeader(line), line).toMatchObject(want);
    expect(readHeader('2025-03-02 04:17:39.120 +00:00 [ERR] x')?.time).toEqual({ ts: Date.UTC(2025, 2, 2, 4, 17, 39, 120), naive: false });
    // prose that mentions a date, and indented lines, are not headers
    expect(readHeader('The year 2025-03-02 04:17:39 was fine')).toBeUndefined();
    // Go's log.New prefix leads its yyyy/mm/dd date; before any other date a free word is prose.
    expect(readHeader('labels 2026/12/01 15:28:11.226415 ERROR order 101: label not stored: driver: bad connection')).toMatchObject({
      style: 'slash', logger: 'labels', level: 'error', time: { ts: Date.UTC(2026, 11, 1, 15, 28, 11, 226), naive: true },
    });
    expect(readHeader('Released 2025-03-02 04:17:39 to production')).toBeUndefined();
    expect(readHeader('it said 2026/12/01 15:28:11 then')).toBeUndefined();
    expect(readHeader('  2025-03-02 04:17:39 indented')).toBeUndefined();
  });
});

describe('transport prefixes', () => {
  const APP = '2025-03-02 04:17:39,120 ERROR billing: psycopg2.OperationalError: server closed the connection unexpectedly';
  const prefixed: Array<[string, string | undefined]> = [
    ['<14>Mar  2 04:17:39 web1 billing[311]: ', undefined],
    ['<14>1 2025-03-02T04:17:39.120Z web1 billing 311 - - ', '2025-03-02T04:17:39.120Z'],
    ['2025-03-02T04:17:39+0000 web1 billing[311]: ', '2025-03-02T04:17:39+0000'],
    ['2025-03-02T04:17:39.120000000Z stdout F ', '2025-03-02T04:17:39.120000000Z'],
    ['2025-03-02T04:17:39.120+00:00 app[web.1]: ', '2025-03-02T04:17:39.120+00:00'],
    ['2025-03-02T04:17:39.12+0000 [APP/PROC/WEB/0] OUT ', '2025-03-02T04:17:39.12+0000'],
    ['billing-1  | ', undefined],
    ['[pod/billing-7d9f/app] ', undefined],
    ['> ', undefined],
    ['> billing-1  | ', undefined],
  ];
  it.each(prefixed)('strips %j', (prefix, time) => {
    expect(stripTransport(prefix + APP)).toEqual({ text: APP, time });
  });

  it('leaves application lines alone', () => {
    for (const line of [APP, '2025-03-02T04:17:39Z ERROR worker[3]: boom', 'INFO     | billing | x', '2025-03-02 04:17:39 UTC [4242] app@db LOG:  x']) {
      expect(stripTransport(line), line).toBeUndefined();
    }
  });

  it('finds the incident under a docker compose prefix and quotes the line as it was', async () => {
    const text = PIPE.split('\n').map((l) => `billing-1  | ${l}`).join('\n');
    const report = await triage({ name: 'compose.log', content: text });
    expect(report.incidents).toHaveLength(1);
    expect(report.incidents[0].time).toBe('2025-03-02T04:17:39.120Z');
    const failure = report.incidents[0].evidence.find((e) => e.role === 'failure');
    expect(failure?.text.split('\n')[0]).toBe('billing-1  | 2025-03-02 04:17:39,120 | ERROR    | billing.sync:91 | batch 12 failed');
  });
  it('a traceback quoted with `> ` keeps its indentation, so the header line still starts the incident', async () => {
    // Found by the never-lose property: one header and no other line to learn the layout from.
    const text = PIPE.split('\n').slice(1).map((l) => `> ${l}`).join('\n');
    const report = await triage({ name: 'ticket.txt', content: text });
    expect(report.incidents.map((i) => [i.line, i.endLine, i.time])).toEqual([[1, 7, '2025-03-02T04:17:39.120Z']]);
    expect(stripTransport('>   File "/srv/x.py", line 9')?.text).toBe('  File "/srv/x.py", line 9');
  });
});

describe('glued records', () => {
  // The seed page shows its example log with the line breaks between the three records lost.
  const SEED_GLUED = [
    'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) FATAL:  connection does not exist',
    'SSLERROR: decryption failed or bad record mac',
    '[SQL: SELECT id, updated_at FROM public.fact_orders WHERE updated_at > %(ts)s]',
    '(Background on this error at: https://sqlalche.me/e/14/e3q8)ERROR 1 of 1 in model fact_orders (models/marts/fact_orders.sql)',
    '  Database Error in model fact_orders',
    '  connection does not exist',
    '  compiled Code at target/compiled/marts/fact_orders.sqlActivity failed: CopyData | ErrorCode: UserErrorOdbcOperationFailed | Message: ODBC Source, Error [08003] connection does not exist | Pipeline: pl_ingest_postgres | Duration: 00:02:14',
  ].join('\n');

  it('the seed example glued as on the web page gives its three incidents', async () => {
    const report = await triage({ name: 'seed.txt', content: SEED_GLUED });
    expect(report.incidents.map((i) => [i.line, i.format])).toEqual([
      [1, 'python-traceback'],
      [4, 'dbt-text'],
      [7, 'adf-text'],
    ]);
    expect(report.incidents.find((i) => i.format === 'dbt-text')?.model).toBe('fact_orders');
    expect(report.incidents.find((i) => i.format === 'adf-text')?.pipeline).toBe('pl_ingest_postgres');
  });

  it('cuts only where a record start touches the previous text', () => {
    expect(splitGlued('(Background on this error at: https://sqlalche.me/e/14/e3q8)ERROR 1 of 1 in model x (m.sql)')).toEqual([
      '(Background on this error at: https://sqlalche.me/e/14/e3q8)',
      'ERROR 1 of 1 in model x (m.sql)',
    ]);
    expect(splitGlued('the job said: Activity failed: CopyData | ErrorCode: X')).toBeUndefined();
    expect(splitGlued('sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection')).toBeUndefined();
    expect(splitGlued('2024-05-01 02:00:00.100 UTC,"etl","dw",4711,"10.0.0.5:5000",,2024-05-01 01:00:00.000 UTC,')).toBeUndefined();
  });
});
