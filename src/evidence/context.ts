import type { LogEvent } from '../events.js';
import type { Rule } from '../rules/types.js';

/** An event that carried evidence rules, kept so later-concluded incidents can link to it. */
export interface ContextItem {
  event: LogEvent;
  rules: Rule[];
}

/** Clock-skew tolerance between sources, ms (configurable). */
export const DEFAULT_SKEW_MS = 5_000;
/** Without timestamps, context in the same file links within this many lines. */
const LINES_BEFORE = 400;
const LINES_AFTER = 60;

/**
 * A bounded store of context evidence. Memory stays flat on endless streams: the oldest items
 * are dropped (and counted) once the cap is reached. Timed items are kept sorted by time, so an
 * incident only looks at the items inside the widest rule window around it.
 */
export class ContextStore {
  private timed: Array<ContextItem & { seq: number; ts: number }> = [];
  /** Items without a time, and items whose windows are too wide to index. */
  private untimed: Array<ContextItem & { seq: number }> = [];
  private seq = 0;
  /** The widest windows of the rules stored so far. */
  private maxBefore = 0;
  private maxAfter = 0;
  dropped = 0;

  constructor(private readonly cap = 20_000) {}

  add(item: ContextItem): void {
    if (this.size >= this.cap) {
      // Drop the oldest half at once so the amortized cost stays constant.
      const keepFrom = this.seq - (this.cap >> 1);
      const before = this.size;
      this.timed = this.timed.filter((i) => i.seq >= keepFrom);
      this.untimed = this.untimed.filter((i) => i.seq >= keepFrom);
      this.dropped += before - this.size;
    }
    const ts = item.event.ts;
    // Records with very wide windows (settings that hold for days) are always looked at, so
    // they do not widen the time range searched for everything else.
    const wide = item.rules.some((r) => r.window.before > WIDE_MS || r.window.after > WIDE_MS);
    if (!wide)
      for (const rule of item.rules) {
        if (rule.window.before > this.maxBefore) this.maxBefore = rule.window.before;
        if (rule.window.after > this.maxAfter) this.maxAfter = rule.window.after;
      }
    if (ts === undefined || wide) {
      this.untimed.push({ ...item, seq: this.seq++ });
      return;
    }
    const entry = { ...item, seq: this.seq++, ts };
    const list = this.timed;
    // Logs mostly arrive in time order: appending is the common case.
    if (list.length === 0 || list[list.length - 1].ts <= ts) list.push(entry);
    else list.splice(lowerBound(list, ts + 1), 0, entry);
  }

  /**
   * Items whose rule window covers the incident's failure record, in the order they were seen.
   * When the failure's source has no timestamps at all (`untimedSource`), time alignment is
   * impossible and every other source's evidence is linked: the user gave the logs together.
   */
  near(failure: LogEvent, skewMs: number, untimedSource = false): Array<{ item: ContextItem; rule: Rule }> {
    let candidates: Array<ContextItem & { seq: number }>;
    if (failure.ts === undefined) {
      candidates = [...this.timed, ...this.untimed];
    } else {
      const from = lowerBound(this.timed, failure.ts - this.maxBefore - skewMs);
      const to = lowerBound(this.timed, failure.ts + this.maxAfter + skewMs + 1);
      candidates = [...this.timed.slice(from, to), ...this.untimed];
    }
    candidates.sort((a, b) => a.seq - b.seq);
    const out: Array<{ item: ContextItem; rule: Rule }> = [];
    for (const item of candidates) {
      if (item.event === failure) continue;
      const acrossUntimed = untimedSource && failure.ts === undefined && item.event.source !== failure.source;
      for (const rule of item.rules) if (acrossUntimed || covers(rule, item.event, failure, skewMs)) out.push({ item, rule });
    }
    return out;
  }

  get size(): number {
    return this.timed.length + this.untimed.length;
  }
}

/** Windows wider than this (settings valid for days) are kept apart from the time index. */
const WIDE_MS = 6 * 3_600_000;

/** First index whose item is at or after `ts`. */
function lowerBound(list: Array<{ ts: number }>, ts: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A failure seen in the server's own log (no client log given) is the termination itself: only
 * what the server logged in the same moment explains it, not what happened minutes before.
 */
const SERVER_VIEW_WINDOW_MS = 2_000;
/** Server events of the postmaster itself, which affect every session. */
const POSTMASTER_EVENTS = new Set(['shutdown-request', 'shutting-down', 'shut-down', 'ready', 'crash', 'reinitializing', 'recovery', 'terminating-other-backend']);

function covers(rule: Rule, context: LogEvent, failure: LogEvent, skewMs: number): boolean {
  if (context.ts !== undefined && failure.ts !== undefined) {
    const delta = context.ts - failure.ts;
    if (failure.origin === 'server' || failure.origin === 'pooler') {
      if (Math.abs(delta) > Math.min(SERVER_VIEW_WINDOW_MS, rule.window.before)) return false;
      // Another backend's trouble does not explain this one, the postmaster's does.
      const a = failure.fields.pid;
      const b = context.fields.pid;
      return a === undefined || b === undefined || a === b || POSTMASTER_EVENTS.has(context.fields.serverEvent ?? '');
    }
    return delta >= -rule.window.before - skewMs && delta <= rule.window.after + skewMs;
  }
  if (context.source !== failure.source) return false;
  const lines = context.line - failure.line;
  return lines >= -LINES_BEFORE && lines <= LINES_AFTER;
}
