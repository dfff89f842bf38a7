import type { LogEvent } from '../events.js';
import type { Case } from '../evidence/case.js';
import type { RankedCause } from '../report-types.js';
import type { RulePack } from '../rules/types.js';
import { UNKNOWN_CAUSE } from './rank.js';

/** What would move the ranking: the decisive evidence of the leading causes that was not seen. */
export function whatWouldDecide(pack: RulePack, causes: RankedCause[], failure: LogEvent, kase: Case): string[] {
  const top = causes[0];
  if (top && top.id !== UNKNOWN_CAUSE && top.confidence === 'high') {
    // Settled: say only what it would take to overturn it.
    const runnerUp = causes.find((c, i) => i > 0 && c.id !== UNKNOWN_CAUSE);
    const def = runnerUp && pack.causes.get(runnerUp.id);
    return def?.decidedBy[0] ? [`Only strong evidence for ${runnerUp!.id} would change this ranking: ${def.decidedBy[0]}.`] : [];
  }
  const out: string[] = [];
  const when = failure.ts !== undefined ? windowText(failure.ts) : 'the time of the failure';
  if (!kase.saw('server')) {
    out.push(`The PostgreSQL server log for ${when} would show whether the server ended the session (and why) or never saw it end.`);
  }
  const contenders = causes.filter((c) => c.id !== UNKNOWN_CAUSE).slice(0, 3);
  for (const c of contenders) {
    const def = pack.causes.get(c.id);
    if (def?.decidedBy[0]) out.push(`To confirm or rule out ${c.id}: ${def.decidedBy[0]}.`);
  }
  if (contenders.length === 0) {
    out.push('Nothing in the input points at a specific cause; the server log, the pool settings and the job\'s own lines before the failure would.');
  }
  return out;
}

function windowText(ts: number): string {
  const from = new Date(ts - 15 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  const to = new Date(ts + 60_000).toISOString().slice(11, 19);
  return `${from}-${to} UTC`;
}
