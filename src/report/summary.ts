import type { LineCounters } from '../bytes/lines.js';
import { SCHEMA_VERSION, type Incident, type Neighbour, type OverallCause, type Report, type SkippedFile, type SourceSummary, type Stats } from '../report-types.js';
import { VERSION } from '../version.js';

/** What one ended source contributes to the report: its counters, kept after its reader is gone. */
export interface SourceTotals {
  name: string;
  counters: LineCounters;
  recordsTruncated: number;
  formatCounts: Map<string, number>;
  /** Lines the byte prefilter skipped without splitting them into records. */
  linesSkipped: number;
  error?: string;
  binary: boolean;
}

/** What the analysis concluded, as the report lists it. */
export interface AnalysisTotals {
  incidents: Incident[];
  incidentsFound: number;
  incidentsOmitted: number;
  events: number;
  causes: OverallCause[];
  neighbours: Neighbour[];
}

export interface RunTotals {
  records: number;
  recordsMalformed: number;
  /** Warnings gathered during the run, in order; the summary adds its own after them. */
  warnings: readonly string[];
  /** `--input-format`, when not `auto`. */
  inputFormat?: string;
  maxLineChars: number;
  /** Entries directory walks did not read, counted by reason; the first ones listed. */
  skippedCounts?: ReadonlyMap<string, number>;
  skipped?: readonly SkippedFile[];
  /** The --since/--until window, when one was given, and the dated events outside it. */
  window?: { since?: string; until?: string };
  eventsOutsideWindow?: number;
}

/** The report object: stats summed over sources, a detection sentence per source, warnings. */
export function buildReport(analysis: AnalysisTotals, sourceTotals: readonly SourceTotals[], run: RunTotals): Report {
  const stats: Stats = {
    incidents: analysis.incidentsFound,
    sources: sourceTotals.length,
    lines: 0,
    bytes: 0,
    linesParsed: 0,
    records: run.records,
    events: analysis.events,
    linesTruncated: 0,
    recordsTruncated: 0,
    invalidUtf8Lines: 0,
    recordsMalformed: run.recordsMalformed,
    sourcesFailed: 0,
    sourcesBinary: 0,
    ...(run.window ? { eventsOutsideWindow: run.eventsOutsideWindow ?? 0 } : {}),
    filesSkipped: [...(run.skippedCounts?.values() ?? [])].reduce((a, b) => a + b, 0),
    skippedByReason: Object.fromEntries([...(run.skippedCounts ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
  const sources: SourceSummary[] = [];
  for (const s of sourceTotals) {
    const c = s.counters;
    stats.lines += c.lines;
    stats.bytes += c.bytes;
    stats.linesParsed += c.lines - s.linesSkipped;
    stats.linesTruncated += c.linesTruncated;
    stats.invalidUtf8Lines += c.invalidUtf8Lines;
    stats.recordsTruncated += s.recordsTruncated;
    if (s.error) stats.sourcesFailed++;
    if (s.binary) stats.sourcesBinary++;
    const formats = Object.fromEntries(s.formatCounts) as SourceSummary['formats'];
    sources.push({
      source: s.name,
      formats,
      detection: detectionText(formats, run.inputFormat, s),
      lines: c.lines,
      bytes: c.bytes,
      ...(s.error ? { error: s.error } : {}),
    });
  }
  const warnings = [...run.warnings];
  if (stats.linesTruncated) warnings.push(`${stats.linesTruncated} over-long line(s) were cut at ${run.maxLineChars} characters`);
  if (stats.recordsTruncated) warnings.push(`${stats.recordsTruncated} record(s) were cut at the record size cap`);
  if (analysis.incidentsOmitted) warnings.push(`${analysis.incidentsOmitted} incident(s) beyond the report cap were counted but not listed`);
  if (stats.lines === 0 && stats.sourcesFailed === 0 && stats.sourcesBinary === 0) warnings.push('the input was empty');
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'pgtriage', version: VERSION },
    incidents: analysis.incidents,
    causes: analysis.causes,
    neighbours: analysis.neighbours,
    sources,
    stats,
    warnings,
    ...(run.skipped?.length ? { skipped: run.skipped.slice() } : {}),
    ...(run.window ? { window: run.window } : {}),
  };
}

/** One sentence per source: how it was read and which format took most of its records. */
function detectionText(formats: SourceSummary['formats'], forced: string | undefined, s: SourceTotals): string {
  if (s.error && s.counters.bytes === 0) return 'not read';
  if (s.error) return `partly read, until the error; ${detectionText(formats, forced, { ...s, error: undefined })}`;
  if (s.binary) return 'binary content, skipped';
  if (forced && forced !== 'auto') return `forced with --input-format ${forced}`;
  const entries = Object.entries(formats).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  if (entries.length === 0) return 'no records';
  const [main, count] = entries[0];
  const others = entries.slice(1).map(([f, n]) => `${f} (${n})`);
  return `${main}: ${count} record(s) matched its layout${others.length ? `; also ${others.join(', ')}` : ''}`;
}
