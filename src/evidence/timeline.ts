import type { LogEvent } from '../events.js';
import type { ValueOrigin } from '../rules/expr/index.js';

interface Mark {
  ts: number;
  origin: ValueOrigin;
}

/** Bounded per-key lists of timed marks (incident times, records matched by a rule). */
export class Marks {
  private readonly byKey = new Map<string, Mark[]>();

  constructor(private readonly capPerKey = 50_000) {}

  add(key: string, event: LogEvent): void {
    if (event.ts === undefined) return;
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    if (list.length >= this.capPerKey) list.splice(0, list.length >> 1);
    list.push({ ts: event.ts, origin: { source: event.source, line: event.line, text: event.text.split('\n', 1)[0].slice(0, 300) } });
  }

  /** Marks within ±windowMs of ts. */
  count(key: string, ts: number, windowMs: number): number {
    let n = 0;
    for (const m of this.byKey.get(key) ?? []) if (Math.abs(m.ts - ts) <= windowMs) n++;
    return n;
  }

  nearest(key: string, ts: number, windowMs: number): ValueOrigin | undefined {
    let best: Mark | undefined;
    for (const m of this.byKey.get(key) ?? []) {
      const d = Math.abs(m.ts - ts);
      if (d <= windowMs && (!best || d < Math.abs(best.ts - ts))) best = m;
    }
    return best?.origin;
  }
}
