import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report-types.js';
import { runCli } from './run-cli.js';

const SEED = 'samples/seed-example.log';
const tmp = mkdtempSync(path.join(tmpdir(), 'pgtriage-cli-'));

function json(args: string[], input?: string): { code: number | null; report: Report; stderr: string } {
  const r = runCli(['--format', 'json', ...args], input);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

describe('pgtriage CLI on the seed example', () => {
  const { code, report } = json([SEED]);

  it('finds three 08003-family incidents, one each from the SQLAlchemy, dbt and ADF lines', () => {
    expect(code).toBe(1);
    expect(report.incidents.map((i) => [i.line, i.sqlstate])).toEqual([
      [1, '08003'],
      [5, '08003'],
      [9, '08003'],
    ]);
    expect(report.incidents.map((i) => i.format)).toEqual(['python-traceback', 'dbt-text', 'adf-text']);
  });

  it('quotes each failure as file:line evidence', () => {
    for (const incident of report.incidents) {
      const failure = incident.evidence.find((e) => e.role === 'failure')!;
      expect(failure.source).toBe(SEED);
      expect(failure.line).toBe(incident.line);
      expect(failure.text.length).toBeGreaterThan(10);
    }
  });

  it('fits remediation to each stack', () => {
    const [sqla, dbt, adf] = report.incidents;
    expect(sqla.stacks).toContain('sqlalchemy');
    expect(dbt.stacks).toContain('dbt');
    expect(adf.stacks).toContain('adf');
    const stacksOf = (i: (typeof report.incidents)[number]) => new Set(i.causes.flatMap((c) => c.remediation.map((r) => r.stack)));
    expect(stacksOf(sqla).has('sqlalchemy')).toBe(true);
    expect(stacksOf(dbt).has('sqlalchemy')).toBe(false);
    expect(stacksOf(dbt).has('dbt')).toBe(true);
    expect(stacksOf(adf).has('adf')).toBe(true);
    expect(stacksOf(adf).has('sqlalchemy')).toBe(false);
  });

  it('reads the TLS record error on the SQLAlchemy record as a connection shared across fork', () => {
    expect(report.incidents[0].causes[0].id).toBe('shared-connection-after-fork');
  });

  it('gives the same incidents from stdin as from the path', () => {
    const viaStdin = json([], readFileSync(SEED, 'utf8'));
    const strip = (r: Report) => r.incidents.map((i) => ({ line: i.line, sqlstate: i.sqlstate, causes: i.causes.map((c) => [c.id, c.score]) }));
    expect(viaStdin.code).toBe(1);
    expect(strip(viaStdin.report)).toEqual(strip(report));
  });
});

describe('pgtriage CLI exit codes and errors', () => {
  it('exits 0 with no incidents on a log without connection errors', () => {
    const file = path.join(tmp, 'clean.log');
    writeFileSync(file, '2024-05-01 02:00:00,000 INFO etl: loaded 10 rows\n2024-05-01 02:00:01,000 INFO etl: done\n');
    const r = runCli([file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no 08003-family incident');
  });

  it('exits 2 with one clear line for a missing path', () => {
    const r = runCli(['does/not/exist.log']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['pgtriage: does/not/exist.log: no such file or directory']);
  });

  it('reports an unreadable path and still analyses the rest', () => {
    const { code, report, stderr } = json(['does/not/exist.log', SEED]);
    expect(code).toBe(1);
    expect(report.incidents).toHaveLength(3);
    expect(stderr).toContain('does/not/exist.log: no such file or directory');
    expect(report.stats.sourcesFailed).toBe(1);
  });

  it('does not call connection refused (08001) an 08003 incident', () => {
    const file = path.join(tmp, 'refused.log');
    writeFileSync(
      file,
      [
        '2024-05-01 02:00:00,000 ERROR etl: cannot connect',
        'psycopg2.OperationalError: connection to server at "127.0.0.1", port 5432 failed: Connection refused',
        '\tIs the server running on that host and accepting TCP/IP connections?',
        '',
      ].join('\n'),
    );
    const { code, report } = json([file]);
    expect(code).toBe(0);
    expect(report.incidents).toEqual([]);
    expect(report.neighbours.map((n) => n.sqlstate)).toEqual(['08001']);
  });

  it('rejects a malformed rule pack with file:line:column and exit 2', () => {
    const dir = path.join(tmp, 'bad-rules');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'bad.yaml'), 'rules:\n  - id: x\n    description: d\n    match: { contians: y }\n    evidence: [ { cause: stale-pool-after-restart, for: weak } ]\n');
    const r = runCli(['--rules', dir, SEED]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:4:14: rule x: match: unknown key "contians" .*; did you mean contains\?/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 on an unknown option with a one-line message', () => {
    const r = runCli(['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^pgtriage: .*frobnicate/);
  });

  it('skips a binary file with a warning and analyses the others', () => {
    const bin = path.join(tmp, 'core.bin');
    writeFileSync(bin, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 32)));
    const { code, report } = json([bin, SEED]);
    expect(code).toBe(1);
    expect(report.stats.sourcesBinary).toBe(1);
    expect(report.warnings.some((w) => w.includes('binary'))).toBe(true);
  });
});
