/**
 * The Report as stable, pretty JSON (schema/report.schema.json).
 *
 * Stable: keys come out in the documented order whatever order the pipeline built them in
 * (keys the schema does not know yet follow, sorted), so two runs diff cleanly.
 * Exact: strings are the log text as read (after redaction, unless `--no-redact`);
 * JSON.stringify escapes C0 controls and this module also escapes DEL, C1 (CSI U+009B),
 * bidi controls and U+2028/U+2029, so `cat report.json` cannot drive the terminal.
 */
import { applyRedaction, applyRedactionIncident } from './common.js';
import type { DocumentStream, Reporter, RenderOptions } from './reporter.js';
import { withProblems } from './problems.js';
import { escapeJsonUnsafe } from './sanitize.js';
import { SCHEMA_VERSION, type Incident, type Report } from '../report-types.js';
import { VERSION } from '../version.js';

type Shape = { keys: readonly string[]; children?: Record<string, ShapeName>; sortKeys?: boolean };
export type ShapeName =
  | 'report'
  | 'tool'
  | 'incident'
  | 'problem'
  | 'evidenceLine'
  | 'fact'
  | 'factWitness'
  | 'factContribution'
  | 'quantities'
  | 'rankedCause'
  | 'causeEvidence'
  | 'remediationStep'
  | 'neighbour'
  | 'overallCause'
  | 'sourceSummary'
  | 'formatCounts'
  | 'skippedFile'
  | 'window'
  | 'stats';

/** The documented key order of each object in the report (a test checks it against types.ts). */
export const SHAPES: Record<ShapeName, Shape> = {
  report: {
    keys: ['schemaVersion', 'tool', 'incidents', 'problems', 'causes', 'neighbours', 'sources', 'stats', 'warnings', 'warningIds', 'skipped', 'window'],
    children: {
      tool: 'tool',
      incidents: 'incident',
      problems: 'problem',
      causes: 'overallCause',
      neighbours: 'neighbour',
      sources: 'sourceSummary',
      stats: 'stats',
      skipped: 'skippedFile',
      window: 'window',
    },
  },
  tool: { keys: ['name', 'version'] },
  incident: {
    keys: [
      'id',
      'sqlstate',
      'kind',
      'observedSqlstates',
      'why',
      'message',
      'source',
      'line',
      'endLine',
      'origin',
      'format',
      'time',
      'timeNaive',
      'stacks',
      'exception',
      'driver',
      'model',
      'activity',
      'pipeline',
      'evidence',
      'facts',
      'causes',
      'missing',
      'missingIds',
    ],
    children: { evidence: 'evidenceLine', facts: 'fact', causes: 'rankedCause' },
  },
  problem: {
    keys: ['id', 'case', 'signature', 'sqlstate', 'kind', 'topCause', 'topCauseTitle', 'score', 'confidence', 'count', 'incidents', 'firstTime', 'lastTime', 'sources', 'stacks', 'source', 'line'],
  },
  evidenceLine: {
    keys: ['source', 'line', 'endLine', 'text', 'origin', 'format', 'time', 'timeNaive', 'role', 'rules'],
  },
  fact: {
    keys: ['id', 'description', 'scope', 'count', 'witnesses', 'quantities', 'neutral', 'contributes'],
    children: { witnesses: 'factWitness', quantities: 'quantities', contributes: 'factContribution' },
  },
  factContribution: { keys: ['cause', 'weight'] },
  quantities: { keys: [], sortKeys: true },
  factWitness: { keys: ['source', 'line', 'endLine', 'text', 'origin', 'time', 'timeNaive', 'which'] },
  rankedCause: {
    keys: ['id', 'title', 'score', 'confidence', 'summary', 'evidence', 'contradicting', 'remediation'],
    children: { evidence: 'causeEvidence', contradicting: 'causeEvidence', remediation: 'remediationStep' },
  },
  causeEvidence: { keys: ['source', 'line', 'text', 'ruleId', 'reason', 'direction', 'weight', 'condition', 'fact', 'witnesses'] },
  remediationStep: { keys: ['stack', 'text', 'source', 'fitted'] },
  neighbour: { keys: ['sqlstate', 'name', 'why', 'source', 'line', 'text', 'time'] },
  overallCause: { keys: ['id', 'title', 'score', 'confidence', 'incidents', 'topIn'] },
  sourceSummary: {
    keys: ['source', 'formats', 'detection', 'lines', 'bytes', 'error', 'firstTime', 'lastTime', 'timeNaive'],
    children: { formats: 'formatCounts' },
  },
  formatCounts: { keys: [], sortKeys: true },
  stats: {
    keys: [
      'incidents',
      'sources',
      'lines',
      'bytes',
      'linesParsed',
      'records',
      'events',
      'linesTruncated',
      'recordsTruncated',
      'recordsCapped',
      'invalidUtf8Lines',
      'controlCharLines',
      'recordsMalformed',
      'recordsProse',
      'sourcesFailed',
      'sourcesBinary',
      'filesSkipped',
      'skippedByReason',
      'eventsOutsideWindow',
      'linesOutsideWindow',
      'linesThinned',
    ],
    children: { skippedByReason: 'formatCounts' },
  },
  skippedFile: { keys: ['path', 'reason', 'detail', 'directory'] },
  window: { keys: ['since', 'until'] },
};

