/**
 * The CLI reads files again with a naive source at the zone offset that lines it up (its first
 * run's output is held back and dropped); from stdin, which cannot be read twice, it only hints.
 */
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { HeldOutput } from '../../src/cli/held-output.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'pgtriage-shift-'));
const app = path.join(tmp, 'app.log');
const pg = path.join(tmp, 'pg.log');
// Local time UTC+05:30 beside a UTC server log.
writeFileSync(app, [
  '2025-03-02 09:47:39,120 ERROR billing.sync: batch 12 failed',
  'Traceback (most recent call last):',
  '  File "/srv/billing/sync.py", line 91, in push',
  'psycopg2.OperationalError: server closed the connection unexpectedly',
  '',
].join('\n'));
writeFileSync(pg, '2025-03-02 04:17:38.900 UTC [4242] billing@ledger FATAL:  terminating connection due to administrator command\n');

describe('CLI: automatic zone shift', () => {
  it('files: one JSON document from the second run, joined with the server line, and the warning', () => {
    const r = runCli(['--format', 'json', app, pg]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.incidents.map((i: { time: string; causes: { id: string }[] }) => [i.time, i.causes[0].id])).toEqual([
      ['2025-03-02T04:17:39.120Z', 'admin-terminated-backend'],
    ]);
    expect(report.warningIds).toEqual(['warning.zone-shifted']);
    expect(r.stderr).toContain('UTC+05:30');
  });

  it('--no-zone-shift: no guess, the hint only', () => {
    const report = JSON.parse(runCli(['--format', 'json', '--no-zone-shift', app, pg]).stdout);
    expect(report.incidents).toHaveLength(2);
    expect(report.warningIds).toEqual(['warning.sources-apart-naive']);
  });

  it('stdin cannot be read again: the incidents stay apart and the hint names the zone', () => {
    const r = runCli(['--format', 'json', app, '-'], readFileSync(pg));
    const report = JSON.parse(r.stdout);
    expect(report.incidents).toHaveLength(2);
    expect(report.warningIds).toEqual(['warning.sources-apart-naive']);
  });

  it('the hold is bounded: past its limit, what was held and what follows go straight through', () => {
    const out: string[] = [];
    const held = new HeldOutput(10, (t) => out.push(t));
    expect(held.hold('abcd')).toBe(true);
    expect(held.hold('efgh')).toBe(true);
    expect(out).toEqual([]);
    expect(held.hold('ijkl')).toBe(false);
    expect(out).toEqual(['abcd', 'efgh']);
    expect(held.holding).toBe(false);
    const dropped = new HeldOutput(10, (t) => out.push(t));
    dropped.hold('x');
    dropped.drop();
    expect(dropped.hold('y')).toBe(false);
    expect(out).toEqual(['abcd', 'efgh']);
  });
});
