/**
 * Problems: incidents that are the same failure told again. A night of restarts gives forty
 * incidents but one problem; a reader wants the problem once, with how often and when.
 *
 * Two incidents are one problem when they belong to the same case (the directory under
 * `--per-directory`, otherwise the whole run), have the same failure signature (family code,
 * kind, origin, format, printed codes, exception and the message with its variable parts
 * blanked) and the same top cause. The grouper keeps O(problems) state: per problem its
 * counters, a bounded list of occurrences and one representative incident, never every
 * incident, so text and Markdown can be written from a stream of any length.
 */
import type { Confidence, Incident, Problem, Report } from '../report-types.js';
import { redactText } from './redact.js';
import { applyRedaction, applyRedactionIncident } from './common.js';
import type { DocumentStream, RenderOptions } from './reporter.js';
import { sanitizeDeep } from './sanitize.js';

/** Occurrences (id, time, place) kept per problem; the rest are only counted. */
export const MAX_OCCURRENCES = 50;
/** Distinct sources named per problem. */
export const MAX_PROBLEM_SOURCES = 20;

/** The case a source belongs to: its directory under `--per-directory`, else one case for all. */
export function caseOfSource(source: string, perDirectory: boolean): string {
  if (!perDirectory) return '';
  const slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
  return slash < 0 ? '.' : slash === 0 ? source.slice(0, 1) : source.slice(0, slash);
}

/**
 * The message with what varies between repeats blanked: times, numbers, hex ids, pids,
 * quoted names and addresses. Linear: one pass of simple character classes.
 */
