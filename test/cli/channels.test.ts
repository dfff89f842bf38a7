/**
 * Every channel goes through the terminal sanitizer: file names in stderr messages and rule-pack
 * text printed by `rules list/lint/test` never carry a raw ESC, CSI or OSC to the terminal.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../hostile/helpers.js';
import { runCli } from './run-cli.js';

const HOSTILE = ['\x1b[2J', '\x9b31m', '\x1b]0;pwned\x07', '\x1b]8;;http://x\x1b\\'];
const RAW = /[\x1b\x9b\x07]/;

describe('stderr', () => {
  it('a missing file whose name holds ESC/CSI/OSC is named visibly', () => {
    const dir = tempDir('chan');
    for (const h of HOSTILE) {
      const r = runCli([path.join(dir, `app${h}.log`)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('app\\x');
      expect(r.stderr).not.toMatch(RAW);
    }
  });
});

describe('rules commands', () => {
  it('rule text with escapes is shown inert by list, lint and test', () => {
    const dir = tempDir('chanrules');
    const pack = path.join(dir, 'pack');
    mkdirSync(path.join(pack, 'detect'), { recursive: true });
    writeFileSync(
      path.join(pack, 'detect', 'evil.yaml'),
      [
        'rules:',
        '  - id: evil-rule',
        '    description: "clears \\e[2J the screen \\e]0;title\\a"',
        '    match: { contains: "boom \\e[31m" }',
        '    incident: { sqlstate: "08003", kind: connection-lost }',
        '    examples:',
        '      match: ["a boom \\e[2J line that does not match"]',
        '      nomatch: ["\\e]8;;http://x\\e\\\\ link"]',
        '',
      ].join('\n'),
    );
    for (const action of ['list', 'lint', 'test']) {
      const r = runCli(['rules', action, '--rules', pack]);
      expect(r.stdout + r.stderr, action).not.toMatch(RAW);
    }
    const t = runCli(['rules', 'test', '--rules', pack]);
    expect(t.stdout).toContain('\\x1b[2J');
  });
});
