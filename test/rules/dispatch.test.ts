import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRulePacks } from '../../src/index.js';
import { RuleMatcher, matchesCondition, ruleApplies } from '../../src/rules/matcher.js';
import type { Rule } from '../../src/rules/types.js';
import { eventsFromText } from '../../src/records/text-events.js';

describe('rule dispatch by literal', () => {
  it('fires exactly the rules that evaluating every rule would, on every example of the default pack', async () => {
    const pack = await loadRulePacks([DEFAULT_RULES_DIR]);
    const matcher = new RuleMatcher(pack);
    let events = 0;
    let fired = 0;
    for (const rule of pack.rules) {
      for (const example of [...rule.examples.match, ...rule.examples.nomatch]) {
        for (const event of eventsFromText(example)) {
          events++;
          const all = pack.rules.filter((r) => r.match && ruleApplies(r, event) && matchesCondition(r.match, event)).map((r) => r.id);
          const got = matcher.match(event).map((r) => r.id);
          fired += got.length;
          expect(got.slice().sort(), example).toEqual(all.slice().sort());
        }
      }
    }
    expect(events).toBeGreaterThan(100);
    expect(fired).toBeGreaterThan(50);
  });

  it('puts failure wording in the prefilter as triggers and everything else as context', async () => {
    const pack = await loadRulePacks([DEFAULT_RULES_DIR]);
    const entries = new RuleMatcher(pack).planEntries();
    const cls = (text: string) => [...new Set(entries.filter((e) => e.all.some((l) => l.text === text)).map((e) => e.cls))];
    expect(cls('server closed the connection unexpectedly')).toEqual(['trigger']);
    expect(cls('forkpoolworker')).toEqual(['context']);
    // The HTTP-call rule no longer hits on any " http": a method must come before it.
    expect(entries.some((e) => e.all.some((l) => l.text === ' http'))).toBe(false);
    expect(cls('post http')).toEqual(['context']);
  });

  it('finds the same literals with the string scanner as with the alternation, in any case and next to non-ASCII text (fixed seed)', async () => {
    const pack = await loadRulePacks([DEFAULT_RULES_DIR]);
    const matcher = new RuleMatcher(pack);
    const lits = matcher.literals;
    const re = matcher.prefilter!;
    const inner = matcher as unknown as { ownersOf(literal: string): number[] | undefined; literalRules: Rule[]; candidates(text: string): Rule[] };
    expect(lits.some((l) => /[^\x00-\x7f]/.test(l))).toBe(true); // translated server messages
    const piece = fc.oneof(
      fc.constantFrom(...lits),
      fc.constantFrom(...lits).map((l) => l.toUpperCase()),
      fc.constantFrom(...lits).map((l) => l.slice(1)),
      fc.constantFrom('é', 'İ', 'ſ', 'K', '\u212a', ' ', '\n', 'x'),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const text = pieces.join('');
        re.lastIndex = 0;
        expect(matcher.hasLiteral(text)).toBe(re.test(text));
        // and the same rules to evaluate: the owners of every literal the alternation finds
        const want = new Set<string>();
        re.lastIndex = 0;
        for (let m = re.exec(text); m; m = re.exec(text)) {
          for (const i of inner.ownersOf(m[0].toLowerCase()) ?? []) want.add(inner.literalRules[i].id);
          re.lastIndex = m.index + 1;
        }
        expect(new Set(inner.candidates(text).map((r) => r.id))).toEqual(want);
      }),
      { seed: 13, numRuns: 3000 },
    );
  });
});
