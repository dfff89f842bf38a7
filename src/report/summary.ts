import type { LineCounters } from '../bytes/lines.js';
import { SCHEMA_VERSION, type Incident, type Neighbour, type OverallCause, type Report, type SkippedFile, type SourceSummary, type Stats } from '../report-types.js';
import { VERSION } from '../version.js';
import { type Said, say, split } from '../messages/say.js';
import { overlapWarnings } from '../records/alignment.js';
import { MAX_RECORDS_PER_INCIDENT } from '../detect/incidents.js';

/** What one ended source contributes to the report: its counters, kept after its reader is gone. */
export interface SourceTotals {
  name: string;
  counters: LineCounters;
  recordsTruncated: number;
  formatCounts: Map<string, number>;
  /** Lines the byte prefilter skipped without splitting them into records (time gate included). */
  linesSkipped: number;
  /** Of those, the lines the time gate left unread as outside --since/--until. */
  linesOutsideWindow?: number;
  /** Of those, lines holding only dense context wording, counted instead of parsed. */
  linesThinned?: number;
  error?: string;
  binary: boolean;
  /** Earliest and latest record time read (UTC ms) and whether some times had no zone. */
  timeRange?: { first: number; last: number; naive: boolean };
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
  recordsProse?: number;
  /** Warnings gathered during the run, in order; the summary adds its own after them. */
  warnings: readonly Said[];
  /** `--input-format`, when not `auto`. */
  inputFormat?: string;
  maxLineChars: number;
  /** Entries directory walks did not read, counted by reason; the first ones listed. */
  skippedCounts?: ReadonlyMap<string, number>;
  skipped?: readonly SkippedFile[];
  /** Records merged into incidents beyond the per-incident cap, by the rules that matched them. */
  recordsCapped?: { count: number; byRule: ReadonlyMap<string, number> };
  /** The --since/--until window, when one was given, and the dated events outside it. */
  window?: { since?: string; until?: string };
  eventsOutsideWindow?: number;
  /** Which case a source belongs to (sources of one case should overlap in time). */
  caseOf?: (source: string) => string;
  skewMs?: number;
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
    controlCharLines: 0,
    recordsMalformed: run.recordsMalformed,
    ...(run.recordsProse ? { recordsProse: run.recordsProse } : {}),
    ...(run.recordsCapped?.count ? { recordsCapped: run.recordsCapped.count } : {}),
    sourcesFailed: 0,
    sourcesBinary: 0,
    ...(sourceTotals.some((s) => s.linesThinned) ? { linesThinned: sourceTotals.reduce((n, s) => n + (s.linesThinned ?? 0), 0) } : {}),
    ...(run.window ? { eventsOutsideWindow: run.eventsOutsideWindow ?? 0, linesOutsideWindow: sourceTotals.reduce((n, s) => n + (s.linesOutsideWindow ?? 0), 0) } : {}),
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
    stats.controlCharLines = (stats.controlCharLines ?? 0) + c.controlCharLines;
    stats.recordsTruncated += s.recordsTruncated;
    if (s.error) stats.sourcesFailed++;
    if (s.binary) stats.sourcesBinary++;
    const formats = Object.fromEntries(s.formatCounts) as SourceSummary['formats'];
    sources.push({
      source: s.name,
      formats,
      detection: detection(formats, run.inputFormat, s).text,
      lines: c.lines,
      bytes: c.bytes,
      ...(s.error ? { error: s.error } : {}),
      ...(s.timeRange
        ? { firstTime: new Date(s.timeRange.first).toISOString(), lastTime: new Date(s.timeRange.last).toISOString(), ...(s.timeRange.naive ? { timeNaive: true } : {}) }
        : {}),
    });
  }
  const said = [...run.warnings];
  if (stats.linesTruncated) said.push(say('warning.lines-truncated', { count: stats.linesTruncated, max: run.maxLineChars }));
  if (stats.recordsTruncated) said.push(say('warning.records-truncated', { count: stats.recordsTruncated }));
  if (run.recordsCapped?.count) {
    const rules = [...run.recordsCapped.byRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([id]) => id);
    said.push(say('warning.records-capped', { count: run.recordsCapped.count, cap: MAX_RECORDS_PER_INCIDENT, rules: rules.join(', ') }));
  }
  if (analysis.incidentsOmitted) said.push(say('warning.incidents-omitted', { count: analysis.incidentsOmitted }));
  if (stats.lines === 0 && stats.sourcesFailed === 0 && stats.sourcesBinary === 0) said.push(say('warning.input-empty'));
  said.push(...overlapWarnings(sourceTotals, run.caseOf ?? (() => ''), run.skewMs ?? 5_000));
  const warnings = split(said);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'pgtriage', version: VERSION },
    incidents: analysis.incidents,
    causes: analysis.causes,
    neighbours: analysis.neighbours,
    sources,
    stats,
    warnings: warnings.texts,
    warningIds: warnings.ids,
    ...(run.skipped?.length ? { skipped: run.skipped.slice() } : {}),
    ...(run.window ? { window: run.window } : {}),
  };
}

/** One sentence per source: how it was read and which format took most of its records. */
export function detection(formats: SourceSummary['formats'], forced: string | undefined, s: SourceTotals): Said {
  if (s.error && s.counters.bytes === 0) return say('detection.not-read');
  if (s.error) return say('detection.partly-read', { rest: detection(formats, forced, { ...s, error: undefined }).text });
  if (s.binary) return say('detection.binary');
  if (forced && forced !== 'auto') return say('detection.forced', { format: forced });
  const entries = Object.entries(formats).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  if (entries.length === 0) return say('detection.no-records');
  const [format, count = 0] = entries[0];
  const others = entries.slice(1).map(([f, n]) => `${f} (${n})`);
  return others.length
    ? say('detection.main-format-and-others', { format, count, others: others.join(', ') })
    : say('detection.main-format', { format, count });
}
