/**
 * The core does no I/O: only the edges - src/input/ (reading files, globs, gzip, rule packs from
 * disk), src/cli/ (the terminal) and src/bus/ (the NATS adapter) - may reach node:fs, node:zlib, fast-glob or process-level modules, and
 * no other module may import them. The check walks the import graph of src/ from every core
 * module, so an indirect arrow (core -> helper -> node:fs) fails too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(new URL('../src', import.meta.url).pathname);
/** Folders (under src/) allowed to do I/O, and the library entry that wires them. */
const IO_ALLOWED = ['input/', 'cli/', 'bus/', 'index.ts'];
const FORBIDDEN_MODULES = /^(node:)?(fs|fs\/promises|zlib|child_process|net|tty|readline)$|^fast-glob$/;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Every module specifier a file imports or re-exports, static or dynamic (type-only included). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[\s;}])(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[\s;}])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

const files = walk(SRC);
const rel = (abs: string) => path.relative(SRC, abs).split(path.sep).join('/');
const isIo = (file: string) => IO_ALLOWED.some((p) => (p.endsWith('/') ? rel(file).startsWith(p) : rel(file) === p));
const graph = new Map<string, { local: string[]; external: string[] }>();
for (const file of files) {
  const local: string[] = [];
  const external: string[] = [];
  for (const spec of specifiers(readFileSync(file, 'utf8'))) {
    if (spec.startsWith('.')) local.push(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
    else external.push(spec);
  }
  graph.set(file, { local, external });
}

/** The first forbidden arrow reachable from `start`, as a path of modules, or undefined. */
function forbiddenPath(start: string): string[] | undefined {
  const seen = new Set<string>();
  const stack: Array<{ file: string; trail: string[] }> = [{ file: start, trail: [rel(start)] }];
  while (stack.length) {
    const { file, trail } = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const node = graph.get(file);
    if (!node) continue;
    for (const ext of node.external) if (FORBIDDEN_MODULES.test(ext)) return [...trail, ext];
    for (const next of node.local) {
      if (isIo(next)) return [...trail, rel(next)];
      stack.push({ file: next, trail: [...trail, rel(next)] });
    }
  }
  return undefined;
}

describe('import boundaries', () => {
  it('finds the imports it is meant to find', () => {
    expect(specifiers("import fg from 'fast-glob';\nimport type { A } from './a.js';\nexport * from './b.js';\nconst m = await import('node:fs');"))
      .toEqual(['fast-glob', './a.js', './b.js', 'node:fs']);
    expect(files.length).toBeGreaterThan(50);
    // The I/O side does import what the core may not: the walker sees it.
    expect(forbiddenPath(path.join(SRC, 'input/sources.ts'))).toBeDefined();
  });

  it('no core module reaches node:fs, node:zlib, fast-glob or the edges (input/, cli/, bus/)', () => {
    const offenders = files.filter((f) => !isIo(f)).map(forbiddenPath).filter((p): p is string[] => !!p);
    expect(offenders.map((p) => p.join(' -> '))).toEqual([]);
  });

  it('rules/ never imports the session or the analyzer', () => {
    const rules = files.filter((f) => rel(f).startsWith('rules/'));
    const bad = rules.flatMap((f) => graph.get(f)!.local.filter((t) => ['session.ts', 'analyzer.ts'].includes(rel(t))).map((t) => `${rel(f)} -> ${rel(t)}`));
    expect(bad).toEqual([]);
  });
});
