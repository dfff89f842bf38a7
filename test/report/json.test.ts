import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalReport, renderJson } from '../../src/report/json.js';
import { renderOptions } from '../../src/report/reporter.js';
import { SCHEMA_VERSION } from '../../src/report-types.js';
import { emptyReport, makeReport, sqlalchemyIncident } from './factory.js';
import { validate } from './mini-schema.js';

const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const noRedact = renderOptions({ redact: false });

describe('json reporter', () => {
  it('round-trips exactly (without redaction) and is pretty-printed with a final newline', () => {
    const report = makeReport();
    const out = renderJson(report, noRedact);
    const { problems, ...rest } = JSON.parse(out) as typeof report;
    expect(rest).toEqual(report);
    expect(problems).toHaveLength(1);
    expect(out).toMatch(/^\{\n {2}"schemaVersion": "1\.0",\n {2}"tool": \{/);
    expect(out.endsWith('}\n')).toBe(true);
  });

  it('adds problems[]: every incident in exactly one, with ids, count, times and the top cause', () => {
    const same = (id: string, line: number, time: string) => sqlalchemyIncident({ id, line, time });
    const other = sqlalchemyIncident({ id: 'I3', line: 700, message: 'SSL SYSCALL error: EOF detected', time: '2024-05-01T10:09:00.000Z' });
    const report = makeReport({ incidents: [same('I1', 120, '2024-05-01T10:02:03.000Z'), same('I2', 300, '2024-05-01T10:05:00.000Z'), other] });
    const parsed = JSON.parse(renderJson(report, noRedact)) as { incidents: Array<{ id: string }>; problems: Array<Record<string, unknown>> };
    expect(parsed.incidents.map((i) => i.id)).toEqual(['I1', 'I2', 'I3']);
    expect(parsed.problems).toEqual([
      expect.objectContaining({ id: 'P1', count: 2, incidents: ['I1', 'I2'], topCause: 'stale-pool-after-restart', firstTime: '2024-05-01T10:02:03.000Z', lastTime: '2024-05-01T10:05:00.000Z', source: 'logs/etl.log', line: 120 }),
      expect.objectContaining({ id: 'P2', count: 1, incidents: ['I3'] }),
    ]);
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'tool', 'incidents', 'problems', 'causes', 'neighbours', 'sources', 'stats', 'warnings']);
    expect(validate(schema, parsed)).toEqual([]);
  });

  it('validates against schema/report.schema.json', () => {
    for (const report of [makeReport(), emptyReport()]) {
      const errors = validate(schema, JSON.parse(renderJson(report, renderOptions())));
      expect(errors).toEqual([]);
    }
  });

  it('the validator catches a broken report (so the previous test means something)', () => {
    const broken = JSON.parse(renderJson(makeReport(), noRedact));
    delete broken.incidents[0].causes[0].confidence;
    broken.incidents[0].causes[1].score = 1.5;
    broken.stats.lines = -1;
    broken.neighbours[0].sqlstate = 'refused';
    const errors = validate(schema, broken).map((e) => `${e.path}: ${e.message}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        '$.incidents[0].causes[0]: missing required confidence',
        '$.incidents[0].causes[1].score: 1.5 > 1',
        '$.neighbours[0].sqlstate: does not match ^[0-9A-Z]{5}$',
        '$.stats.lines: -1 < 0',
      ]),
    );
  });

  it('is stable: keys in the documented order whatever the build order', () => {
    const report = makeReport();
    const shuffled = JSON.parse(JSON.stringify(report), function (this: unknown, _k, v: unknown) {
      if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).reverse());
      return v;
    });
    expect(renderJson(shuffled, noRedact)).toBe(renderJson(report, noRedact));
    expect(Object.keys(canonicalReport(shuffled))).toEqual(['schemaVersion', 'tool', 'incidents', 'causes', 'neighbours', 'sources', 'stats', 'warnings']);
    // unknown (future) keys survive, after the known ones
    const extended = { ...report, zeta: 1, alpha: true } as typeof report;
    expect(Object.keys(JSON.parse(renderJson(extended, noRedact))).slice(-2)).toEqual(['alpha', 'zeta']);
  });

  it('keeps hostile text exact but never emits raw ESC, CSI or bidi characters', () => {
    const hostile = 'a\x1b[2Jb\x9b31mc\u202ed\u2066e\x07\r\u2028';
    const incident = sqlalchemyIncident({ message: hostile });
    incident.evidence[0]!.text = hostile;
    const report = makeReport({ incidents: [incident] });
    const out = renderJson(report, noRedact);
    expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
    expect(out).toContain('\\u009b');
    expect(JSON.parse(out).incidents[0].message).toBe(hostile);
  });

  it('redacts by default', () => {
    const incident = sqlalchemyIncident({ message: 'could not connect to postgresql://etl:S3cret@db:5432/x' });
    const out = renderJson(makeReport({ incidents: [incident] }), renderOptions());
    expect(out).toContain('postgresql://etl:***@db:5432/x');
    expect(out).not.toContain('S3cret');
    expect(JSON.parse(out).schemaVersion).toBe(SCHEMA_VERSION);
  });
});
