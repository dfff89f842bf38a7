import type { LogEvent } from '../events.js';
import type { ValueOrigin } from '../rules/expr/index.js';

interface Mark {
  ts: number;
  origin: ValueOrigin;
}

/**
 * Bounded per-key lists of timed marks (incident times, records matched by a rule), kept sorted
 * by time so counting the marks in a window is two binary searches, however many there are.
 * A key holds at most MARKS_PER_KEY marks (the oldest goes when it is full): every incident
 * leaves a mark, and a run with 100,000 incidents must not keep 100,000 quoted lines.
 */
export class Marks {
  private readonly byKey = new Map<string, Mark[]>();

  constructor(private readonly capPerKey = MARKS_PER_KEY) {}

  add(key: string, event: LogEvent): void {
    if (event.ts === undefined) return;
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    if (list.length >= this.capPerKey) list.shift();
    const mark = { ts: event.ts, origin: { source: event.source, line: event.line, text: event.text.split('\n', 1)[0].slice(0, 300) } };
    // Logs mostly arrive in time order: appending is the common case.
    if (list.length === 0 || list[list.length - 1].ts <= mark.ts) list.push(mark);
    else list.splice(lowerBound(list, mark.ts + 1), 0, mark);
  }

  /** The time of the only mark of this key, when there is exactly one. */
  only(key: string): number | undefined {
    const list = this.byKey.get(key);
    return list?.length === 1 ? list[0].ts : undefined;
  }

  /** Marks within ±windowMs of ts. */
  count(key: string, ts: number, windowMs: number): number {
    const list = this.byKey.get(key);
    if (!list) return 0;
    return lowerBound(list, ts + windowMs + 1) - lowerBound(list, ts - windowMs);
  }

  nearest(key: string, ts: number, windowMs: number): ValueOrigin | undefined {
    const list = this.byKey.get(key);
    if (!list || list.length === 0) return undefined;
    const i = lowerBound(list, ts);
    let best: Mark | undefined;
    for (const candidate of [list[i - 1], list[i]]) {
      if (!candidate) continue;
      const d = Math.abs(candidate.ts - ts);
      if (d <= windowMs && (!best || d < Math.abs(best.ts - ts))) best = candidate;
    }
    return best?.origin;
  }
}

/** Marks kept per key: windows of rules are minutes, so this many marks per key cover any busy log. */
export const MARKS_PER_KEY = 8192;

/** First index whose mark is at or after `ts` (marks sorted by time; integer ms). */
function lowerBound(list: Mark[], ts: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
