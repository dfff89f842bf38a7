/**
 * Streaming output: one JSON object per line.
 *
 *   {"type":"incident","schemaVersion":"1.0", ...Incident}   one per incident, as it is concluded
 *   {"type":"summary","schemaVersion":"1.0","tool":{...},"causes":[...],"neighbours":[...],"sources":[...],"stats":{...},"warnings":[...],"warningIds":[...]}
 *
 * The summary line is always last and always present, so a consumer knows the stream is
 * complete. Lines never contain a raw newline (JSON escapes it) nor U+2028/U+2029, C1 or
 * bidi controls (escaped as \uXXXX).
 */
import { applyRedaction, applyRedactionIncident } from './common.js';
import { withProblems } from './problems.js';
import { canonicalIncident, canonicalPart, safeStringify } from './json.js';
import type { Reporter, RenderOptions } from './reporter.js';
import { SCHEMA_VERSION, type Incident, type Report } from '../report-types.js';

export interface NdjsonIncidentLine extends Incident {
  type: 'incident';
  schemaVersion: string;
}

export interface NdjsonSummaryLine extends Omit<Report, 'incidents'> {
  type: 'summary';
}

export type NdjsonLine = NdjsonIncidentLine | NdjsonSummaryLine;

export function renderNdjsonIncident(incident: Incident, options: RenderOptions): string {
  const line = { type: 'incident', schemaVersion: SCHEMA_VERSION, ...(canonicalIncident(applyRedactionIncident(incident, options)) as object) };
  return safeStringify(line) + '\n';
}

export function renderNdjsonSummary(input: Report, options: RenderOptions): string {
  // Only the summary parts are redacted here: the incidents went out line by line.
  const report = applyRedaction({ ...withProblems(input, options), incidents: [] }, options);
  const line = {
    type: 'summary',
    schemaVersion: report.schemaVersion,
    tool: report.tool,
    problems: (report.problems ?? []).map((p) => canonicalPart(p, 'problem')),
    causes: report.causes.map((c) => canonicalPart(c, 'overallCause')),
    neighbours: report.neighbours.map((n) => canonicalPart(n, 'neighbour')),
    sources: report.sources.map((s) => canonicalPart(s, 'sourceSummary')),
    stats: canonicalPart(report.stats, 'stats'),
    warnings: report.warnings,
    ...(report.warningIds ? { warningIds: report.warningIds } : {}),
  };
  return safeStringify(line) + '\n';
}

export function renderNdjson(report: Report, options: RenderOptions): string {
  return report.incidents.map((i) => renderNdjsonIncident(i, options)).join('') + renderNdjsonSummary(report, options);
}

export const ndjsonReporter: Reporter = {
  name: 'ndjson',
  description: 'one JSON line per incident as it is concluded, then a summary line (streaming)',
  extension: 'ndjson',
  render: renderNdjson,
  renderIncident: renderNdjsonIncident,
  renderSummary: renderNdjsonSummary,
};
