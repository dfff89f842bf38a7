import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const SEED = path.resolve('samples/seed-example.log');

function tree(files: Record<string, string>): string {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'pgtriage-config-')));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('config files', { timeout: 60_000 }, () => {
  it('finds the nearest config two levels up and lets the command line win', () => {
    const root = tree({ 'pgtriage.config.yaml': 'format: json\nexplain: true\n', 'a/b/.keep': '' });
    const cwd = path.join(root, 'a/b');
    const r = runCli([SEED], undefined, {}, cwd);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).incidents.length).toBe(3);
    const p = runCli(['--print-config', '--no-explain'], undefined, {}, cwd);
    expect(p.stdout).toContain(`config: ${path.join(root, 'pgtriage.config.yaml')}`);
    expect(p.stdout).toMatch(new RegExp(`^format +"json" +${path.join(root, 'pgtriage.config.yaml')}:1:9$`, 'm'));
    expect(p.stdout).toMatch(/^explain +false +command line$/m);
    expect(p.stdout).toMatch(/^clockSkew +"5s" +default$/m);
  });

  it('reads the pgtriage key of package.json and resolves paths from the file', () => {
    const root = tree({ 'package.json': JSON.stringify({ name: 'x', pgtriage: { rules: ['my-rules'], quiet: true } }), 'sub/.keep': '' });
    const p = runCli(['--print-config'], undefined, {}, path.join(root, 'sub'));
    expect(p.stdout).toMatch(new RegExp(`^rules +\\["${path.join(root, 'my-rules')}"\\]`, 'm'));
    // The config's pack does not exist: a rule-pack error naming it, not a silent skip.
    const q = runCli([SEED], undefined, {}, root);
    expect(q.code).toBe(2);
    expect(q.stderr).toContain(path.join(root, 'my-rules'));
  });

  it('reports every problem as file:line:column, with a suggestion for a misspelt key', () => {
    const root = tree({ 'pgtriage.config.yml': 'format: json\nclockSkw: 10s\nexplain: yes please\nflushAfter: 3 fortnights\n' });
    const r = runCli([SEED], undefined, {}, root);
    const file = path.join(root, 'pgtriage.config.yml');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain(`pgtriage: ${file}:2:1: unknown setting "clockSkw"; did you mean clockSkew?`);
    expect(lines).toContain(`pgtriage: ${file}:3:10: explain: must be true or false`);
    expect(lines).toHaveLength(2); // flushAfter is checked after the schema passes
  });

  it('reports a value the schema allows but the option refuses, with its position', () => {
    const root = tree({ 'pgtriage.config.json': '{\n  "flushAfter": "3 fortnights"\n}\n' });
    const r = runCli([SEED], undefined, {}, root);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`pgtriage: ${path.join(root, 'pgtriage.config.json')}:2:17: flushAfter: not a duration: "3 fortnights" (try 5s, 2m, 1h)\n`);
  });

  it('reports a YAML syntax error with its position', () => {
    const root = tree({ 'pgtriage.config.yaml': 'format: json\n  explain: [true\n' });
    const r = runCli([SEED], undefined, {}, root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^pgtriage: ${path.join(root, 'pgtriage.config.yaml')}:\\d+:\\d+: `));
  });

  it('reads no file with --no-config, and the named one with --config', () => {
    const root = tree({ 'pgtriage.config.yaml': 'format: nonsense\n', 'other.yaml': 'format: markdown\n' });
    expect(runCli([SEED], undefined, {}, root).code).toBe(2);
    const none = runCli(['--no-config', '--print-config'], undefined, {}, root);
    expect(none.stdout).toMatch(/^config: none \(--no-config\)$/m);
    const named = runCli(['--config', 'other.yaml', SEED], undefined, {}, root);
    expect(named.code).toBe(1);
    expect(named.stdout).toMatch(/^# pgtriage/m);
    expect(runCli(['--config', 'missing.yaml', SEED], undefined, {}, root).stderr).toMatch(/missing\.yaml: cannot read the config file: ENOENT/);
  });
});
