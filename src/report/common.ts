/** Helpers shared by the reporters: redaction step, numbers, locations, verdict, remediation fit. */
import { redactIncident, redactReport } from './redact.js';
import type { RenderOptions } from './reporter.js';
import type { Confidence, Incident, Problem, RankedCause, RemediationStep, Report } from '../report-types.js';

/** The id a scorer gives the "none of the known causes" remainder. */
export const UNKNOWN_CAUSE = 'unknown';

/** Stacks whose remediation applies whatever the client: the server itself, and generic advice. */
export const ALWAYS_STACKS: readonly string[] = ['server', 'generic'];

/** How many causes per incident get evidence and remediation without `explain`... */
export const DETAILED_CAUSES = 2;
/** ...and the score they need for it. */
export const DETAIL_MIN_SCORE = 0.1;
/** Without `explain`, causes under this score are folded into one line (the first three always show). */
export const LIST_MIN_SCORE = 0.05;
export const LIST_ALWAYS = 3;
/** Evidence items per cause and direction shown without `explain`. */
export const EVIDENCE_PER_CAUSE = 5;

export function applyRedaction(report: Report, options: RenderOptions): Report {
  return options.redact ? redactReport(report) : report;
}

export function applyRedactionIncident(incident: Incident, options: RenderOptions): Incident {
  return options.redact ? redactIncident(incident) : incident;
}

/** A score in [0,1] as a percentage: `61%`, `<1%`, `>99%`. */
export function percent(score: number): string {
  if (!Number.isFinite(score)) return '?%';
  if (score > 0 && score < 0.005) return '<1%';
  if (score < 1 && score >= 0.995) return '>99%';
  return `${Math.round(score * 100)}%`;
}

/** A log10 likelihood ratio with its sign: `+1.30`, `-0.40`. */
export function signedWeight(weight: number): string {
  if (!Number.isFinite(weight)) return String(weight);
  const s = Math.abs(weight).toFixed(2);
  return weight < 0 ? `-${s}` : `+${s}`;
}

/** `file:line` or `file:line-endLine`. */
export function location(source: string, line: number, endLine?: number): string {
  return endLine !== undefined && endLine > line ? `${source}:${line}-${endLine}` : `${source}:${line}`;
}

/** `1,204` */
export function count(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** `1.2 MB` */
export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** Time as printed in reports, with a note when the log had no zone. */
export function timeLabel(time: string | undefined, naive: boolean | undefined): string | undefined {
  if (!time) return undefined;
  return naive ? `${time} (no zone in log, read as UTC)` : time;
}

/** Observed codes other than the family code, for `08003 (observed 57P01, 08006)`. */
export function observedLabel(incident: Incident): string {
  const codes = incident.observedSqlstates;
  if (codes.length === 0) return 'none printed';
  return codes.join(', ');
}

/**
 * The causes that get evidence and remediation. `unknown` gets them only when it leads: its
 * remediation is the hardening that helps whatever the cause turns out to be.
 */
export function detailedCauses(causes: RankedCause[], explain: boolean): RankedCause[] {
  if (explain) return causes;
  return causes.filter((c, i) => c.id !== UNKNOWN_CAUSE || i === 0).slice(0, DETAILED_CAUSES).filter((c) => c.score >= DETAIL_MIN_SCORE);
}

/** The causes listed (the rest are folded into a count). */
export function listedCauses(causes: RankedCause[], explain: boolean): RankedCause[] {
  if (explain) return causes;
  return causes.filter((c, i) => i < LIST_ALWAYS || c.score >= LIST_MIN_SCORE);
}

/**
 * Remediation fitted to the incident's stacks: steps for a detected stack, plus server and
 * generic steps. If nothing fits (no stack detected), every step. `explain` shows every step.
 */
export function fittedRemediation(cause: RankedCause, stacks: string[], explain: boolean): RemediationStep[] {
  if (explain) return cause.remediation;
  const want = new Set([...stacks.map((s) => s.toLowerCase()), ...ALWAYS_STACKS]);
  const fitted = cause.remediation.filter((r) => want.has(r.stack.toLowerCase()));
  return fitted.length > 0 ? fitted : cause.remediation;
}

export interface Verdict {
  /** The one-line verdict without styling. */
  text: string;
  /** True when there are incidents. */
  found: boolean;
}

/** One-line verdict: how many incidents, and the most likely cause overall. */
/** Incidents found: streamed reports list none at the end but count them all. */
export function incidentCount(report: Report): number {
  return Math.max(report.stats?.incidents ?? 0, report.incidents.length);
}

export function verdict(report: Report): Verdict {
  const n = incidentCount(report);
  if (n === 0) {
    const parts = [`no 08003-family incident in ${plural(report.stats.sources, 'source')} (${plural(report.stats.lines, 'line')})`];
    if (report.neighbours.length > 0) {
      const codes = [...new Set(report.neighbours.map((x) => x.sqlstate))].join(', ');
      parts.push(`${plural(report.neighbours.length, 'other connection failure')} (${codes})`);
    }
    if (report.warnings.length > 0) parts.push(plural(report.warnings.length, 'warning'));
    return { text: parts.join('; '), found: false };
  }
  const head = `${plural(n, 'incident')} in the 08003 family`;
  const overall = report.causes.length > 0 ? report.causes : (report.incidents[0]?.causes ?? []);
  const top = overall[0];
  if (!top) return { text: `${head}; no cause scored`, found: true };
  if (top.id !== UNKNOWN_CAUSE) {
    return { text: `${head}; most likely: ${top.title} (${percent(top.score)}, ${top.confidence} confidence)`, found: true };
  }
  const named = overall.find((c) => c.id !== UNKNOWN_CAUSE && c.score >= LIST_MIN_SCORE);
  const topIn = 'topIn' in top ? top.topIn : 1;
  if (!named || n === 1) {
    return { text: `${head}; cause undetermined (${percent(top.score)} unknown), see "what would decide it"`, found: true };
  }
  const namedTop = 'topIn' in named ? ` (first in ${named.topIn} of ${n})` : '';
  return { text: `${head}; ${topIn} of ${n} without a clear cause; best named cause: ${named.title}${namedTop}`, found: true };
}

export const CONFIDENCE_ORDER: Record<Confidence, number> = { high: 0, medium: 1, low: 2 };

/**
 * The headline of a whole report. Under `--per-directory` it counts problems and cases and
 * names no cause: cases are unrelated, so a cause ranked across them would mean nothing.
 */
export function headlineText(report: Report, views: ReadonlyArray<{ problem: Problem }>, perDirectory: boolean): string {
  const n = incidentCount(report);
  if (n > 0 && perDirectory && views.length > 0) {
    const cases = new Set(views.map((v) => v.problem.case ?? '')).size;
    return `${plural(n, 'incident')} in the 08003 family: ${plural(views.length, 'problem')} in ${plural(cases, 'case')}, each case judged on its own`;
  }
  const v = verdict(report).text;
  return views.length > 1 ? `${v} (${plural(views.length, 'problem')})` : v;
}

/** One case's own verdict from its problems (largest first), never compared with another case. */
export function caseVerdict(views: ReadonlyArray<{ problem: Problem }>, incidents: number): string {
  const lead = views[0]!.problem;
  const cause = lead.topCause === UNKNOWN_CAUSE ? 'cause undetermined' : `${lead.topCauseTitle} (${percent(lead.score)}, ${lead.confidence} confidence)`;
  const shape = views.length === 1 ? `most likely: ${cause}` : `${plural(views.length, 'problem')}; the largest: ${cause}`;
  return `${plural(incidents, 'incident')}; ${shape}`;
}
