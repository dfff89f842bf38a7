import { describe, expect, it } from 'vitest';
import { loadRuleTexts } from '../../src/rules/read.js';
import { rankCauses, remediationFor, type ScoredEvidence } from '../../src/score/rank.js';

const pack = loadRuleTexts([
  {
    file: 'causes.yaml',
    text: `cause:
  id: a
  title: Cause A
  summary: s
  prior: 0.3
  remediation: { sqlalchemy: [use pre-ping], dbt: [set keepalives_idle], server: [check the server], generic: [retry] }
`,
  },
  { file: 'b.yaml', text: 'cause: { id: b, title: Cause B, summary: s, prior: 0.3 }\n' },
  { file: 'c.yaml', text: 'cause: { id: c, title: Cause C, summary: s, prior: 0.2 }\n' },
]);

function ev(cause: string, weight: number): ScoredEvidence {
  return { cause, weight, direction: weight >= 0 ? 'for' : 'against', source: 'x.log', line: 1, text: 't', ruleId: `r-${cause}`, reason: 'r' };
}

describe('rankCauses', () => {
  it('with no evidence, only "unknown" is presented and it holds all the mass', () => {
    const ranked = rankCauses(pack, [], []);
    expect(ranked.map((r) => r.id)).toEqual(['unknown']);
    expect(ranked[0].score).toBe(1);
  });

  it('is the normalized posterior: prior x 10^(sum of log-ratios) over causes with evidence plus the rest', () => {
    const ranked = rankCauses(pack, [ev('a', 1)], []);
    // a: 0.3 * 10 = 3; rest: b 0.3 + c 0.2 + unknown 0.2 = 0.7; total 3.7
    expect(ranked[0].id).toBe('a');
    expect(ranked[0].score).toBeCloseTo(3 / 3.7, 3);
    expect(ranked[1]).toMatchObject({ id: 'unknown' });
    expect(ranked[1].score).toBeCloseTo(0.7 / 3.7, 3);
  });

  it('lowers a cause for contradicting evidence and lists it as contradicting', () => {
    // two different facts bear on `a`, one for and one against
    const ranked = rankCauses(pack, [ev('a', 1), ev('b', 1), { ...ev('a', -1), ruleId: 'r-against-a' }], []);
    expect(ranked[0].id).toBe('b');
    const a = ranked.find((r) => r.id === 'a')!;
    expect(a.contradicting).toHaveLength(1);
    expect(a.score).toBeLessThan(ranked[0].score);
  });

  it('gives high confidence only to a clear winner', () => {
    expect(rankCauses(pack, [ev('a', 2)], [])[0].confidence).toBe('high');
    expect(rankCauses(pack, [], [])[0].confidence).toBe('low');
    expect(rankCauses(pack, [ev('a', 1), ev('b', 1)], [])[0].confidence).toBe('low');
  });

  it('fits remediation to the stacks seen: dbt advice for a dbt log, never SQLAlchemy-only advice', () => {
    const cause = pack.causes.get('a')!;
    expect(remediationFor(cause, ['dbt']).map((s) => s.stack)).toEqual(['dbt', 'server']);
    expect(remediationFor(cause, ['sqlalchemy', 'psycopg']).map((s) => s.text)).toEqual(['use pre-ping', 'check the server']);
    expect(remediationFor(cause, []).map((s) => s.stack)).toEqual(['server', 'generic']);
  });
});

describe('rankCauses with evidence only against a cause', () => {
  it('shrinks that cause inside unknown instead of listing it', () => {
    const ranked = rankCauses(pack, [ev('a', 1), ev('b', -1)], []);
    // a: 3; rest: b 0.3/10 + c 0.2 + unknown 0.2 = 0.43
    expect(ranked.map((r) => r.id)).toEqual(['a', 'unknown']);
    expect(ranked[0].score).toBeCloseTo(3 / 3.43, 3);
  });
});
