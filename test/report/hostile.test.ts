/**
 * Property: whatever the logs hold, no reporter emits a raw ESC (or any other control,
 * C1 or bidi character) — with colour off, not a single 0x1b; with colour on, only the
 * reporter's own SGR codes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canStream, reporters } from '../../src/report/index.js';
import { renderOptions } from '../../src/report/reporter.js';
import type { Report } from '../../src/report-types.js';
import { causeEvidence, makeReport, sqlalchemyIncident, stalePoolCause } from './factory.js';

const HOSTILE = ['\x1b', '\x1b[2J', '\x1b]0;title\x07', '\x9b', '\x9b31m', '\u202e', '\u2066', '\r', '\x07', '\b', '\x00', '\x7f', '\u2028', '```', '|', '\n', '\t', 'password=', 'postgresql://u:'];

const hostileString = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...HOSTILE)), { maxLength: 8 })
  .map((parts) => parts.join(''));

function hostileReport(s: string[]): Report {
  const at = (i: number) => s[i % s.length]!;
  const cause = stalePoolCause();
  cause.title = at(0);
  cause.summary = at(1);
  cause.evidence[0] = causeEvidence({ text: at(2), reason: at(3), ruleId: at(4), source: at(5) });
  cause.contradicting = [causeEvidence({ text: at(6), direction: 'against', weight: -0.5 })];
  cause.remediation = [{ stack: 'sqlalchemy', text: at(7) }, { stack: at(8), text: at(9) }];
  const incident = sqlalchemyIncident({ message: at(10), why: at(11), id: at(12), missing: [at(13)], causes: [cause], stacks: ['sqlalchemy', at(14)] });
  incident.evidence[0]!.text = at(15);
  incident.evidence[1]!.source = at(16);
  const report = makeReport({ incidents: [incident], warnings: [at(17)] });
  report.neighbours[0]!.text = at(18);
  report.neighbours[0]!.name = at(19);
  report.sources[0]!.detection = at(20);
  report.sources[0]!.error = at(21);
  report.causes[0]!.title = at(22);
  return report;
}

const FORBIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const OUR_SGR = /\x1b\[\d+m/g;

function outputs(report: Report, color: boolean, redact: boolean): [string, string][] {
  const o = renderOptions({ color, redact, explain: true });
  const out: [string, string][] = [];
  for (const [name, reporter] of Object.entries(reporters)) {
    out.push([name, reporter.render(report, o)]);
    if (canStream(reporter)) {
      out.push([`${name}/stream`, report.incidents.map((i) => reporter.renderIncident(i, o)).join('') + reporter.renderSummary(report, o)]);
    }
  }
  return out;
}

describe('hostile log text', () => {
  it('never reaches the terminal raw, in any format', () => {
    fc.assert(
      fc.property(fc.array(hostileString, { minLength: 1, maxLength: 23 }), fc.boolean(), (strings, redact) => {
        const report = hostileReport(strings);
        for (const [name, text] of outputs(report, false, redact)) {
          if (text.includes('\x1b') || FORBIDDEN.test(text)) throw new Error(`${name} emitted a raw control character`);
        }
        for (const [name, text] of outputs(report, true, redact)) {
          if (FORBIDDEN.test(text.replace(OUR_SGR, ''))) throw new Error(`${name} (colour) emitted a raw control character`);
        }
      }),
      { seed: 20240501, numRuns: 150 },
    );
    // 150 runs of every reporter, twice: generous on a shared machine (not a speed check).
  }, 60_000);

  it('json and ndjson stay exact (parse back to the hostile text) with redaction off', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const report = makeReport({ incidents: [sqlalchemyIncident({ message: s })] });
        const o = renderOptions({ redact: false });
        expect(JSON.parse(reporters.json.render(report, o)).incidents[0].message).toBe(s);
        expect(JSON.parse(reporters.ndjson.render(report, o).split('\n')[0]!).message).toBe(s);
      }),
      { seed: 7, numRuns: 150 },
    );
  });
});
