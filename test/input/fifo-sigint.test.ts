/**
 * Ctrl-C on a named pipe nobody has opened for writing. Opening a FIFO for reading blocks until
 * a writer comes; done on libuv's thread pool, that blocked open kept the process alive after
 * the first Ctrl-C (and the second). pgtriage opens a FIFO without blocking and reads it like a
 * pipe, so Ctrl-C ends the run at once: the summary of what was read and the usual exit code
 * (0 here: nothing was read, "the input was empty").
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../hostile/helpers.js';
import { BIN } from '../cli/run-cli.js';

const canMkfifo = process.platform === 'linux' && spawnSync('mkfifo', ['--version']).status === 0;

/** True once `pid` holds an open descriptor on `file` (the CLI's SIGINT handler is set before it opens inputs). */
function holds(pid: number, file: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

describe.runIf(canMkfifo)('a FIFO with no writer', () => {
  it('the first SIGINT ends the run with the summary and exit code 0', async () => {
    const dir = tempDir('fifo');
    const fifo = path.join(dir, 'pipe.log');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const child = spawn(process.execPath, [BIN, '-f', 'json', fifo], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    // Wait (without a deadline of its own) until the CLI has the pipe open: then its handler is set.
    while (!holds(child.pid!, fifo) && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const { code, signal } = await exited;
    expect(signal).toBeNull();
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.stats.sources).toBe(1);
    expect(report.warningIds).toContain('warning.input-empty');
    expect(stderr).toMatch(/the input was empty/);
  }, 60_000);
});
