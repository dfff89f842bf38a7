import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readCachedPack, serializePack, stampPackDir } from '../../src/input/rule-cache.js';
import { DEFAULT_RULES_DIR, loadRulePacks } from '../../src/input/rule-files.js';
import { RuleMatcher } from '../../src/rules/matcher.js';
import { eventsFromText } from '../../src/records/text-events.js';

const walkFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walkFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));

/** A copy of the bundled pack whose files were last modified an hour ago, and its cache. */
async function cachedCopy(options: { mtime?: Date } = {}) {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'pgtriage-cache-')), 'rules');
  cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
  const mtime = options.mtime ?? new Date(Date.now() - 3_600_000);
  for (const f of walkFiles(dir)) utimesSync(f, mtime, mtime);
  const parsed = await loadRulePacks([dir], { cache: false });
  const cacheFile = path.join(dir, '..', 'cache.json');
  writeFileSync(cacheFile, JSON.stringify(serializePack(parsed, await stampPackDir(dir), dir)));
  return { dir, cacheFile, parsed };
}

/** Replaces one character of a file, keeping its size, and optionally its modification time. */
function editInPlace(file: string, keepTime = false): void {
  const before = statSync(file);
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf('title:') + 'title: '.length;
  writeFileSync(file, text.slice(0, at) + (text[at] === 'X' ? 'Y' : 'X') + text.slice(at + 1));
  expect(statSync(file).size).toBe(before.size);
  if (keepTime) utimesSync(file, before.atime, before.mtime);
}

/** More positions than rules and causes: the nested ones (conditions, evidence, steps) count. */
const positionFloor = (pack: { rules: unknown[]; causes: Map<string, unknown> }) => 2 * (pack.rules.length + pack.causes.size);

const causeFile = (dir: string) => path.join(dir, 'causes', 'unknown.yaml');

describe('the compiled rule-pack cache', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives the same pack as parsing the YAML', async () => {
    const { dir, cacheFile, parsed } = await cachedCopy();
    const cached = await readCachedPack(dir, cacheFile);
    expect(cached).toBeDefined();
    expect(cached!.rules.map((r) => [r.id, r.pos, r.literals, r.window])).toEqual(parsed.rules.map((r) => [r.id, r.pos, r.literals, r.window]));
    expect([...cached!.causes.keys()]).toEqual([...parsed.causes.keys()]);
    // the restored regexes match like the parsed ones
    const events = eventsFromText('LOG:  server process (PID 812) was terminated by signal 9: Killed\nERROR:  prepared statement "S_1" does not exist\n');
    const ids = (pack: typeof parsed) => events.map((e) => new RuleMatcher(pack).match(e).map((r) => r.id));
    expect(ids(cached!)).toEqual(ids(parsed));
  });

  it('names files under the directory it was read from, in every position, after the pack moved', async () => {
    const { dir, cacheFile } = await cachedCopy();
    // No path of the directory the cache was made in is kept (the build machine's, for a package).
    expect(readFileSync(cacheFile, 'utf8')).not.toContain(dir);
    const moved = path.join(mkdtempSync(path.join(tmpdir(), 'pgtriage-moved-')), 'rules');
    cpSync(dir, moved, { recursive: true, preserveTimestamps: true });
    const cached = await readCachedPack(moved, cacheFile);
    expect(cached).toBeDefined();
    const parsed = await loadRulePacks([moved], { cache: false });
    const positions = (pack: typeof parsed) => JSON.stringify([...pack.causes.values(), ...pack.rules]).match(/"file":"[^"]*"/g);
    expect(positions(cached!)!.length).toBeGreaterThan(positionFloor(parsed));
    expect(positions(cached!)).toEqual(positions(parsed));
  });

  it('trusts unchanged names, sizes and times without reading the rule files', async () => {
    const { dir, cacheFile } = await cachedCopy();
    const reads = vi.spyOn(fsp, 'readFile');
    expect(await readCachedPack(dir, cacheFile)).toBeDefined();
    expect(reads.mock.calls.map((c) => String(c[0]))).toEqual([cacheFile]);
  });

  it('reads and hashes the files when a time changed, and keeps the copy if the bytes did not', async () => {
    const { dir, cacheFile } = await cachedCopy();
    const now = new Date();
    utimesSync(causeFile(dir), now, now);
    const reads = vi.spyOn(fsp, 'readFile');
    expect(await readCachedPack(dir, cacheFile)).toBeDefined();
    expect(reads.mock.calls.length).toBeGreaterThan(1);
  });

  it('is refused once a rule file is appended to, edited in place, added, removed or renamed', async () => {
    const cases: Array<[string, (dir: string) => void]> = [
      ['appended', (dir) => appendFileSync(causeFile(dir), '# edited\n')],
      ['edited, same size', (dir) => editInPlace(causeFile(dir))],
      ['added', (dir) => writeFileSync(path.join(dir, 'causes', 'extra.yaml'), '')],
      ['removed', (dir) => renameSync(causeFile(dir), path.join(dir, 'causes', '.unknown.yaml'))],
      ['renamed', (dir) => renameSync(causeFile(dir), path.join(dir, 'causes', 'unknown2.yaml'))],
    ];
    for (const [what, change] of cases) {
      const { dir, cacheFile } = await cachedCopy();
      expect(await readCachedPack(dir, cacheFile), `unchanged before: ${what}`).toBeDefined();
      change(dir);
      expect(await readCachedPack(dir, cacheFile), what).toBeUndefined();
    }
  });

  it('hashes a file modified just before the stamp even when size and time still match', async () => {
    // A coarse file-system clock can give an edit right after the build the same time stamp;
    // the stamp's own time tells such files apart, and they are compared by content.
    const { dir, cacheFile } = await cachedCopy({ mtime: new Date() });
    editInPlace(causeFile(dir), true);
    expect(await readCachedPack(dir, cacheFile)).toBeUndefined();
  });

  it('is refused when the cache was written by an older version of the format', async () => {
    const { dir, cacheFile } = await cachedCopy();
    const old = JSON.parse(readFileSync(cacheFile, 'utf8'));
    writeFileSync(cacheFile, JSON.stringify({ ...old, version: 2 }));
    expect(await readCachedPack(dir, cacheFile)).toBeUndefined();
  });
});
