import { eventsFromText } from '../records/text-events.js';
import { TriageSession } from '../session.js';
import { matchesCondition, ruleApplies } from '../rules/matcher.js';
import type { Rule, RulePack, SourcePos } from '../rules/types.js';

export interface ExampleFailure {
  rule: Rule;
  /** `missed`: a must-match example did not match; `unexpected`: a must-not-match example did. */
  kind: 'missed' | 'unexpected';
  example: string;
  /** Where the example is written (the rule's position when the pack did not record it). */
  at: SourcePos;
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
    const at = (kind: 'match' | 'nomatch', i: number): SourcePos => {
      const lc = rule.examples.at?.[kind][i];
      return lc ? { file: rule.pos.file, line: lc.line, column: lc.column } : rule.pos;
    };
    rule.examples.match.forEach((example, i) => {
      result.examples++;
      const { matched, parsedAs } = check(example);
      if (!matched) result.failures.push({ rule, kind: 'missed', example, at: at('match', i), parsedAs });
    });
    rule.examples.nomatch.forEach((example, i) => {
      result.examples++;
      const { matched, parsedAs } = check(example);
      if (matched) result.failures.push({ rule, kind: 'unexpected', example, at: at('nomatch', i), parsedAs });
    });
  }
  return result;
}
