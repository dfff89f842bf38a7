import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './run-cli.js';

const failure = (hour: number) => `2024-05-01 ${String(hour).padStart(2, '0')}:00:05,000 ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly\n`;

// Every step waits for what the CLI writes, never for a fixed time: the only clock is the
// generous guard that fails the test if an incident never comes.
describe('pgtriage --follow', () => {
  it('follows a glob through rename and copytruncate rotation and new files, then ends on Ctrl-C with the summary', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pgtriage-follow-cli-'));
    const app = path.join(dir, 'app.log');
    writeFileSync(app, failure(1));
    const child = spawn(process.execPath, [BIN, '--follow', '--format', 'ndjson', '--flush-after', '200ms', '--no-config', path.join(dir, '*.log')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const waiters: Array<() => void> = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      for (const w of waiters.splice(0)) w();
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const lines = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; source?: string; stats?: { incidents: number } });
    const incidents = () => lines().filter((l) => l.type === 'incident');
    const until = async (n: number) => {
      const guard = Date.now() + 60_000;
      while (incidents().length < n) {
        if (child.exitCode !== null) throw new Error(`pgtriage exited early: ${err}`);
        if (Date.now() > guard) throw new Error(`waited for incident ${n}; got ${out} ${err}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 500);
        });
      }
    };

    await until(1);
    // logrotate's default: rename, then a new file at the path.
    renameSync(app, `${app}.1`);
    writeFileSync(app, failure(5));
    await until(2);
    // copytruncate: the same file, emptied in place.
    copyFileSync(app, `${app}.2`);
    truncateSync(app, 0);
    appendFileSync(app, failure(9));
    await until(3);
    // A file that matches the glob only now.
    writeFileSync(path.join(dir, 'worker.log'), failure(13));
    await until(4);
    // The rotated copies no longer match *.log and are not read again.
    expect(incidents().map((i) => path.basename(i.source ?? ''))).toEqual(['app.log', 'app.log', 'app.log', 'worker.log']);

    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const all = lines();
    expect(all.at(-1)?.type).toBe('summary');
    expect(all.at(-1)?.stats?.incidents).toBe(4);
    expect(code).toBe(1);
  }, 120_000);

  it('is refused without files, and with stdin', async () => {
    const { runCli } = await import('./run-cli.js');
    const none = runCli(['--follow', '--no-config'], '');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--follow needs files or globs');
    const stdin = runCli(['--follow', '--no-config', '-'], '');
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toContain('--follow reads files');
  });
});
