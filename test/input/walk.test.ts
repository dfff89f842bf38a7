import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { walkDirectory } from '../../src/input/walk.js';

function tree(files: Record<string, string>): string {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'pgtriage-walk-')));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const rel = (root: string, list: string[]) => list.map((f) => path.relative(root, f));

describe('directory walks', () => {
  const root = tree({
    'app.log': 'x\n',
    'dbt/logs/dbt.log': 'x\n',
    'dbt/target/run_results.json': '{}\n',
    'dbt/target/manifest.json': '{}\n',
    'dbt/target/compiled/proj/models/a.sql': 'select 1\n',
    'dbt/target/run/proj/models/a.sql': 'select 1\n',
    'dbt/dbt_packages/utils/macros/x.sql': 'x\n',
    'dbt/models/a.sql': 'select 1\n',
    'node_modules/pg/lib/client.js': 'x\n',
    '.git/HEAD': 'ref\n',
    '.env.log': 'x\n',
    'scripts/generate.sh': 'echo "server closed the connection unexpectedly"\n',
    'scripts/keep.sql': 'x\n',
    'scripts/.pgtriageignore': '!keep.sql\n',
    '.pgtriageignore': '# old rotations\nold/\n*.log.1\n',
    'old/app.log': 'x\n',
    'app.log.1': 'x\n',
    'README.md': '# notes\n',
    'outside/linked.log': 'x\n',
  });
  mkdirSync(path.join(root, 'logs'));
  writeFileSync(path.join(root, 'logs/server.log'), 'x\n');
  symlinkSync(path.join(root, 'outside'), path.join(root, 'logs/outside-link')); // followed once
  symlinkSync('..', path.join(root, 'logs/up')); // a loop back to the root
  symlinkSync('nowhere', path.join(root, 'logs/broken'));
  symlinkSync('server.log', path.join(root, 'logs/server-again.log')); // the same file twice
  execFileSync('mkfifo', [path.join(root, 'logs/pipe')]);

  it('reads logs and run results, and skips the rest with a reason each', async () => {
    const { files, skipped } = await walkDirectory(root);
    expect(rel(root, files)).toEqual([
      'app.log',
      'dbt/logs/dbt.log',
      'dbt/target/run_results.json',
      'logs/outside-link/linked.log',
      'logs/server.log',
      'scripts/keep.sql',
    ]);
    const why = Object.fromEntries(skipped.map((s) => [path.relative(root, s.path), s.reason]));
    expect(why).toEqual({
      '.env.log': 'hidden',
      '.git': 'vcs',
      'README.md': 'documentation',
      'app.log.1': 'pgtriageignore',
      old: 'pgtriageignore',
      'dbt/dbt_packages': 'dependencies',
      'dbt/models/a.sql': 'source-code',
      'dbt/target/compiled': 'build-output',
      'dbt/target/run': 'build-output',
      'dbt/target/manifest.json': 'build-output',
      'logs/broken': 'broken-symlink',
      'logs/pipe': 'special-file',
      'logs/up': 'symlink-loop',
      'logs/server-again.log': 'duplicate',
      node_modules: 'dependencies',
      outside: 'duplicate',
      'scripts/generate.sh': 'source-code',
    });
    expect(skipped.find((s) => s.path.endsWith('app.log.1'))!.detail).toBe(`${path.join(root, '.pgtriageignore')}: *.log.1`);
  });

  it('--no-follow-symlinks skips every link, counted', async () => {
    const { files, skipped } = await walkDirectory(root, { followSymlinks: false });
    expect(rel(root, files)).not.toContain('logs/outside-link/linked.log');
    expect(skipped.filter((s) => s.reason === 'symlink').map((s) => path.relative(root, s.path)).sort()).toEqual([
      'logs/broken',
      'logs/outside-link',
      'logs/server-again.log',
      'logs/up',
    ]);
  });

  it('--no-ignore reads what the lists skip, but still not hidden files, pipes or loops', async () => {
    const { files, skipped } = await walkDirectory(root, { ignore: false });
    expect(rel(root, files)).toEqual(expect.arrayContaining(['scripts/generate.sh', 'dbt/target/manifest.json', 'node_modules/pg/lib/client.js', 'old/app.log']));
    expect(new Set(skipped.map((s) => s.reason))).toEqual(new Set(['hidden', 'special-file', 'symlink-loop', 'broken-symlink', 'duplicate']));
    // .pgtriageignore files are data again, hidden like any dotfile
    expect(skipped.some((s) => s.path.endsWith('.pgtriageignore'))).toBe(true);
  });

  it('applies ! arguments relative to the walked directory', async () => {
    const { files, skipped } = await walkDirectory(root, { exclude: ['dbt/**'] });
    expect(rel(root, files).some((f) => f.startsWith('dbt/'))).toBe(false);
    expect(skipped.find((s) => path.relative(root, s.path) === 'dbt/logs')?.reason).toBe('excluded');
  });
});