export function messageShape(message: string): string {
  // Masked whatever --no-redact says: the signature is a key, and secrets vary between repeats.
  const first = redactText(message).split('\n', 1)[0] ?? '';
  return first
    .slice(0, 300)
    .toLowerCase()
    .replace(/\d{4}-\d\d-\d\d[t ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:z|[+-]\d\d(?::?\d\d)?)?/g, '<time>')
    .replace(/0x[0-9a-f]+/g, '#')
    .replace(/"[^"\n]{0,80}"|'[^'\n]{0,80}'/g, '"…"')
    .replace(/[0-9]+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The failure signature of an incident, in words (also the grouping key without case and cause). */
export function failureSignature(incident: Incident): string {
  const codes = incident.observedSqlstates.length > 0 ? ` (${incident.observedSqlstates.join(', ')})` : '';
  const exception = incident.exception ? ` ${incident.exception}` : '';
  return `${incident.sqlstate} ${incident.kind}${codes} · ${incident.origin}/${incident.format}${exception} · ${messageShape(incident.message)}`;
}

export interface Occurrence {
  id: string;
  time?: string;
  source: string;
  line: number;
  endLine: number;
}

/** A problem as reporters draw it: the JSON summary, its first incident and where it recurred. */
export interface ProblemView {
  problem: Problem;
  representative: Incident;
  /** The first `MAX_OCCURRENCES` incidents of the problem, in report order. */
  occurrences: Occurrence[];
}

const CONFIDENCE_RANK: Record<Confidence, number> = { high: 2, medium: 1, low: 0 };

interface Entry {
  view: ProblemView;
  scoreSum: number;
  order: number;
  caseOrder: number;
}

/**
 * Groups incidents into problems as they arrive (report order). Ids are given in order of
 * first sight (`P1`, `P2`...); `views()` returns them ordered for reading: by case in order
 * of first sight, then the most frequent first.
 */
export class ProblemGrouper {
  private readonly entries = new Map<string, Entry>();
  private readonly cases = new Map<string, number>();

  /**
   * `keepIds: false` keeps only the bounded occurrences and the count (text and Markdown);
   * the JSON `problems[].incidents` needs every id, as its `incidents[]` holds every incident.
   */
  constructor(
    private readonly perDirectory = false,
    private readonly keepIds = true,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Adds one incident; returns its problem and whether the incident opened it. */
  add(incident: Incident): { view: ProblemView; isNew: boolean } {
    const kase = caseOfSource(incident.source, this.perDirectory);
    const top = incident.causes[0];
    const topId = top?.id ?? 'unknown';
    const signature = failureSignature(incident);
    const key = `${kase}\u0000${signature}\u0000${topId}`;
    if (!this.cases.has(kase)) this.cases.set(kase, this.cases.size);
    let entry = this.entries.get(key);
    const occurrence: Occurrence = { id: incident.id, source: incident.source, line: incident.line, endLine: incident.endLine, ...(incident.time ? { time: incident.time } : {}) };
    if (!entry) {
      const problem: Problem = {
        id: `P${this.entries.size + 1}`,
        ...(this.perDirectory ? { case: kase } : {}),
        signature,
        sqlstate: incident.sqlstate,
        kind: incident.kind,
        topCause: topId,
        topCauseTitle: top?.title ?? 'Not enough evidence to name a cause',
        score: top?.score ?? 0,
        confidence: top?.confidence ?? 'low',
        count: 0,
        incidents: [],
        sources: [],
        stacks: [...incident.stacks],
        source: incident.source,
        line: incident.line,
      };
      entry = { view: { problem, representative: incident, occurrences: [] }, scoreSum: 0, order: this.entries.size, caseOrder: this.cases.get(kase)! };
      this.entries.set(key, entry);
      this.update(entry, incident, occurrence);
      return { view: entry.view, isNew: true };
    }
    this.update(entry, incident, occurrence);
    return { view: entry.view, isNew: false };
  }

  private update(entry: Entry, incident: Incident, occurrence: Occurrence): void {
    const p = entry.view.problem;
    p.count++;
    if (this.keepIds || p.incidents.length < MAX_OCCURRENCES) p.incidents.push(incident.id);
    if (entry.view.occurrences.length < MAX_OCCURRENCES) entry.view.occurrences.push(occurrence);
    if (!p.sources.includes(incident.source) && p.sources.length < MAX_PROBLEM_SOURCES) p.sources.push(incident.source);
    for (const s of incident.stacks) if (!p.stacks.includes(s)) p.stacks.push(s);
    const top = incident.causes[0];
    entry.scoreSum += top?.score ?? 0;
    p.score = Math.round((entry.scoreSum / p.count) * 1000) / 1000;
    // The problem is only as sure as its least sure incident.
    const c = top?.confidence ?? 'low';
    if (CONFIDENCE_RANK[c] < CONFIDENCE_RANK[p.confidence]) p.confidence = c;
    if (incident.time) {
      if (!p.firstTime || incident.time < p.firstTime) p.firstTime = incident.time;
      if (!p.lastTime || incident.time > p.lastTime) p.lastTime = incident.time;
    }
  }

  /** Problems in reading order: case by case (first seen first), most frequent first. */
  views(): ProblemView[] {
    const sorted = [...this.entries.values()].sort((a, b) => a.caseOrder - b.caseOrder || b.view.problem.count - a.view.problem.count || a.order - b.order);
    // Ids follow the reading order, so `P1` is the first row of every summary.
    return sorted.map((e, i) => {
      e.view.problem.id = `P${i + 1}`;
      return e.view;
    });
  }

  /** The JSON `problems[]`, in reading order. */
  problems(): Problem[] {
    return this.views().map((v) => v.problem);
  }
}

/** Groups a whole list of incidents (a rendered report that did not stream). */
export function groupProblems(incidents: readonly Incident[], perDirectory = false): ProblemView[] {
  const g = new ProblemGrouper(perDirectory);
  for (const i of incidents) g.add(i);
  return g.views();
}

/** Cases in reading order with their problems. */
export function byCase(views: readonly ProblemView[]): Array<{ case: string; views: ProblemView[]; incidents: number }> {
  const out: Array<{ case: string; views: ProblemView[]; incidents: number }> = [];
  for (const v of views) {
    const k = v.problem.case ?? '';
    let last = out.at(-1);
    if (!last || last.case !== k) {
      last = { case: k, views: [], incidents: 0 };
      out.push(last);
    }
    last.views.push(v);
    last.incidents += v.problem.count;
  }
  return out;
}

/**
 * The report with `problems` filled in when whoever built it did not (a report made by hand
 * or before problems existed), grouped like the run would have grouped it.
 */
export function withProblems(report: Report, options: { perDirectory?: boolean }): Report {
  if (report.problems) return report;
  const grouper = new ProblemGrouper(!!options.perDirectory);
  for (const incident of report.incidents) grouper.add(incident);
  return { ...report, problems: grouper.problems() };
}

/**
 * The Markdown and GitHub reporters lay out whole problems, so both the one-shot and the
 * streamed path redact and sanitize each incident, group it, and lay out at the end; `layout`
 * is the only part that differs.
 */
export type ProblemLayout = (report: Report, views: ProblemView[], options: RenderOptions) => string;

export function renderByProblem(input: Report, options: RenderOptions, layout: ProblemLayout): string {
  const report = sanitizeDeep(applyRedaction(input, options));
  return layout(report, groupProblems(report.incidents, !!options.perDirectory), options);
}

/** Streamed with O(problems) state: nothing is written until every incident is in. */
export function createByProblemStream(options: RenderOptions, layout: ProblemLayout): DocumentStream {
  const grouper = new ProblemGrouper(!!options.perDirectory, false);
  return {
    begin: () => '',
    incident(incident: Incident): string {
      grouper.add(sanitizeDeep(applyRedactionIncident(incident, options)));
      return '';
    },
    end: (input: Report) => layout(sanitizeDeep(applyRedaction(input, options)), grouper.views(), options),
  };
}
