import type { Incident, OverallCause } from '../report-types.js';
import { confidenceOf, UNKNOWN_CAUSE } from './rank.js';

/** What the overall ranking needs of an incident once it has been written out. */
interface IncidentSummary {
  id: string;
  causes: Array<{ id: string; title: string; score: number }>;
}

/** Causes ranked across all concluded incidents: the mean of per-incident scores. */
export class OverallRanking {
  /** Every concluded incident, reduced to its ranking. */
  private readonly summaries: IncidentSummary[] = [];

  add(incident: Incident): void {
    if (this.summaries.length >= 1_000_000) return;
    this.summaries.push({ id: incident.id, causes: incident.causes.map((c) => ({ id: c.id, title: c.title, score: c.score })) });
  }

  causes(): OverallCause[] {
    const incidents = this.summaries;
    if (incidents.length === 0) return [];
    const sums = new Map<string, { title: string; sum: number; ids: string[]; top: number }>();
    for (const inc of incidents) {
      inc.causes.forEach((c, i) => {
        const entry = sums.get(c.id) ?? { title: c.title, sum: 0, ids: [], top: 0 };
        entry.sum += c.score;
        entry.ids.push(inc.id);
        if (i === 0) entry.top++;
        sums.set(c.id, entry);
      });
    }
    const list = [...sums.entries()]
      .map(([id, e]) => ({ id, title: e.title, score: Math.round((e.sum / incidents.length) * 1000) / 1000, incidents: e.ids, topIn: e.top }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    return list.map((c, i) => ({
      ...c,
      confidence: c.id === UNKNOWN_CAUSE ? ('low' as const) : confidenceOf(c.score, list[i + 1]?.score ?? 0, i === 0),
    }));
  }
}
