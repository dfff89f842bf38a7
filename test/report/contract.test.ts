/**
 * The schema, the JSON key order and the CLI's format list are derived by hand from
 * src/report-types.ts and src/report/index.ts; these tests make drift fail loudly.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { reporterNames, reporters, getReporter, isReporterName } from '../../src/report/index.js';
import { SHAPES, type ShapeName } from '../../src/report/json.js';
import { formatIds } from '../../src/formats/index.js';

const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as {
  $defs: Record<string, { properties?: Record<string, unknown>; required?: string[]; enum?: string[] }>;
};

interface Member {
  name: string;
  optional: boolean;
}

/** Interfaces and string-literal unions declared in a TypeScript file. */
function declarations(file: string): { interfaces: Map<string, Member[]>; unions: Map<string, string[]> } {
  const text = readFileSync(new URL(file, import.meta.url), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const interfaces = new Map<string, Member[]>();
  const unions = new Map<string, string[]>();
  sf.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) {
      interfaces.set(
        node.name.text,
        node.members.filter(ts.isPropertySignature).map((m) => ({ name: (m.name as ts.Identifier).text, optional: !!m.questionToken })),
      );
    }
    if (ts.isTypeAliasDeclaration(node) && ts.isUnionTypeNode(node.type)) {
      const literals = node.type.types.filter(ts.isLiteralTypeNode).map((t) => (t.literal as ts.StringLiteral).text);
      unions.set(node.name.text, literals);
    }
  });
  return { interfaces, unions };
}

const types = declarations('../../src/report-types.ts');
const events = declarations('../../src/events.ts');

/** types.ts interface -> schema $defs entry and json.ts key-order shape. */
const MAP: [string, string, ShapeName][] = [
  ['Report', 'report', 'report'],
  ['EvidenceLine', 'evidenceLine', 'evidenceLine'],
  ['CauseEvidence', 'causeEvidence', 'causeEvidence'],
  ['Fact', 'fact', 'fact'],
  ['FactWitness', 'factWitness', 'factWitness'],
  ['RemediationStep', 'remediationStep', 'remediationStep'],
  ['RankedCause', 'rankedCause', 'rankedCause'],
  ['Incident', 'incident', 'incident'],
  ['Problem', 'problem', 'problem'],
  ['Neighbour', 'neighbour', 'neighbour'],
  ['OverallCause', 'overallCause', 'overallCause'],
  ['SourceSummary', 'sourceSummary', 'sourceSummary'],
  ['Stats', 'stats', 'stats'],
  ['SkippedFile', 'skippedFile', 'skippedFile'],
];

describe('schema/report.schema.json matches src/report-types.ts', () => {
  it('covers every interface of types.ts', () => {
    expect([...types.interfaces.keys()].sort()).toEqual(MAP.map(([t]) => t).sort());
  });

  it.each(MAP)('%s: same keys, same required keys, same JSON key order', (typeName, def, shape) => {
    const members = types.interfaces.get(typeName)!;
    const s = schema.$defs[def]!;
    expect(Object.keys(s.properties ?? {}).sort()).toEqual(members.map((m) => m.name).sort());
    expect([...(s.required ?? [])].sort()).toEqual(members.filter((m) => !m.optional).map((m) => m.name).sort());
    expect([...SHAPES[shape].keys]).toEqual(members.map((m) => m.name));
  });

  it('enums match the unions', () => {
    expect(schema.$defs.confidence!.enum).toEqual(types.unions.get('Confidence'));
    expect(schema.$defs.origin!.enum).toEqual(events.unions.get('Origin'));
    // FormatId is derived from the format registry, so the registry is what the schema must list.
    expect([...schema.$defs.format!.enum!].sort()).toEqual(formatIds().sort());
  });
});

describe('reporter map', () => {
  it('is the single source of the --format names', () => {
    expect(reporterNames).toEqual(['text', 'json', 'markdown', 'ndjson', 'github', 'html']);
    for (const name of reporterNames) {
      expect(reporters[name].name).toBe(name);
      expect(reporters[name].description.length).toBeGreaterThan(0);
    }
    expect(isReporterName('json')).toBe(true);
    expect(isReporterName('toString')).toBe(false);
    expect(getReporter('yaml')).toBeUndefined();
  });

  it('documents every format in docs/report-format.md', () => {
    const doc = readFileSync(new URL('../../docs/report-format.md', import.meta.url), 'utf8');
    for (const name of reporterNames) expect(doc).toContain(`\`${name}\``);
  });
});
