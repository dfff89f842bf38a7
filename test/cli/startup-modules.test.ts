/**
 * What a run loads (issue 13, start-up): the bundled CLI is split into chunks so a plain file
 * is analysed without reading or compiling the YAML reader, ajv, the grammars, the regex
 * engine, the NATS client or fast-glob. The build's manifest (dist/cli/pgtriage-chunks.json)
 * names the packages each chunk holds; a preloaded hook lists the chunks and CommonJS files a
 * run loaded. No timing: which code loads is what can regress, and it is exact.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './run-cli.js';

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'dist/cli/pgtriage-chunks.json'), 'utf8')) as Record<string, { packages: string[]; sources: string[] }>;
const work = mkdtempSync(path.join(tmpdir(), 'pgtriage-startup-'));

/** The packages a CLI run loaded: bundled ones by chunk, required ones by file. */
function loaded(args: string[]): { packages: string[]; sources: string[]; chunks: number; builtins: string[] } {
  const out = path.join(work, 'loaded.json');
  const r = spawnSync(process.execPath, ['--import', path.join(ROOT, 'test/cli/loaded-chunks.mjs'), BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', PGTRIAGE_LOADED_OUT: out },
    timeout: 60_000,
  });
  expect(r.status, r.stderr).not.toBe(2);
  const { esm, cjs } = JSON.parse(readFileSync(out, 'utf8')) as { esm: string[]; cjs: string[] };
  const chunks = esm.map((u) => /\/dist\/cli\/(pgtriage[^/]*\.mjs)$/.exec(u)?.[1]).filter((c): c is string => !!c);
  const packages = new Set(chunks.flatMap((c) => manifest[c]?.packages ?? []));
  for (const file of [...cjs, ...esm]) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file) ?? /dist\/vendor\/(\w+)\.cjs$/.exec(file);
    if (m) packages.add(m[1]);
  }
  const sources = chunks.flatMap((c) => manifest[c]?.sources ?? []);
  return { packages: [...packages].sort(), sources, chunks: chunks.length, builtins: esm.filter((u) => u.startsWith('node:')) };
}

const HEAVY = ['ajv', 'chevrotain', 'fast-glob', 'nats', 're2js', 'yaml'];

describe('start-up: what a run loads', () => {
  it('the manifest knows where each heavy package lives (else the checks below prove nothing)', () => {
    const everywhere = new Set(Object.values(manifest).flatMap((c) => c.packages));
    for (const p of ['ajv', 'yaml', 'nats', 'fast-glob']) expect(everywhere).toContain(p);
  });

  it('an empty file, --version and --help load none of the heavy packages', () => {
    const empty = path.join(work, 'empty.log');
    writeFileSync(empty, '');
    for (const args of [['--format', 'json', empty], ['--version'], ['--help']]) {
      const run = loaded(args);
      expect(run.chunks, args.join(' ')).toBeGreaterThan(0);
      expect(run.packages.filter((p) => HEAVY.includes(p)), args.join(' ')).toEqual([]);
      // gzip, pipes, --output's temporary name and a changed rule pack need these; a plain run does not
      expect(run.builtins.filter((b) => /^node:(crypto|zlib|net)$/.test(b)), args.join(' ')).toEqual([]);
    }
  });

  it('--version and --help load neither the session nor the input layer', () => {
    for (const args of [['--version'], ['--help']]) {
      const run = loaded(args);
      expect(run.sources, args.join(' ')).toContain('src/cli/args.ts');
      expect(run.sources.filter((s) => s === 'src/session.ts' || s.startsWith('src/input/') || s === 'src/cli/triage.ts'), args.join(' ')).toEqual([]);
    }
    // the analysis does load them (the check above can fail)
    expect(loaded(['--format', 'json', path.join(ROOT, 'samples/formats/dbt.log')]).sources).toEqual(expect.arrayContaining(['src/session.ts', 'src/cli/triage.ts']));
  });

  it('a plain log that matches no rule loads none of them either', () => {
    const log = path.join(work, 'plain.log');
    writeFileSync(log, '2024-05-01 12:00:00,123 INFO app: started\n2024-05-01 12:00:01,000 INFO app: ready\n');
    expect(loaded(['--format', 'json', log]).packages.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('loads each one when the run needs it', () => {
    // A traceback header goes through the exception grammar.
    const traceback = loaded(['--format', 'json', path.join(ROOT, 'samples/formats/sqlalchemy-traceback.log')]).packages;
    expect(traceback).toContain('chevrotain');
    expect(traceback.filter((p) => p !== 'chevrotain' && HEAVY.includes(p))).toEqual([]);
    // A line with the words of a regex rule goes through the regex engine.
    const statement = path.join(work, 'statement.log');
    writeFileSync(statement, '2024-05-01 12:00:00.123 UTC [812] ERROR:  prepared statement "S_1" does not exist\n');
    expect(loaded(['--format', 'json', statement]).packages).toContain('re2js');
    // A pack read from its files (here the bundled one, named by a relative path so that its
    // compiled copy does not apply) goes through the YAML reader, the schema and the grammar.
    const own = loaded(['--format', 'json', '--no-default-rules', '--rules', 'rules', path.join(ROOT, 'samples/formats/dbt.log')]).packages;
    expect(own).toEqual(expect.arrayContaining(['ajv', 'yaml', 'chevrotain']));
    // A glob goes through fast-glob.
    expect(loaded(['--format', 'json', path.join(ROOT, 'samples/formats/dbt.l?g')]).packages).toContain('fast-glob');
  });
});

describe('start-up: the compile cache', () => {
  const version = `pgtriage ${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`;
  const run = (cacheDir: string) =>
    spawnSync(process.execPath, [BIN, '--version'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_COMPILE_CACHE: cacheDir }, timeout: 60_000 });

  // Node 22.1+ only; on older Node the binary has no cache to keep.
  it.skipIf(typeof (module as { enableCompileCache?: unknown }).enableCompileCache !== 'function')('keeps the compiled bundle where NODE_COMPILE_CACHE points', () => {
    const dir = path.join(work, 'compile-cache');
    mkdirSync(dir);
    expect(run(dir).stdout).toBe(version);
    expect(readdirSync(dir, { recursive: true }).length).toBeGreaterThan(0);
  });

  it('runs as usual when the cache directory cannot be made', () => {
    const notADir = path.join(work, 'a-file');
    writeFileSync(notADir, '');
    const r = run(path.join(notADir, 'cache'));
    expect([r.status, r.stdout, r.stderr]).toEqual([0, version, '']);
  });
});
