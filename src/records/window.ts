/**
 * `--since`/`--until` over dated events. Absolute bounds are epoch ms. A `back` bound is a
 * duration before the newest log time: `newest` when the caller knows it (the tails of regular
 * files), else the newest time seen so far, so on a live stream `since` slides along with it.
 */
export interface TimeWindow {
  since?: number;
  until?: number;
  sinceBack?: number;
  untilBack?: number;
  newest?: number;
}

/** The window as it stands while events are read, and the dated events it kept out. */
export class EventWindow {
  /** Dated events outside the window, not analysed. */
  eventsOutside = 0;
  private newestSeen = -Infinity;

  constructor(private readonly w: TimeWindow) {}

  /** Notes one dated event; true (and counted) when it falls outside the window. */
  excludes(ts: number): boolean {
    if (ts > this.newestSeen) this.newestSeen = ts;
    const { since, until } = this.bounds();
    const out = (since !== undefined && ts < since) || (until !== undefined && ts > until);
    if (out) this.eventsOutside++;
    return out;
  }

  /** The bounds now: relative ones against the newest time known or seen so far. */
  bounds(): { since?: number; until?: number } {
    const w = this.w;
    const newest = w.newest ?? (Number.isFinite(this.newestSeen) ? this.newestSeen : undefined);
    const at = (abs: number | undefined, back: number | undefined) => abs ?? (back !== undefined && newest !== undefined ? newest - back : undefined);
    return { since: at(w.since, w.sinceBack), until: at(w.until, w.untilBack) };
  }

  /** The window as resolved at the end, as ISO times for the report. */
  summary(): { since?: string; until?: string } {
    const { since, until } = this.bounds();
    return {
      ...(since !== undefined ? { since: new Date(since).toISOString() } : {}),
      ...(until !== undefined ? { until: new Date(until).toISOString() } : {}),
    };
  }
}
