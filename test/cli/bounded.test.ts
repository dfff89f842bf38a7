/**
 * Memory bounded by construction: the CLI under a 64 MB heap, with thousands of incidents
 * written as ndjson into a reader that is slower than pgtriage. Without backpressure the
 * written text piles up in the process (about 16 KB per incident) and the heap runs out;
 * with it, pgtriage waits for the reader.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../hostile/helpers.js';
import { ROOT } from './run-cli.js';

const BIN = path.join(ROOT, 'bin/pgtriage.js');

/** `n` one-line incidents ten minutes apart (each its own incident). */
function manyIncidents(n: number): string {
  const t0 = Date.UTC(2024, 4, 1);
  let out = '';
  for (let i = 0; i < n; i++) {
    const t = new Date(t0 + i * 600_000).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
    out += `${t} ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly\n`;
  }
  return out;
}

describe('64 MB heap', () => {
  it('ndjson into a slow pipe: every incident arrives, the heap holds', async () => {
    const n = Number(process.env.PGTRIAGE_BOUNDED_INCIDENTS ?? 6000);
    const dir = tempDir('bounded');
    const log = path.join(dir, 'many.log');
    writeFileSync(log, manyIncidents(n));
    const child = spawn(process.execPath, ['--max-old-space-size=64', BIN, '-f', 'ndjson', log], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    // A slow reader: pause for a moment after every chunk.
    let incidents = 0;
    let tail = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      const parts = (tail + d).split('\n');
      tail = parts.pop()!;
      for (const p of parts) if (p.startsWith('{"type":"incident"')) incidents++;
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 2);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/heap|allocation failed/i);
    expect(code).toBe(1);
    expect(incidents).toBe(n);
  }, 600_000);
});