function order(value: unknown, shape: ShapeName): unknown {
  if (Array.isArray(value)) return value.map((v) => order(v, shape));
  if (value === null || typeof value !== 'object') return value;
  const { keys, children } = SHAPES[shape];
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const put = (k: string): void => {
    if (!Object.prototype.hasOwnProperty.call(src, k)) return;
    const child = children?.[k];
    out[k] = child ? order(src[k], child) : src[k];
  };
  for (const k of keys) put(k);
  const known = new Set(keys);
  for (const k of Object.keys(src).filter((k) => !known.has(k)).sort()) put(k);
  return out;
}

/** The report with keys in the documented order (a new object; values are shared). */
export function canonicalReport(report: Report): Report {
  return order(report, 'report') as Report;
}

export function canonicalIncident(incident: Incident): Incident {
  return order(incident, 'incident') as Incident;
}

/** Canonical key order of a summary part (for the ndjson summary line). */
export function canonicalPart(value: unknown, shape: 'problem' | 'overallCause' | 'neighbour' | 'sourceSummary' | 'stats'): unknown {
  return order(value, shape);
}

/** JSON.stringify plus the escapes that keep the output terminal-safe; parses back to the same value. */
export function safeStringify(value: unknown, indent?: number): string {
  return escapeJsonUnsafe(JSON.stringify(value, null, indent));
}

export function renderJson(report: Report, options: RenderOptions): string {
  return safeStringify(canonicalReport(applyRedaction(withProblems(report, options), options)), 2) + '\n';
}

/** One incident as pretty JSON (used by library callers; the json format itself does not stream). */
export function renderJsonIncident(incident: Incident, options: RenderOptions): string {
  return safeStringify(canonicalIncident(applyRedactionIncident(incident, options)), 2) + '\n';
}

const INCIDENTS_SLOT = '"incidents": []';

/** Splits the rendered report (with no incidents) around the empty incidents array. */
function aroundIncidents(report: Report, options: RenderOptions): [string, string] {
  const text = renderJson({ ...report, incidents: [] }, options);
  const at = text.indexOf(INCIDENTS_SLOT);
  return [text.slice(0, at + INCIDENTS_SLOT.length - 1), text.slice(at + INCIDENTS_SLOT.length - 1)];
}

/** The JSON document written incident by incident; the result equals `renderJson` of the full report. */
export function createJsonStream(options: RenderOptions, tool: Report['tool'], schemaVersion: string): DocumentStream {
  let count = 0;
  const stub = (): Report => ({
    schemaVersion,
    tool,
    incidents: [],
    causes: [],
    neighbours: [],
    sources: [],
    stats: {} as Report['stats'],
    warnings: [],
  });
  return {
    begin: () => aroundIncidents(stub(), options)[0],
    incident(incident: Incident): string {
      const body = safeStringify(canonicalIncident(applyRedactionIncident(incident, options)), 2).replace(/\n/g, '\n    ');
      return `${count++ === 0 ? '\n' : ',\n'}    ${body}`;
    },
    end: (report: Report) => (count > 0 ? '\n  ' : '') + aroundIncidents(report, options)[1],
  };
}

export const jsonReporter: Reporter = {
  name: 'json',
  description: 'the full report as stable pretty JSON (schema/report.schema.json)',
  extension: 'json',
  render: renderJson,
  createStream: (options) => createJsonStream(options, { name: 'pgtriage', version: VERSION }, SCHEMA_VERSION),
};
