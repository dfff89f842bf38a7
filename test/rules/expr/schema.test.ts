import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MATCHABLE_FIELDS, STACKS } from '../../../src/rules/read.js';

// schema/rules.schema.json is written by hand; keep it in step with what the loader accepts.
const schema = JSON.parse(await readFile(new URL('../../../schema/rules.schema.json', import.meta.url), 'utf8'));

describe('schema/rules.schema.json', () => {
  it('is draft 2020-12 and describes both file forms', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties).sort()).toEqual(['cause', 'rules']);
  });

  it('lists the loader field names and remediation stacks', () => {
    expect(Object.keys(schema.$defs.condition.properties.field.properties).sort()).toEqual([...MATCHABLE_FIELDS].sort());
    expect(Object.keys(schema.$defs.cause.properties.remediation.properties).sort()).toEqual([...STACKS].sort());
  });

  it('knows every rule key, including when', () => {
    expect(Object.keys(schema.$defs.rule.properties).sort()).toEqual(
      ['id', 'description', 'origins', 'formats', 'match', 'incident', 'neighbour', 'evidence', 'window', 'examples', 'when'].sort(),
    );
    expect(schema.$defs.rule.properties.when.maxLength).toBe(2000);
  });

  it('has a description on every property', () => {
    const missing: string[] = [];
    const visit = (node: unknown, where: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.properties && typeof n.properties === 'object') {
        for (const [key, value] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          if (typeof value.description !== 'string') missing.push(`${where}.${key}`);
          visit(value, `${where}.${key}`);
        }
      }
      // Constraint branches (anyOf/oneOf/not) only restate keys documented above.
      for (const [key, value] of Object.entries(n)) {
        if (key !== 'properties' && !['anyOf', 'oneOf', 'not'].includes(key) && typeof value === 'object') visit(value, `${where}/${key}`);
      }
    };
    visit(schema, '#');
    expect(missing).toEqual([]);
  });
});
