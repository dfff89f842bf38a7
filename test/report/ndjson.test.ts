import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderNdjson, renderNdjsonIncident, renderNdjsonSummary } from '../../src/report/ndjson.js';
import { renderOptions } from '../../src/report/reporter.js';
import { makeReport, sqlalchemyIncident } from './factory.js';
import { validate } from './mini-schema.js';
import { DEFAULT_RULES_DIR, loadRulePacks, triage } from '../../src/index.js';

const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const defs = schema.$defs as Record<string, Record<string, unknown>>;

function twoIncidents() {
  const r = makeReport();
  r.incidents.push(sqlalchemyIncident({ id: 'inc-2', line: 400, endLine: 403, message: 'multi\nline\u2028message' }));
  return r;
}

describe('ndjson reporter', () => {
  it('writes one valid JSON line per incident, then one summary line', () => {
    const out = renderNdjson(twoIncidents(), renderOptions());
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.slice(0, -1).split('\n');
    expect(lines).toHaveLength(3);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => p.type)).toEqual(['incident', 'incident', 'summary']);
    expect(parsed[0]).toMatchObject({ type: 'incident', schemaVersion: '2.0', id: 'inc-1', sqlstate: '08003' });
    expect(parsed[1]!.message).toBe('multi\nline\u2028message');
    expect(Object.keys(parsed[2]!)).toEqual(['type', 'schemaVersion', 'tool', 'problems', 'causes', 'neighbours', 'sources', 'stats', 'warnings']);
    expect(errorsFor(parsed)).toEqual([]);
  });

  it('streams: renderIncident for each, then renderSummary, equals render', () => {
    const r = twoIncidents();
    const o = renderOptions();
    const streamed = r.incidents.map((i) => renderNdjsonIncident(i, o)).join('') + renderNdjsonSummary(r, o);
    expect(streamed).toBe(renderNdjson(r, o));
  });

  it('lines never hold raw U+2028 or control characters (safe for line splitters and terminals)', () => {
    const lines = renderNdjson(twoIncidents(), renderOptions()).slice(0, -1).split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]/u);
  });

  it('redacts incident and summary lines unless told not to', () => {
    const r = makeReport();
    r.incidents[0]!.evidence[0]!.text += '\nusing postgresql://etl:S3cret@db:5432/x';
    r.neighbours[0]!.text = 'could not connect: host=db password=hunter2';
    expect(renderNdjson(r, renderOptions())).not.toMatch(/S3cret|hunter2/);
    expect(renderNdjson(r, renderOptions({ redact: false }))).toMatch(/S3cret[\s\S]*hunter2/);
  });
});

describe('ndjson incident lines quote each log line once', () => {
  const file = new URL('../../samples/formats/python-logging-pool.log', import.meta.url);
  const load = async () => {
    const pack = await loadRulePacks([DEFAULT_RULES_DIR]);
    return triage({ name: 'python-logging-pool.log', content: readFileSync(file) }, { pack });
  };
  // The failure record of the sample: a 21-line traceback that several facts and causes cite.
  const FAILURE = 'watermark query failed';

  it('the traceback appears once per line; facts and causes refer to it; the line validates', async () => {
    const report = await load();
    const compact = renderNdjsonIncident(report.incidents[0]!, renderOptions());
    const full = renderNdjsonIncident(report.incidents[0]!, renderOptions({ explain: true }));
    expect(compact.split(FAILURE).length - 1).toBe(1);
    expect(full.split(FAILURE).length - 1).toBeGreaterThan(3);
    expect(compact.length * 1.5).toBeLessThan(full.length);
    const line = JSON.parse(compact) as {
      facts: Array<{ id: string; witnesses: Array<{ source: string; line: number; text?: string }> }>;
      evidence: Array<{ source: string; line: number }>;
      causes: Array<{ evidence: Array<{ text?: string; fact?: string }>; remediation: unknown[] }>;
    };
    expect(errorsFor([line as unknown as Record<string, unknown>])).toEqual([]);
    // What the text left out is still reachable: each cause's evidence names its fact, each fact's witness a quoted line.
    const facts = new Set(line.facts.map((f) => f.id));
    const quoted = new Set(line.evidence.map((e) => `${e.source}:${e.line}`));
    for (const c of line.causes) for (const e of c.evidence) if (!e.text) expect(facts).toContain(e.fact);
    for (const f of line.facts) for (const w of f.witnesses) if (!w.text) expect(quoted).toContain(`${w.source}:${w.line}`);
    // Remediation for the detailed causes only (the first two scoring at least 10%).
    expect(line.causes.filter((c) => c.remediation.length > 0).length).toBeLessThanOrEqual(2);
    expect(line.causes[0].remediation.length).toBeGreaterThan(0);
  });
});

function errorsFor(lines: Record<string, unknown>[]) {
  return lines.flatMap((l) => validate(schema, l, l.type === 'summary' ? defs.ndjsonSummary! : defs.ndjsonIncident!));
}
