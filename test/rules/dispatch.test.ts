import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRulePacks } from '../../src/index.js';
import { RuleMatcher, matchesCondition, ruleApplies } from '../../src/rules/matcher.js';
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
});
