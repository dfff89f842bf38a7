import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report-types.js';
import { runCli } from './run-cli.js';

const fail = (t: string) => `2026-11-25 ${t},000 ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly\n`;

/** A project tree as a user has it: config two levels up, logs, scripts, a dbt target folder. */
function project(): { root: string; cwd: string } {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'pgtriage-conv-')));
  const files: Record<string, string> = {
    'pgtriage.config.yaml': 'format: json\nclockSkew: 10s\n',
    'team/etl/logs/app.log': fail('01:00:00') + '2026-11-25 02:30:00,000 INFO etl.load: batch done\n' + fail('03:00:00') + fail('05:00:00'),
    'team/etl/logs/app.log.1': fail('00:10:00'),
    'team/etl/logs/.pgtriageignore': '*.log.1\n',
    'team/etl/scripts/reproduce.sh': `echo "${fail('04:00:00').trim()}"\n`,
    'team/etl/target/compiled/m.sql': 'select 1 -- server closed the connection unexpectedly\n',
    'team/etl/target/manifest.json': '{"x": "server closed the connection unexpectedly"}\n',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return { root, cwd: path.join(root, 'team/etl') };
}

describe('the conventions users know, in one project tree', () => {
  const { root, cwd } = project();
  const run = (args: string[]) => runCli(args, undefined, {}, cwd);
  const report = (args: string[]) => {
    const r = run(args);
    return { ...r, report: JSON.parse(r.stdout) as Report };
  };

  it('takes the format from the config two levels up and walks only the logs', () => {
    const { code, report: r } = report(['.']);
    expect(code).toBe(1);
    expect(r.sources.map((s) => s.source)).toEqual(['logs/app.log']);
    expect(r.incidents.map((i) => i.line)).toEqual([1, 3, 4]);
    expect(r.stats.skippedByReason).toEqual({ 'build-output': 2, pgtriageignore: 1, 'source-code': 1 });
    const origin = run(['--print-config']).stdout;
    expect(origin).toMatch(new RegExp(`^clockSkew +"10s" +${path.join(root, 'pgtriage.config.yaml')}:2:12$`, 'm'));
  });

  it('lists every skipped file with its reason under --explain', () => {
    const text = run(['-f', 'text', '--explain', '.']).stdout;
    expect(text).toContain('logs/app.log.1  pgtriageignore: logs/.pgtriageignore: *.log.1');
    expect(text).toMatch(/scripts\/reproduce\.sh {2}source-code: default ignore \*\.sh/);
    expect(text).toMatch(/target\/compiled\/ {2}build-output/);
  });

  it('applies --since and --until, absolute or counted back from the newest line, and says so', () => {
    const abs = report(['--since', '2026-11-25T02:00', '--until', '2026-11-25T04:00Z', 'logs/app.log']).report;
    expect(abs.incidents.map((i) => i.line)).toEqual([3]);
    expect(abs.window).toEqual({ since: '2026-11-25T02:00:00.000Z', until: '2026-11-25T04:00:00.000Z' });
    expect(abs.stats.eventsOutsideWindow).toBe(2);
    const rel = report(['--since', '2h', 'logs/app.log']).report;
    expect(rel.incidents.map((i) => i.line)).toEqual([3, 4]);
    expect(rel.window).toEqual({ since: '2026-11-25T03:00:00.000Z' });
    expect(run(['--until', '2h', '-']).stderr).toMatch(/--until with a duration needs files/);
    expect(run(['--since', 'yesterday-ish', '.']).stderr).toMatch(/^pgtriage: --since: not an ISO time or a duration/);
  });

  it('answers typos with one line and a suggestion', () => {
    const r = run(['--formt', 'json', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('pgtriage: unknown option --formt; did you mean --format?\n');
    expect(run(['-f', 'jsno', '.']).stderr).toMatch(/did you mean json\?\n$/);
    expect(report(['-f', 'JSON', '.']).code).toBe(1);
  });

  it('reports a missing input once and still analyses the rest', () => {
    const r = run(['-f', 'text', 'logs/app.log', 'logs/missing.log']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('pgtriage: logs/missing.log: no such file or directory\n');
    expect(r.stdout.match(/missing\.log/g)).toHaveLength(1);
    const q = run(['--quiet', 'logs/app.log', 'logs/missing.log']);
    expect(q.stdout.trim().split('\n')).toHaveLength(1);
    expect(q.stdout).toMatch(/^pgtriage: 3 incidents in the 08003 family/);
  });
});
