import { describe, expect, it } from 'vitest';
import { loadRuleTexts } from '../../src/rules/read.js';
import { triage } from '../../src/index.js';

const CAUSES = 'cause: { id: c, title: C, summary: s, prior: 0.1 }\n';

describe('user regexes cannot make matching super-linear', () => {
  it('runs (a+)+$ and (x|x)*y style rules over a 1 MB hostile line and still finds the incident after it', async () => {
    const pack = loadRuleTexts([
      { file: 'c.yaml', text: CAUSES },
      {
        file: 'r.yaml',
        text: `rules:
  - id: nested-quantifier
    description: catastrophic for a backtracking engine
    match: { all: [ { contains: "aaaa" }, { regex: "(a+)+$" } ] }
    evidence: [ { cause: c, for: weak } ]
  - id: alternation-star
    description: catastrophic for a backtracking engine too
    match: { all: [ { contains: "xxxx" }, { regex: "^(x|x)*y" } ] }
    evidence: [ { cause: c, for: weak } ]
  - id: lost
    description: the incident after the hostile lines
    match: { contains: "server closed the connection unexpectedly" }
    incident: { sqlstate: "08003", kind: connection-lost }
`,
      },
    ]);
    // With a backtracking engine either line would take longer than the age of the universe;
    // RE2JS is linear, so this finishes well inside the test timeout.
    const hostile = 'a'.repeat(1 << 20) + 'b\n' + 'x'.repeat(1 << 20) + 'z\n';
    const log = hostile + '2024-05-01 02:00:00,000 ERROR etl: psycopg2.OperationalError: server closed the connection unexpectedly\n';
    const report = await triage(log, { pack, lineLimits: { maxLineChars: 2 << 20 } });
    expect(report.incidents.map((i) => i.line)).toEqual([3]);
    expect(report.stats.linesTruncated).toBe(0);
  }, 20_000);
});
