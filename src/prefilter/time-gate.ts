import { naiveToUtc } from '../formats/common/zone.js';
import { leadingTimestamp } from '../formats/generic/generic.js';
import type { WindowedFeeder } from './windowed.js';

/** Lines looked at from each end of a chunk for leading times before giving up on it. */
const PROBE_LINES = 32;
/**
 * Dated lines at the end of a stretch that are read the normal way: they are the look-behind
 * (the records before a failure, the time its idle gap is measured from) of what follows.
 */
const KEEP_DATED = 4;

/** The window's bounds as they stand now (a relative bound moves along a live stream). */
export interface WindowBounds {
  bounds(): { since?: number; until?: number };
}

/**
 * `--since`/`--until` before parsing. In a chunk whose first dated line and last few dated
 * lines all lie on the same side outside the window, by more than the tolerated clock skew, the
 * whole lines between them are not split or parsed at all: the byte prefilter numbers them and
 * they are counted here. Logs are written in time order, give or take the skew, so a stretch
 * that starts and ends outside lies outside. The last dated lines are left to the normal path,
 * so a failure just after the stretch is read with the records before it. A chunk without
 * leading times, or with times of day only (dbt.log), is passed on whole and filtered event by
 * event after parsing. Undated lines (settings) inside a stretch outside are not read.
 */
export class TimeGate {
  /** Lines left unread because they lie outside the window. */
  linesOutside = 0;

  constructor(
    private readonly window: WindowBounds,
    /** The zone this source's naive times were written in. */
    private readonly zone: string | undefined,
    private readonly marginMs: number,
  ) {}

  push(chunk: Buffer, feeder: WindowedFeeder): void {
    const firstNl = chunk.indexOf(10);
    const lastNl = chunk.lastIndexOf(10);
    if (firstNl < 0 || firstNl === lastNl) return feeder.push(chunk);
    // Whole lines only, from the first dated line after the chunk's first newline: undated lines
    // before it may continue a record that is inside.
    const head = this.firstDated(chunk, firstNl + 1, lastNl + 1);
    const tail = head && this.lastDated(chunk, head.at, lastNl + 1);
    if (!head || !tail || tail[0].at <= head.at || !this.outside([head.ts, ...tail.map((t) => t.ts)])) return feeder.push(chunk);
    feeder.push(chunk.subarray(0, head.at));
    this.linesOutside += feeder.passOver(chunk.subarray(head.at, tail[0].at));
    feeder.push(chunk.subarray(tail[0].at));
  }

  private outside(times: number[]): boolean {
    const { since, until } = this.window.bounds();
    const m = this.marginMs;
    return (since !== undefined && times.every((t) => t < since - m)) || (until !== undefined && times.every((t) => t > until + m));
  }

  private timeOf(chunk: Buffer, from: number, to: number): number | undefined {
    const lead = leadingTimestamp(chunk.toString('utf8', from, Math.min(to, from + 64)));
    if (!lead) return undefined;
    return lead.naive && this.zone ? naiveToUtc(lead.ts, this.zone) : lead.ts;
  }

  private firstDated(chunk: Buffer, from: number, end: number): { at: number; ts: number } | undefined {
    for (let at = from, n = 0; at < end && n < PROBE_LINES; n++) {
      const nl = chunk.indexOf(10, at);
      const ts = this.timeOf(chunk, at, nl);
      if (ts !== undefined) return { at, ts };
      at = nl + 1;
    }
    return undefined;
  }

  /** The last KEEP_DATED dated lines before `end` (just past a newline), earliest first. */
  private lastDated(chunk: Buffer, from: number, end: number): Array<{ at: number; ts: number }> | undefined {
    const found: Array<{ at: number; ts: number }> = [];
    let lineEnd = end - 1;
    for (let n = 0; lineEnd > from && n < PROBE_LINES && found.length < KEEP_DATED; n++) {
      const start = Math.max(from, chunk.lastIndexOf(10, lineEnd - 1) + 1);
      const ts = this.timeOf(chunk, start, lineEnd);
      if (ts !== undefined) found.unshift({ at: start, ts });
      lineEnd = start - 1;
    }
    return found.length === KEEP_DATED ? found : undefined;
  }
}
