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
      // Sessions that failed, seen from either side: the clients' failures, or the sessions the
      // server (or the pooler) ended, whichever view shows more of them (a client log may show
      // one failure of the three connections a restart ended; the server log may be missing).
      return Math.max(kase.marks.count('incidents', ts, windowMs), kase.marks.count('server-incidents', ts, windowMs));
    },
    countRule: (ruleId, windowMs) => (ts === undefined ? 0 : kase.marks.count(`rule:${ruleId}`, ts, windowMs)),
    nearestRule: (ruleId, windowMs) => (ts === undefined ? undefined : kase.marks.nearest(`rule:${ruleId}`, ts, windowMs)),
  };
}
