/**
 * A client log written in naive local time beside a UTC server log: with the zone given (per
 * input or for the run) the failure joins the server line; without it a warning says the sources
 * do not overlap and which shift would line them up. `sources[]` carries each source's range.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';
import { naiveToUtc } from '../../src/formats/common/zone.js';
import { splitZones } from '../../src/cli/zones.js';

// Asia/Kolkata is UTC+05:30 all year: 09:47:39 local is 04:17:39 UTC.
const CLIENT = [
  '2025-03-02 09:47:09,118 INFO billing.sync: batch 12: 400 rows staged',
  '2025-03-02 09:47:39,120 ERROR billing.sync: batch 12 failed',
  'Traceback (most recent call last):',
  '  File "/srv/billing/sync.py", line 91, in push',
  'psycopg2.OperationalError: server closed the connection unexpectedly',
].join('\n');
const SERVER = [
  '2025-03-02 04:17:38.900 UTC [4242] billing@ledger FATAL:  terminating connection due to administrator command',
  '2025-03-02 04:17:38.901 UTC [4242] billing@ledger LOG:  disconnection: session time: 0:10:00.000 user=billing database=ledger host=10.0.0.5 port=5000',
].join('\n');

const inputs = [
  { name: 'app.log', content: CLIENT },
  { name: 'postgresql.log', content: SERVER },
];

describe('time zones', () => {
  it('reads naive times in the zone given for the input and joins the UTC server line', async () => {
    const report = await triage(inputs, { zoneOf: (s) => (s === 'app.log' ? 'Asia/Kolkata' : undefined) });
    expect(report.incidents).toHaveLength(1);
    const [i] = report.incidents;
    expect(i.time).toBe('2025-03-02T04:17:39.120Z');
    expect(i.timeNaive).toBeUndefined();
    expect(i.evidence.some((e) => e.source === 'postgresql.log' && e.line === 1)).toBe(true);
    expect(i.causes[0].id).toBe('admin-terminated-backend');
    expect(report.warnings.filter((w) => w.includes('overlap'))).toEqual([]);
  });

  it('--tz applies to every input; a fixed offset works too', async () => {
    const report = await triage(inputs, { tz: '+05:30' });
    expect(report.incidents.map((i) => i.time)).toEqual(['2025-03-02T04:17:39.120Z']);
  });

  it('without a zone, from a stream that cannot be read twice: not joined, a warning names the shift and the ranges', async () => {
    // (Inputs that can be read again are read at the shift instead: test/read/zone-shift.test.ts.)
    const report = await triage([{ name: 'app.log', content: Readable.from([CLIENT]) }, inputs[1]]);
    expect(report.incidents.find((i) => i.source === 'app.log')?.time).toBe('2025-03-02T09:47:39.120Z');
    const app = report.sources.find((s) => s.source === 'app.log')!;
    expect([app.firstTime, app.lastTime, app.timeNaive]).toEqual(['2025-03-02T09:47:09.118Z', '2025-03-02T09:47:39.120Z', true]);
    const server = report.sources.find((s) => s.source === 'postgresql.log')!;
    expect([server.firstTime, server.timeNaive]).toEqual(['2025-03-02T04:17:38.900Z', undefined]);
    const warning = report.warnings.find((w) => w.includes('do not overlap'));
    expect(warning).toContain('app.log@tz=+05:30');
  });

  it('handles daylight saving time per timestamp', () => {
    // Berlin: UTC+1 in winter, UTC+2 in summer.
    expect(naiveToUtc(Date.UTC(2025, 0, 15, 12), 'Europe/Berlin')).toBe(Date.UTC(2025, 0, 15, 11));
    expect(naiveToUtc(Date.UTC(2025, 6, 15, 12), 'Europe/Berlin')).toBe(Date.UTC(2025, 6, 15, 10));
  });

  it('path@tz= is split off an input and found again for the files under it', () => {
    const { inputs: plain, zoneOf } = splitZones(['logs/app@tz=Asia/Kolkata', 'db.log', 'x/*.log@tz=UTC']);
    expect(plain).toEqual(['logs/app', 'db.log', 'x/*.log']);
    expect(zoneOf('logs/app/a.log')).toBe('Asia/Kolkata');
    expect(zoneOf('db.log')).toBeUndefined();
    expect(zoneOf('x/b.log')).toBe('UTC');
    expect(() => splitZones(['a.log@tz=Mars/Olympus'])).toThrow(/unknown time zone/);
  });
});

describe('--since/--until follow --tz', () => {
  it('reads a naive bound in the zone, leaves a zoned bound alone', async () => {
    const { resolveWindow } = await import('../../src/cli/window.js');
    expect(resolveWindow('2025-03-02T09:47', undefined, [], true, { tz: 'Asia/Kolkata' })?.since).toBe(Date.UTC(2025, 2, 2, 4, 17));
    expect(resolveWindow('2025-03-02', undefined, [], true, { tz: '+02:00' })?.since).toBe(Date.UTC(2025, 2, 1, 22));
    expect(resolveWindow('2025-03-02T09:47Z', undefined, [], true, { tz: 'Asia/Kolkata' })?.since).toBe(Date.UTC(2025, 2, 2, 9, 47));
    expect(resolveWindow('2025-03-02T09:47', undefined, [], true)?.since).toBe(Date.UTC(2025, 2, 2, 9, 47));
  });

  it('a local-time window keeps the failure written in that zone', async () => {
    const { resolveWindow } = await import('../../src/cli/window.js');
    const window = resolveWindow('2025-03-02 09:47:30', '2025-03-02 09:48', [], false, { tz: 'Asia/Kolkata' });
    const report = await triage(inputs, { tz: 'Asia/Kolkata', window });
    expect(report.incidents.map((i) => i.time)).toEqual(['2025-03-02T04:17:39.120Z']);
    const utcWindow = resolveWindow('2025-03-02 09:47:30', '2025-03-02 09:48', [], false);
    const missed = await triage(inputs, { tz: 'Asia/Kolkata', window: utcWindow });
    expect(missed.incidents).toEqual([]);
  });
});
