/**
 * Reporters, chosen by name. The CLI derives its `--format` choices and the `FormatName`
 * type from this map, so the two cannot drift.
 */
import { githubReporter } from './github.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { markdownReporter } from './markdown.js';
import { ndjsonReporter } from './ndjson.js';
import { renderOptions, type Reporter, type RenderOptions } from './reporter.js';
import { textReporter } from './text.js';
import type { Report } from '../report-types.js';

export const reporters = {
  text: textReporter,
  json: jsonReporter,
  markdown: markdownReporter,
  ndjson: ndjsonReporter,
  github: githubReporter,
  html: htmlReporter,
} as const satisfies Record<string, Reporter>;

/** `text | json | markdown | ndjson | github | html`: the `--format` values. */
export type ReporterName = keyof typeof reporters;

/** The `--format` choices, default first. */
export const reporterNames = Object.keys(reporters) as ReporterName[];

export const DEFAULT_REPORTER: ReporterName = 'text';

export function isReporterName(name: string): name is ReporterName {
  return Object.prototype.hasOwnProperty.call(reporters, name);
}

/** The reporter for a `--format` value, or undefined for an unknown name. */
export function getReporter(name: string): Reporter | undefined {
  return isReporterName(name) ? reporters[name] : undefined;
}

/** Render a whole report in the named format (defaults: no colour, redaction on). */
export function renderReport(report: Report, format: ReporterName = DEFAULT_REPORTER, options: Partial<RenderOptions> = {}): string {
  return reporters[format].render(report, renderOptions(options));
}

export { canStream, DEFAULT_RENDER_OPTIONS, renderOptions } from './reporter.js';
export type { Reporter, RenderOptions, StreamingReporter } from './reporter.js';
export { shouldColor, palette, type ColorEnv, type Palette } from './color.js';
export { sanitizeText, sanitizeLine, escapeJsonUnsafe, visibleChar } from './sanitize.js';
export { redactText, redactReport, redactIncident, redactUrlPasswords, MASK } from './redact.js';
export type { NdjsonIncidentLine, NdjsonSummaryLine, NdjsonLine } from './ndjson.js';
export * from '../report-types.js';
