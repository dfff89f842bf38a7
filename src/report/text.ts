/**
 * The default reporter: the answer first, then one block per problem, every line fitted to
 * the terminal.
 *
 * Layout: a verdict, a summary table (one row per problem: incidents grouped by case,
 * failure signature and top cause), then per problem its causes, the fix, what would decide
 * it and the records that carry the evidence, each quoted once with the rule hits that cite
 * it as one-liners. Every line is at most `width` display columns: prose is wrapped, quoted
 * log lines are cut with `…` (under `--explain` wrapped instead, so nothing is hidden).
 *
 * Every string from the report is redacted (unless turned off) and sanitized before layout,
 * so control characters in the logs are shown as `\x1b`, `\r`, `\u202e` and never reach the
 * terminal; colour codes are added afterwards, only when enabled.
 *
 * The parts sit in text/: layout.ts (the width, colour and gutter in force), summary.ts (the
 * verdict and the table), problem.ts (one block per problem), tail.ts (neighbours, sources,
 * stats); this file puts them together, whole or from a stream.
 */
import { applyRedaction, applyRedactionIncident, count, location } from './common.js';
import { groupProblems, ProblemGrouper, type ProblemView } from './problems.js';
import type { DocumentStream, Reporter, RenderOptions } from './reporter.js';
import { sanitizeDeep } from './sanitize.js';
import { context, type Ctx, one, shortTime } from './text/layout.js';
import { problemBlock, problemBlocks } from './text/problem.js';
import { headline, summaryTable } from './text/summary.js';
import { join, tailBlocks } from './text/tail.js';
import type { Incident, Report } from '../report-types.js';
import { cut } from './width.js';

export { RECORD_LINES, RECORDS_PER_PROBLEM, SUMMARY_ROWS } from './text/layout.js';


/** The whole report from its problems (the incidents themselves may have been streamed away). */
function renderViews(report: Report, views: ProblemView[], ctx: Ctx): string {
  // The verdict and the table are one answer: no blank line between them.
  return join([[...headline(ctx, report, views), ...summaryTable(ctx, views)], ...problemBlocks(ctx, views), ...tailBlocks(ctx, report)]);
}

function prepare(input: Report, options: RenderOptions): Report {
  return sanitizeDeep(applyRedaction(input, options));
}

export function renderText(input: Report, options: RenderOptions): string {
  const report = prepare(input, options);
  const ctx = context(options);
  return renderViews(report, groupProblems(report.incidents, ctx.perDirectory), ctx);
}

/** Streaming, one incident: its block as a problem of one (a live stream cannot wait to group). */
export function renderTextIncident(input: Incident, options: RenderOptions): string {
  const incident = sanitizeDeep(applyRedactionIncident(input, options));
  const ctx = context(options);
  const [view] = groupProblems([incident], ctx.perDirectory);
  return join([problemBlock(ctx, view!, incident.id)]) + '\n';
}

/** Streaming, the end: the tail sections, then the verdict (it needs every incident). */
export function renderTextSummary(input: Report, options: RenderOptions): string {
  const report = prepare(input, options);
  const ctx = context(options);
  return join([...tailBlocks(ctx, report), headline(ctx, report, [])]);
}

/**
 * Text written from a stream of incidents with O(problems) memory: each incident is folded
 * into its problem as it arrives and the report is laid out at the end. With `live` (a
 * stdin that may never end) a new problem's block is written at once and a repeat gets one
 * line; the summary table and the verdict close the output.
 */
export function createTextStream(options: RenderOptions): DocumentStream {
  const ctx = context(options);
  const grouper = new ProblemGrouper(ctx.perDirectory, false);
  return {
    begin: () => '',
    incident(input: Incident): string {
      const incident = sanitizeDeep(applyRedactionIncident(input, options));
      const { view, isNew } = grouper.add(incident);
      if (!options.live) return '';
      if (isNew) return join([problemBlock(ctx, view, incident.id)]) + '\n';
      const o = view.occurrences.at(-1);
      const again = `${one(incident.id)} ${o?.time ? `${shortTime(o.time)} ` : ''}${location(one(incident.source), incident.line)}: again the failure of ${one(view.representative.id)} (${count(view.problem.count)}×)`;
      return cut(again, ctx.width) + '\n';
    },
    end(input: Report): string {
      const report = prepare(input, options);
      const views = grouper.views();
      if (!options.live) return renderViews(report, views, ctx);
      return join([summaryTable(ctx, views), ...tailBlocks(ctx, report), headline(ctx, report, views)]);
    },
  };
}

export const textReporter: Reporter = {
  name: 'text',
  description: 'the answer first, one block per problem, fitted to the terminal (default)',
  extension: 'txt',
  render: renderText,
  renderIncident: renderTextIncident,
  renderSummary: renderTextSummary,
  createStream: createTextStream,
};
