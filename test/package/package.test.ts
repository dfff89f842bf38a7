import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve('.');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; license: string };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the library entry', () => {
  it('loads no glob, YAML, grammar or regex package until a call needs it', () => {
    const out = execFileSync(process.execPath, ['test/package/loaded-modules.mjs', path.join(ROOT, 'dist/index.js')], { encoding: 'utf8' });
    // The display-width table (one 40 KB module, no dependencies) is what the exported text
    // reporter measures with; everything heavy waits for a call.
    expect(JSON.parse(out).packages).toEqual(['get-east-asian-width']);
  });

  it('loads them when a call needs them', () => {
    // Top-level await: the import of the probe ends when the triage call has.
    const probe = `const m = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/index.js')).href)}); await m.triage('x\\n');`;
    const out = execFileSync(process.execPath, ['test/package/loaded-modules.mjs', `data:text/javascript,${encodeURIComponent(probe)}`], { encoding: 'utf8' });
    expect(JSON.parse(out).packages).toEqual(expect.arrayContaining(['yaml']));
  });
});

describe('the packed package', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'pgtriage-pack-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  // The npm cache holds every dependency after `npm ci`, so this works offline.
  const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000 })) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const files = packed[0].files.map((f) => f.path);

  it('ships what a user runs and nothing else', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'bin/pgtriage.js', 'dist/index.js', 'dist/cli/main.js', 'cjs/require.cjs', 'dist/man/pgtriage.1', 'schema/rules.schema.json', 'schema/config.schema.json', 'rules/causes/stale-pool-after-restart.yaml']));
    expect(files.filter((f) => f.startsWith('dist/eval/') || f.endsWith('.map') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    expect(readFileSync('LICENSE', 'utf8')).toMatch(new RegExp(`^${pkg.license} License`));
  });

  it('installs in an empty folder; the binary, import() and require() behave as documented', () => {
    const app = path.join(work, 'app');
    mkdirSync(app);
    execFileSync(npm, ['init', '-y'], { cwd: app, stdio: 'ignore' });
    execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(work, packed[0].filename)], { cwd: app, stdio: 'ignore', timeout: 180_000 });
    expect(readdirSync(path.join(app, 'node_modules/pgtriage'))).toContain('LICENSE');
    // As the README says: `npx pgtriage` (`--no`: never fetch, the installed binary must answer).
    const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
    const version = spawnSync(npx, ['--no', '--', 'pgtriage', '--version'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(version.stdout).toBe(`pgtriage ${pkg.version}\n`);
    expect(spawnSync(path.join(app, 'node_modules/.bin/pgtriage'), ['--version'], { cwd: app, encoding: 'utf8' }).stdout).toBe(`pgtriage ${pkg.version}\n`);
    const esm = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('pgtriage'); const r = await m.triage('psycopg2.OperationalError: server closed the connection unexpectedly\\n'); console.log(typeof m.triage, r.stats.incidents)"], { cwd: app, encoding: 'utf8' });
    expect(esm.stdout).toBe('function 1\n');
    const cjs = spawnSync(process.execPath, ['-e', "require('pgtriage')"], { cwd: app, encoding: 'utf8' });
    expect(cjs.status).not.toBe(0);
    expect(cjs.stderr).toContain("pgtriage is an ES module and cannot be require()d; from CommonJS use: const { triage } = await import('pgtriage');");
    // Caught, it is one line with a code; uncaught, Node prints that line and no stack into the package.
    const caught = spawnSync(process.execPath, ['-e', "try { require('pgtriage') } catch (e) { console.log(e.code, JSON.stringify(e.stack)) }"], { cwd: app, encoding: 'utf8' });
    expect(caught.stdout).toBe(`ERR_REQUIRE_ESM ${JSON.stringify("Error [ERR_REQUIRE_ESM]: pgtriage is an ES module and cannot be require()d; from CommonJS use: const { triage } = await import('pgtriage');")}\n`);
    expect(cjs.stderr).not.toMatch(/^\s+at /m);
    // The way it names works from CommonJS.
    const viaImport = spawnSync(process.execPath, ['-e', "import('pgtriage').then((m) => console.log(typeof m.triage))"], { cwd: app, encoding: 'utf8' });
    expect(viaImport.stdout).toBe('function\n');
    const man = path.join(app, 'node_modules/pgtriage/dist/man/pgtriage.1');
    expect(readFileSync(man, 'utf8')).toContain('\\-\\-format');
  });
});
