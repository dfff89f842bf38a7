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
 * are dropped (and counted) once the cap is reached.
 */
export class ContextStore {
  private items: ContextItem[] = [];
  dropped = 0;

  constructor(private readonly cap = 20_000) {}

  add(item: ContextItem): void {
    if (this.items.length >= this.cap) {
      // Drop the oldest half at once so the amortized cost stays constant.
      const half = this.cap >> 1;
      this.dropped += half;
      this.items = this.items.slice(half);
    }
    this.items.push(item);
  }

  /**
   * Items whose rule window covers the incident's failure record. When the failure's source
   * has no timestamps at all (`untimedSource`), time alignment is impossible and every other
   * source's evidence is linked: the user gave the logs together.
   */
  near(failure: LogEvent, skewMs: number, untimedSource = false): Array<{ item: ContextItem; rule: Rule }> {
    const out: Array<{ item: ContextItem; rule: Rule }> = [];
    for (const item of this.items) {
      if (item.event === failure) continue;
      const acrossUntimed = untimedSource && failure.ts === undefined && item.event.source !== failure.source;
      for (const rule of item.rules) if (acrossUntimed || covers(rule, item.event, failure, skewMs)) out.push({ item, rule });
    }
    return out;
  }

  get size(): number {
    return this.items.length;
  }
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
