import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report-types.js';
import { BIN, runCli } from './run-cli.js';

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
  // A night of a busy log beside the project (not under the walked folder): one line every 2 s
  // from midnight to 06:00, one failure at 01:00:05 and one at 05:00:05.
  const night: string[] = [];
  for (let t = 0; t < 6 * 3600; t += 2) {
    const hms = [t / 3600, (t / 60) % 60, t % 60].map((n) => String(Math.floor(n)).padStart(2, '0')).join(':');
    night.push(`2026-11-25 ${hms},000 INFO etl.load: batch ${t} loaded`);
    if (t === 3600 || t === 5 * 3600) night.push(fail(`${hms.slice(0, 6)}05`).trimEnd());
  }
  files['night.log'] = night.join('\n') + '\n';
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

  it('reads naive --since/--until times in the --tz zone, and leaves a night outside the window unread', () => {
    // 04:00 at +02:00 is 02:00 UTC: the failures at 03:00 and 05:00 (naive, read as UTC) are inside.
    const tz = report(['--tz', '+00:00', '--since', '2026-11-25T04:00+02:00', 'logs/app.log']).report;
    expect(tz.incidents.map((i) => i.line)).toEqual([3, 4]);
    const zoned = report(['--tz', '+02:00', '--since', '2026-11-25T04:00', 'logs/app.log']).report;
    // Now the log's own naive times are +02:00 too: 03:00 is 01:00 UTC, before 02:00 UTC.
    expect(zoned.window).toEqual({ since: '2026-11-25T02:00:00.000Z' });
    expect(zoned.incidents.map((i) => i.line)).toEqual([4]);
    const busy = report(['--since', '1h', '../../night.log']).report;
    expect(busy.window).toEqual({ since: '2026-11-25T04:59:58.000Z' });
    expect(busy.incidents.map((i) => i.time)).toEqual(['2026-11-25T05:00:05.000Z']);
    // Five of the six hours lie outside; all but the read chunk (64 KiB) that crosses the bound
    // are never parsed, and the report says how many lines that was.
    expect(busy.stats.linesOutsideWindow).toBeGreaterThan(0.7 * busy.stats.lines);
    expect(run(['-f', 'text', '--since', '1h', '../../night.log']).stdout).toMatch(/window 2026-11-25T04:59:58\.000Z \.\. end \(\d+ events outside, [\d,]+ lines not read\)/);
  });

  it('follows a rotating log under the project, each incident under its own file name', async () => {
    writeFileSync(path.join(cwd, 'logs/live.log'), fail('06:00:00'));
    const child = spawn(process.execPath, [BIN, '--follow', '-f', 'ndjson', '--flush-after', '200ms', 'logs/live*.log'], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const incidents = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; source?: string }).filter((l) => l.type === 'incident');
    // Waits on what the CLI writes; the guard only fails a test whose incident never comes.
    const until = async (n: number) => {
      for (const guard = Date.now() + 60_000; incidents().length < n; ) {
        if (child.exitCode !== null || Date.now() > guard) throw new Error(`incident ${n} never came: ${out} ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await until(1);
    renameSync(path.join(cwd, 'logs/live.log'), path.join(cwd, 'logs/live.log.1'));
    writeFileSync(path.join(cwd, 'logs/live.log'), fail('07:00:00'));
    await until(2);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(incidents().map((i) => i.source)).toEqual(['logs/live.log', 'logs/live.log']);
    expect(code).toBe(1);
    expect(err).toBe('');
  }, 120_000);

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
