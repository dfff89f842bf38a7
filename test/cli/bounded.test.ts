/**
 * Memory bounded by construction: the CLI under a 64 MB heap writes many incidents in each
 * format to each kind of sink: `--output-file`, a shell redirect (stdout is a file) and a
 * reader slower than pgtriage (a pipe that pauses after every chunk). Without backpressure the
 * written text piles up in the process; with it, pgtriage waits for the reader. Every
 * incident must arrive and the heap must hold.
 *
 * PGTRIAGE_BOUNDED_INCIDENTS sets the size (default 2,000 per run, nine runs). That each
 * incident leaves O(1) state behind is test/cli/retained.test.ts; the full 100,000-incident
 * runs and their figures are in the README (Performance).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../hostile/helpers.js';
// @ts-expect-error: a plain .mjs helper shared with retained.mjs
import { manyIncidents } from './many-incidents.mjs';
import { ROOT } from './run-cli.js';

const BIN = path.join(ROOT, 'bin/pgtriage.js');
const N = Number(process.env.PGTRIAGE_BOUNDED_INCIDENTS ?? 2000);

type Sink = 'output-file' | 'redirect' | 'slow-pipe';

interface Run {
  code: number | null;
  stderr: string;
  text: string;
}

async function run(format: string, sink: Sink, log: string, dir: string): Promise<Run> {
  const out = path.join(dir, `report.${format}.${sink}`);
  const args = ['--max-old-space-size=64', BIN, '-f', format, ...(sink === 'output-file' ? ['--output-file', out] : []), log];
  const fd = sink === 'redirect' ? openSync(out, 'w') : undefined;
  const child = spawn(process.execPath, args, { stdio: ['ignore', fd ?? 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  if (fd !== undefined) closeSync(fd);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const chunks: string[] = [];
  if (child.stdout) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      chunks.push(d);
      if (sink !== 'slow-pipe') return;
      // A slow reader: pause for a moment after every chunk.
      child.stdout!.pause();
      setTimeout(() => child.stdout!.resume(), 2);
    });
  }
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const text = sink === 'slow-pipe' ? chunks.join('') : readFileSync(out, 'utf8');
  return { code, stderr, text };
}

/** How many incidents the report says it holds, read the way a consumer of the format would. */
function incidentsIn(format: string, text: string): number {
  if (format === 'ndjson') return text.split('\n').filter((l) => l.startsWith('{"type":"incident"')).length;
  if (format === 'json') return (JSON.parse(text) as { incidents: unknown[] }).incidents.length;
  const verdict = /^pgtriage: ([\d,]+) incidents? in the 08003 family/m.exec(text);
  return verdict ? Number(verdict[1].replace(/,/g, '')) : 0;
}

describe.each(['ndjson', 'json', 'text'])('64 MB heap, %s', (format) => {
  const dir = tempDir(`bounded-${format}`);
  const log = path.join(dir, 'many.log');
  writeFileSync(log, manyIncidents(N));

  it.each(['output-file', 'redirect', 'slow-pipe'] as Sink[])('to %s: every incident arrives, the heap holds', async (sink) => {
    const r = await run(format, sink, log, dir);
    expect(r.stderr).not.toMatch(/heap|allocation failed|MaxListeners/i);
    expect(r.code).toBe(1);
    expect(incidentsIn(format, r.text)).toBe(N);
  }, 600_000);
});
