/**
 * The house a newcomer finds their way in: `ls src` and the README's architecture section name
 * the file of every stage, and no file in src/ grows past about 300 lines without saying why at
 * its top (a grammar may be longer, and says so too).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve('src');
const readme = readFileSync('README.md', 'utf8');
const section = readme.slice(readme.indexOf('## Architecture'), readme.indexOf('\nHabits:'));

/** The README's rows: `src/x/` or `src/x.ts` at the start of a line, with the lines that follow it. */
function rows(): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const line of section.split('\n')) {
    const head = /^(src\/[\w./-]+)/.exec(line);
    if (head) out.set((current = head[1]), '');
    else if (!/^\S/.test(line) && current) out.set(current, out.get(current)! + line);
    else current = undefined;
    if (current) out.set(current, out.get(current)! + line);
  }
  return out;
}

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : name.endsWith('.ts') ? [p] : [];
  });

describe('architecture', () => {
  const named = rows();

  it('the README names every entry of src/, and every file of each stage folder (subfolders by name)', () => {
    expect(named.size).toBeGreaterThan(15);
    const missing: string[] = [];
    for (const entry of readdirSync(SRC)) {
      if (entry === 'vendor') continue; // a third-party bundle, named under index.ts
      const isDir = statSync(path.join(SRC, entry)).isDirectory();
      const key = `src/${entry}${isDir ? '/' : ''}`;
      const text = named.get(key);
      if (text === undefined) {
        // A small entry may be named inside another's row (version.ts, library/ under index.ts).
        if (!section.includes(` ${entry}${isDir ? '/' : ''} `) && !section.includes(`${entry}${isDir ? '/' : ''} (`)) missing.push(key);
        continue;
      }
      if (!isDir) continue;
      for (const child of readdirSync(path.join(SRC, entry))) {
        // A subfolder (a format family, the expression language) is named as a folder.
        const word = statSync(path.join(SRC, entry, child)).isDirectory() ? `${child}/` : child;
        if (!text.includes(word) && !text.includes(word.replace(/\.ts$/, ''))) missing.push(`${key}${child}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every file over about 300 lines says at its top why', () => {
    const long = walk(SRC)
      .map((f) => ({ file: path.relative(SRC, f), text: readFileSync(f, 'utf8') }))
      .filter((f) => f.text.split('\n').length > 310);
    expect(walk(SRC).length).toBeGreaterThan(100);
    const head = (text: string) => text.split('\n').slice(0, 40).join('\n');
    const silent = long.filter((f) => !/\b(over|longer than|more than) 300 lines\b/i.test(head(f.text))).map((f) => f.file);
    expect(silent).toEqual([]);
  });
});
