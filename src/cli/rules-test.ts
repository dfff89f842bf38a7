import { eventsFromText } from '../records/text-events.js';
import { TriageSession } from '../session.js';
import { matchesCondition, ruleApplies } from '../rules/matcher.js';
import type { Rule, RulePack } from '../rules/types.js';

export interface ExampleFailure {
  rule: Rule;
  /** `missed`: a must-match example did not match; `unexpected`: a must-not-match example did. */
  kind: 'missed' | 'unexpected';
  example: string;
  /** How the example was read, to make the failure readable. */
  parsedAs: string;
}

export interface RuleTestResult {
  rules: number;
  examples: number;
  failures: ExampleFailure[];
  /** Rules without a must-match or a must-not-match example. */
  untested: Rule[];
}

/** Does the rule fire on any event read from this text? */
export function ruleMatchesText(rule: Rule, text: string): { matched: boolean; parsedAs: string } {
  const events = eventsFromText(text);
  const matched = !!rule.match && events.some((e) => ruleApplies(rule, e) && matchesCondition(rule.match!, e));
  const parsedAs = events.map((e) => `${e.format}/${e.origin}${e.level ? `/${e.level}` : ''}`).join(', ') || 'no event';
  return { matched, parsedAs };
}

/**
 * Does a `when`-only rule contribute evidence to an incident of this multi-line scenario?
 * The scenario is analysed with the whole pack, exactly as a real run would.
 */
export function ruleFiresOnScenario(pack: RulePack, rule: Rule, scenario: string): { matched: boolean; parsedAs: string } {
  const session = new TriageSession(pack);
  session.write('<scenario>', Buffer.from(scenario.endsWith('\n') ? scenario : scenario + '\n'));
  const report = session.finish();
  const matched = report.incidents.some((i) => i.causes.some((c) => c.evidence.some((e) => e.ruleId === rule.id)));
  return { matched, parsedAs: `${report.incidents.length} incident(s)` };
}

/** Runs every rule's embedded examples (Semgrep-style: missed and unexpected listed apart). */
export function testRulePack(pack: RulePack, filter?: (rule: Rule) => boolean): RuleTestResult {
  const result: RuleTestResult = { rules: 0, examples: 0, failures: [], untested: [] };
  for (const rule of pack.rules) {
    if (filter && !filter(rule)) continue;
    result.rules++;
    if (rule.examples.match.length === 0 || rule.examples.nomatch.length === 0) result.untested.push(rule);
    // A `when`-only rule is judged on incidents: its examples are small multi-line scenarios.
    const check = rule.match ? (text: string) => ruleMatchesText(rule, text) : (text: string) => ruleFiresOnScenario(pack, rule, text);
    for (const example of rule.examples.match) {
      result.examples++;
      const { matched, parsedAs } = check(example);
      if (!matched) result.failures.push({ rule, kind: 'missed', example, parsedAs });
    }
    for (const example of rule.examples.nomatch) {
      result.examples++;
      const { matched, parsedAs } = check(example);
      if (matched) result.failures.push({ rule, kind: 'unexpected', example, parsedAs });
    }
  }
  return result;
}
