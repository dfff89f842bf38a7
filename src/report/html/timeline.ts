/**
 * The timeline picture: one SVG per case with a lane per kind of source (client,
 * orchestrator, pooler, server, then config and unknown when present). Each incident is a red
 * dot at its time in its lane; each record a fact or a rule hit drew on is a blue bar in its
 * lane, drawn once however many incidents cite it. Hovering a mark shows its quoted line (an
 * SVG `<title>`); clicking it opens a panel below the picture with the quoted record and what
 * cites it (CSS `:target`, no script), which links on to the problem's block.
 */
import { location, plural } from '../common.js';
import type { ProblemView } from '../problems.js';
import { escapeHtml } from '../sanitize.js';
import type { Incident } from '../../report-types.js';
import type { Origin } from '../../events.js';

export const LANES: readonly Origin[] = ['client', 'orchestrator', 'pooler', 'server', 'config', 'unknown'];

interface Mark {
  kind: 'incident' | 'fact';
  lane: Origin;
  ts: number;
  /** The record quoted in the panel. */
  source: string;
  line: number;
  endLine: number;
  text: string;
  time: string;
  /** What cites the record (fact descriptions, rule ids) or, for an incident, its id and cause. */
  notes: string[];
  problems: string[];
}

const key = (source: string, line: number) => `${source}\u0000${line}`;

/** The marks of a set of incidents: one per incident with a time, one per cited record with a time. */
function marks(incidents: readonly Incident[], problemOf: ReadonlyMap<string, string>): Mark[] {
  const out: Mark[] = [];
  const records = new Map<string, Mark>();
  const cite = (w: { source: string; line: number; endLine: number; text: string; origin: Origin; time?: string }, note: string, problem: string) => {
    const ts = w.time ? Date.parse(w.time) : Number.NaN;
    if (!Number.isFinite(ts)) return;
    let m = records.get(key(w.source, w.line));
    if (!m) {
      m = { kind: 'fact', lane: w.origin, ts, source: w.source, line: w.line, endLine: w.endLine, text: w.text, time: w.time!, notes: [], problems: [] };
      records.set(key(w.source, w.line), m);
      out.push(m);
    }
    if (!m.notes.includes(note)) m.notes.push(note);
    if (problem && !m.problems.includes(problem)) m.problems.push(problem);
  };
  for (const i of incidents) {
    const problem = problemOf.get(i.id) ?? '';
    const ts = i.time ? Date.parse(i.time) : Number.NaN;
    if (Number.isFinite(ts)) {
      const top = i.causes[0];
      out.push({ kind: 'incident', lane: i.origin, ts, source: i.source, line: i.line, endLine: i.endLine, text: i.message, time: i.time!, notes: [`${i.id}${top ? `: ${top.title}` : ''}`], problems: problem ? [problem] : [] });
    }
    for (const f of i.facts ?? []) for (const w of f.witnesses) if (!(w.source === i.source && w.line === i.line)) cite(w, f.description, problem);
    for (const e of i.evidence) if (e.role !== 'failure') cite(e, (e.rules ?? []).join(', ') || 'context', problem);
  }
  return out;
}

/** `2026-11-25 13:58:11`: UTC, to the second. */
const clock = (ts: number) => new Date(ts).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');

/**
 * The picture and its panels for one case. `prefix` keeps the panel ids of several cases
 * apart. Returns '' when no incident or record has a time.
 */
