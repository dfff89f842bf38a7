import { describe, expect, it } from 'vitest';
import { testRulePack } from '../../src/cli/rules-test.js';
import { loadRuleTexts } from '../../src/rules/read.js';

const CAUSE = 'cause:\n  id: my-cause\n  title: A cause\n  summary: s\n  prior: 0.1\n';
const RULES = `rules:
  - id: r1
    description: d
    match: { contains: foo }
    evidence: [ { cause: my-cause, for: weak } ]
    examples:
      match:
        - "x foo"
        - "nothing here"
      nomatch: [ "bar", 'a foo' ]
`;

describe('rule examples', () => {
  it('a failing example is reported at its own file:line:column', () => {
    const pack = loadRuleTexts([
      { file: 'c.yaml', text: CAUSE },
      { file: 'r.yaml', text: RULES },
    ]);
    const result = testRulePack(pack);
    expect(result.examples).toBe(4);
    expect(result.failures.map((f) => [f.kind, f.example, `${f.at.file}:${f.at.line}:${f.at.column}`])).toEqual([
      ['missed', 'nothing here', 'r.yaml:9:11'],
      ['unexpected', 'a foo', 'r.yaml:10:25'],
    ]);
  });
});
