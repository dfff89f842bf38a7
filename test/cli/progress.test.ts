import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Progress, wantProgress } from '../../src/cli/progress.js';
import { fileSource } from '../../src/input/sources.js';

const fakeTty = () => {
  const out: string[] = [];
  return { out, target: { isTTY: true, columns: 200, write: (s: string) => out.push(s) } };
};

describe('progress line', () => {
  it('is on for a terminal stderr only, never in CI or on a dumb terminal', () => {
    expect(wantProgress(undefined, { isTTY: true, write: () => 0 }, {})).toBe(true);
    expect(wantProgress(undefined, { isTTY: false, write: () => 0 }, {})).toBe(false);
    expect(wantProgress(undefined, { isTTY: true, write: () => 0 }, { CI: 'true' })).toBe(false);
    expect(wantProgress(undefined, { isTTY: true, write: () => 0 }, { TERM: 'dumb' })).toBe(false);
    expect(wantProgress(false, { isTTY: true, write: () => 0 }, {})).toBe(false);
  });

  it('counts the bytes read, shows rate, incidents and an ETA for a regular file, then erases itself', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pgtriage-progress-'));
    const file = path.join(dir, 'big.log');
    writeFileSync(file, 'x'.repeat(3 << 20));
    const { out, target } = fakeTty();
    const p = new Progress([fileSource(file)], target, () => 2, 1 << 20);
    const [source] = p.wrap([fileSource(file)]);
    let n = 0;
    for await (const chunk of source.open()) {
      n += chunk.length;
      if (n >= 1 << 20) break; // a third read
    }
    await new Promise((r) => setTimeout(r, 400));
    const drawn = out.join('');
    expect(drawn).toMatch(/\r\x1b\[Kpgtriage: [12] MB read · [\d.]+ MB\/s · 2 incidents so far · 33% · ETA \d+[sm]/);
    p.stop();
    expect(out.at(-1)).toBe('\r\x1b[K');
  });

  it('stays silent below the threshold and gives no ETA when a size is unknown', async () => {
    const { out, target } = fakeTty();
    const p = new Progress([{ name: '<stdin>', open: async function* () {} }], target, () => 0, 1 << 30);
    await new Promise((r) => setTimeout(r, 400));
    p.stop();
    expect(out).toEqual([]);
    expect(p.line()).not.toMatch(/ETA/);
  });
});
