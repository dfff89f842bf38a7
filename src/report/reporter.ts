/**
 * The reporter contract. A reporter is pure: it turns a Report (or, when streaming, one
 * incident at a time) into a string. It never writes to a stream or reads `process`.
 */
import type { Incident, Report } from '../report-types.js';

export interface RenderOptions {
  /** Emit ANSI colour (text reporter only). Decide it with `shouldColor` from color.ts. */
  color: boolean;
  /** Show everything: every cause's evidence with weights and reasons, every remediation step, source detection. */
  explain: boolean;
  /** Mask secrets in quoted text (default true; `--no-redact` sets false). */
  redact: boolean;
  /** Width in display columns the text reporter fits every line to (the terminal's, or `--width`). Default 100. */
  width?: number;
  /** Markdown: the most characters the report may take (default 65,000, under GitHub's 65,536 for a comment). */
  maxChars?: number;
  /** Incidents come from directories judged as separate cases (`--per-directory`): group and headline per case. */
  perDirectory?: boolean;
  /** Streaming from a stdin that may never end: write what is known as it is known (text). */
  live?: boolean;
}

export const DEFAULT_RENDER_OPTIONS: Readonly<RenderOptions> = Object.freeze({
  color: false,
  explain: false,
  redact: true,
});

/** Fill unspecified options with the defaults (redaction on, no colour). */
export function renderOptions(partial: Partial<RenderOptions> = {}): RenderOptions {
  return { ...DEFAULT_RENDER_OPTIONS, ...partial };
}

export interface Reporter {
  /** The `--format` value. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** The conventional file extension for `--output` (without the dot). */
  readonly extension: string;
  /** The whole report. Ends with a newline. */
  render(report: Report, options: RenderOptions): string;
  /**
   * Streaming: one incident as soon as it is concluded (ends with a newline). A reporter
   * that has it also has `renderSummary`; every `renderIncident` followed by
   * `renderSummary(r)` carries what `render(r)` does (for ndjson, byte for byte; the text
   * reporter moves its verdict line to the end, since it needs every incident).
   */
  renderIncident?(incident: Incident, options: RenderOptions): string;
  /** Streaming: the closing part once all incidents are out (uses everything but `report.incidents`). */
  renderSummary?(report: Report, options: RenderOptions): string;
  /** Streaming for formats that are one document (JSON). */
  createStream?(options: RenderOptions): DocumentStream;
}

/**
 * A document written in pieces (JSON): the head before any incident, each incident as it is
 * concluded, and the tail once the summary is known. The pieces join to exactly `render(report)`.
 */
export interface DocumentStream {
  begin(): string;
  incident(incident: Incident): string;
  end(report: Report): string;
}

/** A reporter that can stream. */
export type StreamingReporter = Reporter & Required<Pick<Reporter, 'renderIncident' | 'renderSummary'>>;

export function canStream(reporter: Reporter): reporter is StreamingReporter {
  return typeof reporter.renderIncident === 'function' && typeof reporter.renderSummary === 'function';
}