export function timeline(incidents: readonly Incident[], views: readonly ProblemView[], prefix: string): string {
  const problemOf = new Map<string, string>();
  for (const v of views) for (const id of v.problem.incidents) problemOf.set(id, v.problem.id);
  const all = marks(incidents, problemOf);
  if (all.length === 0) return '<p class="no-times">No incident or record carries a time: nothing to place on a timeline.</p>';
  const lanes = LANES.filter((l) => all.some((m) => m.lane === l));
  const W = 1000;
  const left = 110;
  const right = 20;
  const laneH = 40;
  const top = 8;
  const H = top + lanes.length * laneH + 34;
  // A loop, not Math.min(...): a night of incidents can hold more marks than a call has arguments.
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = Number.NEGATIVE_INFINITY;
  for (const m of all) {
    if (m.ts < t0) t0 = m.ts;
    if (m.ts > t1) t1 = m.ts;
  }
  const span = Math.max(1, t1 - t0);
  const x = (t: number) => left + ((t - t0) / span) * (W - left - right);
  const svg: string[] = [];
  svg.push(`<svg class="timeline" role="img" aria-label="incident timeline" viewBox="0 0 ${W} ${H}" width="100%" xmlns="http://www.w3.org/2000/svg">`);
  lanes.forEach((lane, i) => {
    const y = top + i * laneH;
    svg.push(`<g class="lane" data-lane="${lane}"><rect x="0" y="${y}" width="${W}" height="${laneH - 4}" class="lane-bg"/><text x="8" y="${y + 22}" class="lane-name">${lane}</text></g>`);
  });
  // Marks at the same place in a lane are stacked a little, so none hides another.
  const taken = new Map<string, number>();
  const panels: string[] = [];
  all.forEach((m, n) => {
    const id = `${prefix}m${n + 1}`;
    const px = x(m.ts);
    const slot = `${m.lane}:${Math.round(px / 4)}:${m.kind}`;
    const k = taken.get(slot) ?? 0;
    taken.set(slot, k + 1);
    const mid = top + lanes.indexOf(m.lane) * laneH + (laneH - 4) / 2;
    const dy = ((k % 5) - 2) * 4;
    const shape =
      m.kind === 'incident'
        ? `<circle class="incident-mark" data-kind="incident" cx="${px.toFixed(1)}" cy="${(mid + dy).toFixed(1)}" r="6"/>`
        : `<rect class="fact-mark" data-kind="fact" x="${(px - 2.5).toFixed(1)}" y="${(mid - 10 + dy / 2).toFixed(1)}" width="5" height="20"/>`;
    const first = m.text.split('\n', 1)[0] ?? '';
    const label = `${location(m.source, m.line, m.endLine)} ${clock(m.ts)}: ${first.length > 200 ? `${first.slice(0, 199)}…` : first}`;
    svg.push(`<a href="#${id}" class="mark"><title>${escapeHtml(label)}</title>${shape}</a>`);
    const links = m.problems.map((p) => `<a href="#${p}">${p}</a>`).join(', ');
    panels.push(
      `<div class="pop" id="${id}" data-kind="${m.kind}"><p><b>${m.kind === 'incident' ? 'incident' : 'cited record'}</b> <code>${escapeHtml(location(m.source, m.line, m.endLine))}</code> ${escapeHtml(m.time)}${links ? ` · ${links}` : ''}</p>` +
        `<pre>${escapeHtml(m.text)}</pre><ul>${m.notes.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul></div>`,
    );
  });
  const ticks = 4;
  for (let i = 0; i <= ticks; i++) {
    const t = t0 + (span * i) / ticks;
    const anchor = i === 0 ? 'start' : i === ticks ? 'end' : 'middle';
    // Under ten seconds the ticks need milliseconds to differ.
    const label = t1 - t0 < 10_000 ? new Date(t).toISOString().slice(11, 23) : i === 0 || t1 - t0 >= 86_400_000 ? clock(t) : clock(t).slice(11);
    svg.push(`<text x="${x(t).toFixed(1)}" y="${H - 10}" class="axis" text-anchor="${anchor}">${escapeHtml(i === 0 && t1 - t0 < 10_000 ? `${clock(t).slice(0, 10)} ${label}` : label)}</text>`);
    if (t1 === t0) break;
  }
  svg.push('</svg>');
  const legend = `<p class="legend"><span class="dot"></span> incident (${plural(all.filter((m) => m.kind === 'incident').length, 'mark')}) <span class="bar"></span> a record a fact or rule hit cites; hover for the line, click for the record</p>`;
  return `<figure class="timeline-fig">${svg.join('\n')}\n${legend}<div class="pops">${panels.join('\n')}</div></figure>`;
}
