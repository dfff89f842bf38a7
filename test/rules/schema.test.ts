import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileSchema, validateDocument } from '../../src/schema/validate.js';
import { rulesSchema } from '../../src/schema/rules.js';
import { loadRulePacks } from '../../src/input/rule-files.js';
import { RulePackError } from '../../src/rules/errors.js';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

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

  it('is shipped as the code derives it (node scripts/build-config-schema.mjs rewrites it)', () => {
    expect(schema).toEqual(rulesSchema());
  });

  it('is what the loader checks: a malformed pack on disk gets file:line:column for each problem', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pgtriage-pack-'));
    mkdirSync(path.join(dir, 'evidence'));
    const file = path.join(dir, 'evidence', 'mine.yaml');
    writeFileSync(
      file,
      'rules:\n  - id: mine\n    description: d\n    match: { regex: "(a)\\\\1" }\n    evidence: [ { cause: stale-pool-after-restart, for: strongly } ]\n    windw: { before: 5m }\n',
    );
    const error = await loadRulePacks([dir], { cache: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RulePackError);
    const messages = (error as RulePackError).errors.map((e) => e.message);
    expect(messages).toEqual([
      `${file}:5:57: rule mine: evidence.0.for: must be one of weak, moderate, strong, decisive; did you mean strong?`,
      `${file}:6:5: rule mine: unknown key "windw" (allowed: id, description, origins, formats, match, when, incident, neighbour, evidence, window, examples); did you mean window?`,
    ]);
  });
});
