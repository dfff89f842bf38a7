/**
 * A client log written in naive local time beside a UTC server log, no zone stated: the
 * failures line up only at the client's zone offset, so the client is read at that offset, the
 * server line is joined, and a warning says which offset was assumed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';
import { bestShift } from '../../src/records/alignment.js';

// Local time UTC+05:30 (09:47 local is 04:17 UTC), as Python's default asctime prints it.
const CLIENT = [
  '2025-03-02 09:47:09,118 INFO billing.sync: batch 12: 400 rows staged',
  '2025-03-02 09:47:39,120 ERROR billing.sync: batch 12 failed',
  'Traceback (most recent call last):',
  '  File "/srv/billing/sync.py", line 91, in push',
  'psycopg2.OperationalError: server closed the connection unexpectedly',
].join('\n');
const SERVER = [
  '2025-03-02 04:10:00.001 UTC [4100] LOG:  checkpoint starting: time',
  '2025-03-02 04:17:38.900 UTC [4242] billing@ledger FATAL:  terminating connection due to administrator command',
  '2025-03-02 04:17:38.901 UTC [4242] billing@ledger LOG:  disconnection: session time: 0:10:00.000 user=billing database=ledger host=10.0.0.5 port=5000',
].join('\n');

describe('automatic zone shift of a naive source', () => {
  it('reads the naive client at the offset that lines its failure up with the UTC server, and says so', async () => {
    const report = await triage([
      { name: 'app.log', content: CLIENT },
      { name: 'postgresql.log', content: SERVER },
    ]);
    expect(report.incidents.map((i) => [i.source, i.time, i.timeNaive, i.causes[0].id])).toEqual([
      ['app.log', '2025-03-02T04:17:39.120Z', undefined, 'admin-terminated-backend'],
    ]);
    expect(report.incidents[0].evidence.some((e) => e.source === 'postgresql.log' && e.line === 2)).toBe(true);
    expect(report.warningIds).toEqual(['warning.zone-shifted']);
    expect(report.warnings[0]).toContain('UTC+05:30');
    expect(report.warnings[0]).toContain('1 of its 1 failure(s) with postgresql.log');
  });

  it('the lab case from real software (SQLAlchemy logging in Europe/Paris beside a UTC server) joins its server line', async () => {
    const dir = new URL('../../samples/lab/recycle-sqlalchemy-naive-tz/', import.meta.url);
    const report = await triage([
      { name: 'client.log', content: readFileSync(new URL('client.log', dir), 'utf8') },
      { name: 'server.log', content: readFileSync(new URL('server.log', dir), 'utf8') },
    ]);
    expect(report.incidents).toHaveLength(1);
    const [i] = report.incidents;
    expect(i.time).toBe('2026-12-01T11:31:19.037Z');
    expect(i.evidence.some((e) => e.source === 'server.log' && e.text.includes('idle-session timeout'))).toBe(true);
    expect(i.causes[0].id).toBe('pool-recycle-exceeds-server-timeout');
    expect(report.warnings.find((w) => w.includes('UTC+01:00'))).toBeDefined();
  });

  it('a stated zone wins: no shift, no warning about one', async () => {
    const report = await triage(
      [
        { name: 'app.log', content: CLIENT },
        { name: 'postgresql.log', content: SERVER },
      ],
      { zoneOf: (s) => (s === 'app.log' ? 'UTC' : undefined) },
    );
    expect(report.warningIds).not.toContain('warning.zone-shifted');
    expect(report.incidents.find((i) => i.source === 'app.log')?.time).toBe('2025-03-02T09:47:39.120Z');
  });

  it('nothing lines up at any offset: no shift, the overlap warning with its hint stays', async () => {
    const unrelated = SERVER.replace(/04:17:38/g, '03:00:00');
    const report = await triage([
      { name: 'app.log', content: CLIENT },
      { name: 'postgresql.log', content: unrelated },
    ]);
    expect(report.warningIds).toEqual(['warning.sources-apart-naive']);
  });

  it('bestShift: half the failures must line up, the offset must be unique, and none unshifted', () => {
    const H = 3_600_000;
    const z = [10 * H, 12 * H];
    expect(bestShift([15 * H, 17 * H], z, 60_000)).toEqual({ shift: -5 * H, matched: 2 });
    // Half-hour zones (India).
    expect(bestShift([15 * H + 20_000], [9.5 * H], 60_000)).toEqual({ shift: -5.5 * H, matched: 1 });
    // Already aligned: nothing to do.
    expect(bestShift([10 * H + 1_000], z, 60_000)).toBeUndefined();
    // Two offsets line up as well as each other (one failure, two records two hours apart).
    expect(bestShift([15 * H], z, 60_000)).toBeUndefined();
    // A quarter-past offset is no zone.
    expect(bestShift([15.25 * H], z, 60_000)).toBeUndefined();
    // One failure of three lines up: not enough.
    expect(bestShift([15 * H, 3 * H, 1 * H], [10 * H], 60_000)).toBeUndefined();
  });
});
