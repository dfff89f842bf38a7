import type { LogEvent } from '../events.js';
import { lookupVariable, type ExprContext } from '../rules/expr/index.js';
import type { Case } from './case.js';

/**
 * What a `when:` condition sees for one incident: variables resolved through the registry
 * (`rules/expr/variables.ts`) against the failure and its case, and counts of the case's marks
 * around the failure's time.
 */
export function whenContext(failure: LogEvent, kase: Case): ExprContext {
  const ts = failure.ts;
  return {
    value: (path) => lookupVariable(path)?.resolve({ failure, case: kase, path }),
    countIncidents: (windowMs) => {
      if (ts === undefined) return 1;
      // Server-view failures stand in for client failures only when no client log is given.
      return kase.marks.count(kase.hasClientLog ? 'incidents' : 'server-incidents', ts, windowMs);
    },
    countRule: (ruleId, windowMs) => (ts === undefined ? 0 : kase.marks.count(`rule:${ruleId}`, ts, windowMs)),
    nearestRule: (ruleId, windowMs) => (ts === undefined ? undefined : kase.marks.nearest(`rule:${ruleId}`, ts, windowMs)),
  };
}
