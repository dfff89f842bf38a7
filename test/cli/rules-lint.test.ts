import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VALIDATORS } from '../../src/rules/validate.js';
import { runCli } from './run-cli.js';

// A pack that loads (it passes the schema and the error validators) but draws advice: a rule
// without examples and a cause whose only step has no source.
function pack(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgtriage-lint-'));
  writeFileSync(path.join(dir, 'cause.yaml'), 'cause:\n  id: mine\n  title: Mine\n  remediation:\n    generic: restart it\n');
  writeFileSync(path.join(dir, 'rules.yaml'), 'rules:\n  - id: mine-rule\n    description: d\n    match: { contains: boom }\n    evidence: [ { cause: mine, for: weak } ]\n');
  return dir;
}

describe('pgtriage rules lint and its validators', () => {
  it('lists every validator by name with when it runs', () => {
    const r = runCli(['rules', 'validators']);
    expect(r.code).toBe(0);
    for (const v of VALIDATORS) expect(r.stdout).toMatch(new RegExp(`^${v.id}\\s+${v.severity}`, 'm'));
  });

  it('reports advice at file:line:column with the validator name, and skips an excluded validator', () => {
    const dir = pack();
    const all = runCli(['rules', 'lint', '--no-default-rules', '--rules', dir], undefined, {}, dir);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('rules.yaml:2:5: warning: rule mine-rule needs at least one "match" and one "nomatch" example [examples-present]');
    expect(all.stdout).toMatch(/^cause\.yaml:5:14: warning: .*\[step-without-source\]$/m);
    expect(all.stdout).toContain('[missing-stack]');

    const fewer = runCli(['rules', 'lint', '--no-default-rules', '--rules', dir, '--exclude-validator', 'examples-present', '--exclude-validator', 'missing-stack'], undefined, {}, dir);
    expect(fewer.code).toBe(0);
    expect(fewer.stdout).not.toContain('[examples-present]');
    expect(fewer.stdout).not.toContain('[missing-stack]');
    expect(fewer.stdout).toContain('[step-without-source]');
    expect(fewer.stdout).toContain('2 excluded');

    expect(runCli(['rules', 'lint', '--strict', '--no-default-rules', '--rules', dir], undefined, {}, dir).code).toBe(2);
  });

  it('refuses an unknown name with a did-you-mean, and an error check by name', () => {
    const typo = runCli(['rules', 'lint', '--exclude-validator', 'exampls-present']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown validator "exampls-present"');
    expect(typo.stderr).toContain('did you mean examples-present?');
    const error = runCli(['rules', 'lint', '--exclude-validator', 'known-cause-references']);
    expect(error.code).toBe(2);
    expect(error.stderr).toContain('only advice validators can be skipped');
  });
});
