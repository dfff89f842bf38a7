import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRulePacks } from '../../src/input/rule-files.js';
import { testRulePack } from '../../src/cli/rules-test.js';
import { SEVEN_CAUSES as SEVEN } from '../seven-causes.js';


describe('the default rule pack', async () => {
  const pack = await loadRulePacks([DEFAULT_RULES_DIR]);

  it('defines the seven stable causes, each with remediation and what decides it', () => {
    for (const id of SEVEN) {
      const cause = pack.causes.get(id);
      expect(cause, id).toBeDefined();
      expect(Object.keys(cause!.remediation).length, id).toBeGreaterThan(1);
      expect(cause!.decidedBy.length, id).toBeGreaterThan(0);
    }
  });

  it('gives every rule at least one must-match and one must-not-match example', () => {
    const missing = pack.rules.filter((r) => r.examples.match.length === 0 || r.examples.nomatch.length === 0).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  it('passes every embedded example', () => {
    const result = testRulePack(pack);
    const failures = result.failures.map((f) => `${f.rule.id} ${f.kind}: ${f.example} (read as ${f.parsedAs})`);
    expect(failures).toEqual([]);
    expect(result.examples).toBeGreaterThan(pack.rules.length * 2 - 1);
  });
});
