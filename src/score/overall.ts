import type { Incident, OverallCause } from '../report-types.js';
import { confidenceOf, UNKNOWN_CAUSE } from './rank.js';

/** Running totals of one cause across the incidents concluded so far. */
interface CauseTotal {
  title: string;
  sum: number;
  top: number;
  /**
   * The incidents that list the cause, by number (`I17` is 17): a number costs a few bytes
   * where a kept id string costs tens, and the report needs every id.
   */
  ids: number[];
  /** Ids not of the `I<n>` shape (none today), kept as they are. */
  other?: string[];
}

/**
 * Causes ranked across all concluded incidents: the mean of per-incident scores. Only totals
 * per cause are kept, so an incident leaves nothing behind once it is written out but its number.
 */
export class OverallRanking {
  private readonly totals = new Map<string, CauseTotal>();
  private incidents = 0;

  add(incident: Incident): void {
    this.incidents++;
    const n = /^I\d+$/.test(incident.id) ? Number(incident.id.slice(1)) : undefined;
    incident.causes.forEach((c, i) => {
      let total = this.totals.get(c.id);
      if (!total) this.totals.set(c.id, (total = { title: c.title, sum: 0, top: 0, ids: [] }));
      total.sum += c.score;
      if (i === 0) total.top++;
      if (n !== undefined) total.ids.push(n);
      else (total.other ??= []).push(incident.id);
    });
  }

  causes(): OverallCause[] {
    if (this.incidents === 0) return [];
    const list = [...this.totals.entries()]
      .map(([id, e]) => ({
        id,
        title: e.title,
        score: Math.round((e.sum / this.incidents) * 1000) / 1000,
        incidents: [...e.ids.map((n) => `I${n}`), ...(e.other ?? [])],
        topIn: e.top,
      }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    return list.map((c, i) => ({
      ...c,
      confidence: c.id === UNKNOWN_CAUSE ? ('low' as const) : confidenceOf(c.score, list[i + 1]?.score ?? 0, i === 0),
    }));
  }
}
