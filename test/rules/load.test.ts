import { describe, expect, it } from 'vitest';
import { loadRuleTexts } from '../../src/rules/read.js';
import { RulePackError } from '../../src/rules/errors.js';

const CAUSE = `cause:
  id: my-cause
  title: A cause
  summary: s
  prior: 0.1
`;

function errorsOf(files: Array<{ file: string; text: string }>): string[] {
  try {
    loadRuleTexts(files);
  } catch (error) {
    expect(error).toBeInstanceOf(RulePackError);
    return (error as RulePackError).errors.map((e) => e.message);
  }
  throw new Error('expected the pack to be rejected');
}

describe('rule pack validation', () => {
  it('loads a valid rule with its literals and window', () => {
    const pack = loadRuleTexts([
      { file: 'c.yaml', text: CAUSE },
      {
        file: 'r.yaml',
        text: `rules:
  - id: r1
    description: d
    match: { any: [ { contains: Foo Bar }, { icontains: baz } ] }
    evidence: [ { cause: my-cause, for: strong } ]
    window: { before: 5m, after: 10s }
`,
      },
    ]);
    expect(pack.rules[0].literals).toEqual(['foo bar', 'baz']);
    expect(pack.rules[0].window).toEqual({ before: 300_000, after: 10_000 });
    expect(pack.rules[0].evidence[0].weight).toBe(1);
  });

  it('reports YAML syntax errors with file:line:column', () => {
    expect(errorsOf([{ file: 'bad.yaml', text: 'rules:\n  - id: x\n    match: [unclosed\n' }])[0]).toMatch(/^bad\.yaml:\d+:\d+: YAML syntax/);
  });

  it('reports an unknown key at its position', () => {
    const errors = errorsOf([
      { file: 'c.yaml', text: CAUSE },
      { file: 'r.yaml', text: 'rules:\n  - id: r1\n    description: d\n    mach: { contains: x }\n    evidence: [ { cause: my-cause, for: weak } ]\n' },
    ]);
    expect(errors).toContain(
      'r.yaml:4:5: rule r1: unknown key "mach" (allowed: id, description, origins, formats, match, when, incident, neighbour, evidence, window, examples); did you mean match?',
    );
    // The rule then has neither match nor when: said once, at the rule, not once per branch.
    expect(errors).toContain('r.yaml:2:5: rule r1: a rule needs a "match" or a "when"');
    expect(errors).toHaveLength(2);
  });

  it('reports wrong types and bad strengths at their own positions, only from the branch meant', () => {
    const errors = errorsOf([
      { file: 'c.yaml', text: CAUSE },
      {
        file: 'r.yaml',
        text: 'rules:\n  - id: r1\n    description: d\n    match: { contains: [1, {a: b}] }\n    evidence:\n      - { cause: nope, for: weak }\n      - { cause: my-cause, for: huge }\n',
      },
    ]);
    // `contains` is a list, so the string branch of its anyOf says nothing.
    expect(errors).toEqual([
      'r.yaml:4:25: rule r1: match.contains.0: must be a string',
      'r.yaml:4:28: rule r1: match.contains.1: must be a string',
      'r.yaml:7:33: rule r1: evidence.1.for: must be one of weak, moderate, strong, decisive',
    ]);
  });

  it('reports evidence for an unknown cause once the file is well-formed', () => {
    const errors = errorsOf([
      { file: 'c.yaml', text: CAUSE },
      { file: 'r.yaml', text: 'rules:\n  - id: r1\n    description: d\n    match: { contains: x }\n    evidence:\n      - { cause: nope, for: weak }\n' },
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^r\.yaml:6:18: rule r1 gives evidence for unknown cause "nope"/);
  });

  it('says what a value should be, not the regex or branch it failed', () => {
    const errors = errorsOf([
      { file: 'c.yaml', text: CAUSE },
      {
        file: 'r.yaml',
        text: 'rules:\n  - id: r1\n    description: d\n    match: { contains: x }\n    evidence: [ { cause: my-cause, for: weak, against: weak } ]\n    window: { before: 5x }\n    origins: [clent]\n',
      },
    ]);
    expect(errors).toEqual([
      'r.yaml:5:17: rule r1: evidence.0: needs exactly one of "for" or "against"',
      'r.yaml:6:23: rule r1: window.before: must be a duration such as 1500ms, 90s, 5m or 5min, 2h, 1d, or a bare number of seconds',
      'r.yaml:7:15: rule r1: origins.0: must be one of client, orchestrator, server, pooler, config, unknown; did you mean client?',
    ]);
  });

  it('reports duplicate ids within one pack', () => {
    const rule = '  - id: dup\n    description: d\n    match: { contains: x }\n    evidence: [ { cause: my-cause, for: weak } ]\n';
    const errors = errorsOf([
      { file: 'c.yaml', text: CAUSE },
      { file: 'r.yaml', text: `rules:\n${rule}${rule}` },
    ]);
    expect(errors).toEqual(['r.yaml:6:5: duplicate rule id "dup" (first defined at r.yaml:2:5)']);
  });

  it('refuses a regex the linear-time engine cannot compile (backreference) at its position', () => {
    const errors = errorsOf([
      { file: 'c.yaml', text: CAUSE },
      { file: 'r.yaml', text: 'rules:\n  - id: r1\n    description: d\n    match: { regex: "(a)\\\\1" }\n    evidence: [ { cause: my-cause, for: weak } ]\n' },
    ]);
    expect(errors[0]).toMatch(/^r\.yaml:4:21: regex does not compile: /);
  });

  it('rejects a rule that yields nothing', () => {
    const errors = errorsOf([{ file: 'r.yaml', text: 'rules:\n  - id: r1\n    description: d\n    match: { contains: x }\n' }]);
    expect(errors).toEqual(['r.yaml:2:5: rule r1: a rule yields nothing: give it "incident", "neighbour" or "evidence" (an explicit empty evidence list with a match only marks records)']);
  });

  it('does not expand YAML aliases (no alias bombs): an alias is refused where it stands', () => {
    const errors = errorsOf([
      { file: 'c.yaml', text: CAUSE },
      { file: 'r.yaml', text: 'rules:\n  - id: r1\n    description: &d text\n    match: { contains: *d }\n    evidence: [ { cause: my-cause, for: weak } ]\n' },
    ]);
    expect(errors).toEqual(['r.yaml:4:24: YAML aliases (*name) are not allowed in rule files; write the value out']);
  });
});

describe('when: expressions at load time', () => {
  const CAUSE_FILE = { file: 'c.yaml', text: 'cause: { id: my-cause, title: A cause, summary: s, prior: 0.1 }\n' };

  it('points at the column inside the expression of a parse error', () => {
    const errors = errorsOf([
      CAUSE_FILE,
      { file: 'r.yaml', text: 'rules:\n  - id: r1\n    description: d\n    when: "gap_before >="\n    evidence: [ { cause: my-cause, for: weak } ]\n' },
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^r\.yaml:4:\d+: when: /);
    // the error is past the operator, not at the start of the scalar
    expect(Number(errors[0].split(':')[2])).toBeGreaterThan(20);
  });

  it('rejects a reference to a rule that does not exist', () => {
    const errors = errorsOf([
      CAUSE_FILE,
      { file: 'r.yaml', text: 'rules:\n  - id: r1\n    description: d\n    when: "within 5s of rule:nope"\n    evidence: [ { cause: my-cause, for: weak } ]\n' },
    ]);
    expect(errors).toEqual(['r.yaml:4:11: rule r1: when refers to unknown rule "nope"']);
  });
});

describe('rule packs cannot blow up the loader', () => {
  it('refuses a rule file larger than 1 MiB with its position', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { loadRulePacks } = await import('../../src/input/rule-files.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'pgtriage-rules-'));
    writeFileSync(path.join(dir, 'huge.yaml'), '# ' + 'x'.repeat(2 << 20) + '\n');
    await expect(loadRulePacks([dir])).rejects.toThrow(/huge\.yaml:1:1: rule file is larger than 1048576 bytes/);
  });

  it('does not expand a billion-laughs alias chain', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    const errors = errorsOf([{ file: 'bomb.yaml', text: levels.join('\n') + '\nrules: *i\n' }]);
    // refused at its aliases, before anything could expand 9^9 nodes
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.startsWith('bomb.yaml:'))).toBe(true);
  });
});
