import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileSchema, validateDocument } from '../../src/schema/validate.js';
import { loadRuleTexts } from '../../src/rules/read.js';

const schema = JSON.parse(readFileSync('schema/rules.schema.json', 'utf8')) as object;
const yamlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));

function check(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return validateDocument(compileSchema(schema), doc, lineCounter);
}

describe('schema/rules.schema.json', () => {
  it('compiles under ajv strict mode', () => {
    expect(() => compileSchema(schema)).not.toThrow();
  });

  it('accepts every file of the bundled pack', () => {
    const files = yamlFiles('rules');
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect({ file: f, problems: check(readFileSync(f, 'utf8')) }).toEqual({ file: f, problems: [] });
  });

  it('points at the line and column of what is wrong', () => {
    const text = 'rules:\n  - id: x\n    description: d\n    match: { message: "a" }\n    evidnce: []\n  - id: y\n    description: d\n    incident: { sqlstate: "08003", kind: connection-lost }\n';
    const problems = check(text);
    expect(problems).toContainEqual(expect.objectContaining({ line: 5, column: 5, message: expect.stringContaining('unknown key "evidnce"') }));
    // The second rule has neither match nor when: reported at the rule.
    expect(problems.some((p) => p.line === 6 && p.path === '/rules/1')).toBe(true);
  });

  it('agrees with the loader on the cases the loader refuses', () => {
    const cases = [
      'rules:\n  - id: n\n    description: d\n    when: gap_before > 5s\n    neighbour: { sqlstate: "08001", name: refused }\n',
      'rules:\n  - id: i\n    description: d\n    when: gap_before > 5s\n    incident: { sqlstate: "08003", kind: connection-lost }\n',
      'rules:\n  - id: e\n    description: d\n    examples: { match: [x] }\n',
    ];
    for (const text of cases) {
      expect(() => loadRuleTexts([{ file: 'x.yaml', text }])).toThrow();
      expect(check(text).length).toBeGreaterThan(0);
    }
  });
});
