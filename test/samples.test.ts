/**
 * Golden tests over the bundled samples: every `samples/**\/<name>.expected.json` states what
 * pgtriage must find in `<name>.*` on its own (incident lines, SQLSTATE class, kind, format and
 * top cause; neighbours; records per detected format). The files are written by
 * scripts/update-expected.mjs and reviewed by hand; see samples/README.md for where each
 * sample came from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { triage } from '../src/index.js';

interface Expected {
  incidents: Array<{ line: number; endLine: number; sqlstate: string; kind: string; format: string; top: string }>;
  neighbours: Array<{ line: number; sqlstate: string }>;
  formats: Record<string, number>;
}

const expectations = fg.sync('samples/**/*.expected.json').sort();

function sampleFor(expectedFile: string): string {
  const dir = path.dirname(expectedFile);
  const stem = path.basename(expectedFile, '.expected.json');
  const match = readdirSync(dir).find((f) => f !== path.basename(expectedFile) && (f === stem || f.startsWith(stem + '.')) && !f.endsWith('.expected.json'));
  if (!match) throw new Error(`no sample next to ${expectedFile}`);
  return path.join(dir, match);
}

describe('bundled samples match their expected results', () => {
  it('has an expectation for every format sample and the seed', () => {
    expect(expectations.length).toBeGreaterThan(30);
    expect(expectations).toContain('samples/seed-example.expected.json');
  });

  for (const file of expectations) {
    it(sampleFor(file), async () => {
      const expected = JSON.parse(readFileSync(file, 'utf8')) as Expected;
      const report = await triage({ path: sampleFor(file) });
      expect(
        report.incidents.map((i) => ({ line: i.line, endLine: i.endLine, sqlstate: i.sqlstate, kind: i.kind, format: i.format, top: i.causes[0].id })),
      ).toEqual(expected.incidents);
      expect(report.neighbours.map((n) => ({ line: n.line, sqlstate: n.sqlstate }))).toEqual(expected.neighbours);
      expect(report.sources[0].formats).toEqual(expected.formats);
    });
  }
});
