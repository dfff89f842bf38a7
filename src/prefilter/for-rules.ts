import { DBT_THREAD_ANCHORS } from '../detect/dbt-threads.js';
import { POOL_ANCHORS } from '../evidence/pool.js';
import { CONFIG_KEYS } from '../formats/config/logged.js';
import type { RuleMatcher } from '../rules/matcher.js';
import { LiteralPlan, type PlanEntry } from './plan.js';

/**
 * Lines the prefilter must not skip although no rule looks at them: dbt.log's invocation header
 * is the only place that gives its time-of-day lines a date.
 */
const DATE_ANCHORS = ['============================== '];

/**
 * The byte prefilter's plan for a rule pack: the rules' literals, plus the wording of what is
 * read where it stands like evidence (settings, a pool's own wording, dbt's date and thread anchors). No plan when a
 * rule has no literal to look for (`unfiltered` names them) or the plan would not pay.
 */
export function prefilterPlan(matcher: RuleMatcher): { plan?: LiteralPlan; unfiltered: string[] } {
  const unfiltered = matcher.unfilteredRules.map((r) => r.id);
  if (unfiltered.length > 0) return { unfiltered };
  const extra: PlanEntry[] = [...CONFIG_KEYS, ...DATE_ANCHORS, ...DBT_THREAD_ANCHORS].map((text) => ({ all: [{ text }], cls: 'context' as const }));
  // A pool's own lines tell that a pool manages the connections, which one of them per second
  // tells as well as all of them: they may be thinned where they fill the log.
  for (const text of POOL_ANCHORS) extra.push({ all: [{ text }], cls: 'context', dense: true });
  const plan = new LiteralPlan([...matcher.planEntries(), ...extra]);
  return plan.usable ? { plan, unfiltered } : { unfiltered };
}
