import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/pgtriage.js', import.meta.url));

describe('live stdin (tail -f | pgtriage)', () => {
  it('writes an incident while the stream is still open, then the summary at end of input', async () => {
    const child = spawn(process.execPath, [BIN, '--format', 'ndjson', '--flush-after', '300ms'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    const firstLine = new Promise<string>((resolve) => {
      child.stdout.on('data', (d: string) => {
        out += d;
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
    });
    child.stdin.write('2024-05-01 02:00:00,000 INFO etl.load: batch 1 loaded\n');
    child.stdin.write('2024-05-01 02:00:05,000 ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly\n');
    // stdin stays open: the incident must come out after the quiet period, not at EOF.
    const line = JSON.parse(await firstLine) as { type: string; incident?: { line: number; sqlstate: string } };
    expect(line.type).toBe('incident');
    expect(child.exitCode).toBeNull();
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['incident', 'summary']);
    expect(code).toBe(1);
  }, 20_000);
});

describe('Ctrl-C on a live stream', () => {
  it('ends the wait at once, writes the summary and exits with the incident code', async () => {
    const child = spawn(process.execPath, [BIN, '--format', 'ndjson', '--flush-after', '10s'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.stdin.write('2024-05-01 02:00:05,000 ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly\n');
    // Long enough for a cold start on a loaded machine (node start-up alone took 1.4-2.4 s at a
    // load average of 14); a signal before the handler is installed kills the process outright.
    await new Promise((r) => setTimeout(r, 4000));
    child.kill('SIGINT'); // stdin stays open, and the quiet period (10 s) has not passed
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const types = out.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types).toEqual(['incident', 'summary']);
    expect(code).toBe(1);
  }, 20_000);
});
