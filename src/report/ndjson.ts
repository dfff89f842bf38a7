/**
 * Streaming output: one JSON object per line.
 *
 *   {"type":"incident","schemaVersion":"2.0", ...Incident}   one per incident, as it is concluded
 *   {"type":"summary","schemaVersion":"2.0","tool":{...},"causes":[...],"neighbours":[...],"sources":[...],"stats":{...},"warnings":[...],"warningIds":[...]}
 *
 * The summary line is always last and always present, so a consumer knows the stream is
 * complete. Lines never contain a raw newline (JSON escapes it) nor U+2028/U+2029, C1 or
 * bidi controls (escaped as \uXXXX).
 */
import { applyRedaction, applyRedactionIncident, detailedCauses, fittedRemediation } from './common.js';
import { withProblems } from './problems.js';
import { canonicalIncident, canonicalPart, safeStringify } from './json.js';
import type { Reporter, RenderOptions } from './reporter.js';
import type { CauseEvidence, FactWitness, Incident, Report } from '../report-types.js';

export interface NdjsonIncidentLine extends Incident {
  type: 'incident';
  schemaVersion: string;
}

export interface NdjsonSummaryLine extends Omit<Report, 'incidents'> {
  type: 'summary';
}

export type NdjsonLine = NdjsonIncidentLine | NdjsonSummaryLine;

/**
 * The version of the ndjson lines. 2.0: incident lines quote each log line once (see
 * `compactIncident`); the json report keeps SCHEMA_VERSION and every quote.
 */
export const NDJSON_SCHEMA_VERSION = '2.0';

export function renderNdjsonIncident(incident: Incident, options: RenderOptions): string {
  const redacted = applyRedactionIncident(incident, options);
  const body = options.explain ? redacted : compactIncident(redacted);
  const line = { type: 'incident', schemaVersion: NDJSON_SCHEMA_VERSION, ...(canonicalIncident(body) as object) };
  return safeStringify(line) + '\n';
}

/**
 * An incident line carries the facts and their witnesses, and quotes each log line once:
 * - `evidence[]` quotes every line of the incident (the failure's records and the witnesses);
 * - a fact's witness leaves out the `text` that `evidence[]` already quotes for its line;
 * - a cause's evidence from a fact names the fact (`fact`) instead of repeating its witness's
 *   text and its description (`facts[].description`);
 * - remediation is given for the causes the text report details (the first two that score at
 *   least 10%), fitted to the incident's stacks.
 * Quoting a 30-line traceback once instead of once per fact and cause made lines 3-5 times
 * shorter. `--explain` writes the whole incident, as the json report does.
 */
export function compactIncident(incident: Incident): Incident {
  const quoted = new Set(incident.evidence.map((e) => `${e.source}:${e.line}`));
  const detailed = new Set(detailedCauses(incident.causes, false).map((c) => c.id));
  const slim = (list: CauseEvidence[]) =>
    list.map((e) => {
      if (!e.fact) return e;
      const { text: _text, reason: _reason, ...rest } = e;
      return rest as CauseEvidence;
    });
  return {
    ...incident,
    facts: incident.facts.map((f) => ({
      ...f,
      witnesses: f.witnesses.map((w) => {
        if (!quoted.has(`${w.source}:${w.line}`)) return w;
        const { text: _text, ...rest } = w;
        return rest as FactWitness;
      }),
    })),
    causes: incident.causes.map((c) => ({
      ...c,
      evidence: slim(c.evidence),
      contradicting: slim(c.contradicting),
      remediation: detailed.has(c.id) ? fittedRemediation(c, incident.stacks, false) : [],
    })),
  };
}

export function renderNdjsonSummary(input: Report, options: RenderOptions): string {
  // Only the summary parts are redacted here: the incidents went out line by line.
  const report = applyRedaction({ ...withProblems(input, options), incidents: [] }, options);
  const line = {
    type: 'summary',
    schemaVersion: NDJSON_SCHEMA_VERSION,
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
