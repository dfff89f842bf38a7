/**
 * Redaction property: a credential of every shape, in every carrier, run through the real
 * pipeline (triage) and rendered in every registered format (plain and --explain), never
 * appears in the output. The same run with redaction off must show the secret somewhere, so
 * each case really is quoted and the test can fail.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRulePacks, triage, type RulePack } from '../../src/index.js';
import { reporterNames, reporters } from '../../src/report/index.js';
import { renderOptions } from '../../src/report/reporter.js';
import type { Report } from '../../src/report-types.js';
import { CARRIERS, SHAPES, secretParts, type Carrier, type Shape } from './shapes.js';

let pack: RulePack;
beforeAll(async () => {
  pack = await loadRulePacks([DEFAULT_RULES_DIR]);
});

/** Every rendering a user can ask for: each format, with and without --explain. */
function renderings(report: Report, redact: boolean): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name of reporterNames) {
    for (const explain of [false, true]) {
      const r = reporters[name];
      const options = renderOptions({ redact, explain, width: 100 });
      out.push([`${name}${explain ? ' --explain' : ''}`, r.render(report, options)]);
      if ('renderIncident' in r && typeof r.renderIncident === 'function' && typeof r.renderSummary === 'function') {
        const streamed = report.incidents.map((i) => r.renderIncident!(i, options)).join('') + r.renderSummary(report, options);
        out.push([`${name} streamed${explain ? ' --explain' : ''}`, streamed]);
      }
    }
  }
  return out;
}

const segment = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{7,11}$/);

interface Outcome {
  leaks: string[];
  quoted: boolean;
}

async function check(shape: Shape, carrier: Carrier, a: string, b: string): Promise<Outcome> {
  const credential = shape.make(a, b);
  const input = carrier.make(credential, shape, `${a}${b}`);
  const report = await triage({ name: input.name, content: input.text }, { pack });
  const parts = [...secretParts(shape, a, b)];
  const leaks: string[] = [];
  const where = renderings(report, true)
    .filter(([, text]) => parts.some((p) => text.includes(p)))
    .map(([name]) => name);
  if (where.length) leaks.push(`${JSON.stringify(credential)} in ${where.join(', ')}`);
  const quoted = renderings(report, false).some(([, text]) => parts.some((p) => text.includes(p)));
  return { leaks, quoted };
}

describe('no credential survives redaction in any rendering', () => {
  for (const carrier of CARRIERS) {
    it(`carrier: ${carrier.name}`, async () => {
      const leaks: string[] = [];
      const unquoted: string[] = [];
      let placements = 0;
      let leaked = 0;
      // Every shape in this carrier, each with a few generated secrets (fixed seed).
      for (const shape of SHAPES) {
        const samples = fc.sample(fc.tuple(segment, segment), { numRuns: 1, seed: 17 + shape.name.length });
        for (const [a, b] of samples) {
          const r = await check(shape, carrier, a, b);
          leaks.push(...r.leaks.map((l) => `${shape.name}: ${l}`));
          placements++;
          if (r.leaks.length) leaked++;
          if (!r.quoted) unquoted.push(shape.name);
        }
      }
      if (process.env.REDACT_SUMMARY) console.log(`${carrier.name}: ${leaked}/${placements} placements leaked`);
      expect(leaks).toEqual([]);
      // A case whose secret is not quoted even without redaction proves nothing.
      expect(unquoted).toEqual([]);
    }, 120_000);
  }
});
