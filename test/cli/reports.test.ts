/**
 * The reports a person reads, on the bundled samples (issue 14's "done when"): the answer on
 * one screen, identical failures grouped, every line fitted to the width, ids without gaps.
 */
import stringWidth from 'string-width';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from './run-cli.js';

// Each case runs the CLI on many samples; a shared two-core machine can take seconds.
vi.setConfig({ testTimeout: 60_000 });

/** The summary: everything before the first blank line. */
const summaryOf = (text: string) => text.slice(0, text.indexOf('\n\n')).split('\n');

describe('text report on the samples', () => {
  const triage = runCli(['--per-directory', 'samples/']);

  it('npm run triage starts with a summary that fits on one screen (<= 25 lines)', () => {
    expect(triage.code).toBe(1);
    const summary = summaryOf(triage.stdout);
    expect(summary[0]).toMatch(/^pgtriage: \d+ incidents in the 08003 family: \d+ problems in \d+ cases, each case judged on its own$/);
    expect(summary.length).toBeLessThanOrEqual(25);
    expect(summary.length).toBeGreaterThan(5);
    // One headline per case, and no cause ranked across cases.
    expect(triage.stdout).not.toMatch(/^pgtriage: .*most likely/m);
    expect(triage.stdout).toMatch(/^── samples\/lab\/restart-sqlalchemy-psycopg2: 4 incidents; most likely: /m);
  });

  it('shows the lab case with four identical failures as one grouped block', () => {
    const text = runCli(['samples/lab/restart-sqlalchemy-psycopg2/'], undefined).stdout;
    const blocks = text.match(/^P\d+ · .*$/gm) ?? [];
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatch(/^P1 · 4 incidents · 08003 connection-lost · 2026-11-25 13:58:1\d(–13:58:1\d)? UTC/);
    expect(text.replace(/\n\s+/g, ' ')).toMatch(/at I1 \S*client\.log:12, I2 \S*client\.log:\d+, I3 \S*client\.log:\d+, I4 \S*client\.log:\d+/);
    // The traceback is quoted once, not once per incident or per rule.
    expect(text.split('server closed the connection unexpectedly').length - 1).toBeLessThanOrEqual(2);
  });

  it('the seed example report is under 40 lines', () => {
    const r = runCli(['samples/seed-example.log']);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').length).toBeLessThan(40);
  });

  it.each([['samples/seed-example.log'], ['--per-directory', 'samples/lab/'], ['--explain', 'samples/formats/']])('at --width 80 no line is over 80 columns: %s', (...args) => {
    const r = runCli(['--width', '80', ...args]);
    const over = r.stdout.split('\n').filter((l) => stringWidth(l) > 80);
    expect(over).toEqual([]);
  });

  it('at --width 80 a live stream (stdin) of wide-character failures keeps every line within 80 columns', () => {
    const wide = '取り込み処理の接続が失われました（再試行します）データベース「売上」';
    const log = [0, 1, 2]
      .map((i) => `2024-05-01 02:00:0${i * 3},000 ERROR etl.${wide}: psycopg2.OperationalError: server closed the connection unexpectedly ${wide.repeat(2)}`)
      .join('\n');
    for (const extra of [[], ['--explain']]) {
      const r = runCli(['--width', '80', ...extra, '-'], `${log}\n`);
      expect(r.code).toBe(1);
      const lines = r.stdout.split('\n');
      expect(lines.some((l) => l.includes('取り込み'))).toBe(true);
      expect(lines.filter((l) => stringWidth(l) > 80)).toEqual([]);
    }
  });

  it('numbers incidents I1, I2... without gaps in report order', () => {
    const report = JSON.parse(runCli(['--format', 'json', '--per-directory', 'samples/']).stdout) as {
      incidents: Array<{ id: string }>;
      problems: Array<{ id: string; incidents: string[]; count: number }>;
    };
    expect(report.incidents.map((i) => i.id)).toEqual(report.incidents.map((_, i) => `I${i + 1}`));
    const grouped = report.problems.flatMap((p) => p.incidents).sort();
    expect(grouped).toEqual(report.incidents.map((i) => i.id).sort());
    expect(report.problems.reduce((a, p) => a + p.count, 0)).toBe(report.incidents.length);
    expect(report.problems.map((p) => p.id)).toEqual(report.problems.map((_, i) => `P${i + 1}`));
  });

  it('rejects a --width that is not a number of columns', () => {
    const r = runCli(['--width', 'wide', 'samples/seed-example.log']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--width: not a whole number/);
    const narrow = runCli(['--width', '20', 'samples/seed-example.log']);
    expect(narrow.code).toBe(2);
    expect(narrow.stderr).toMatch(/--width must be at least 40/);
  });
});
