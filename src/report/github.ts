/**
 * GitHub Actions workflow commands: a failed dbt or pipeline job annotates its own log.
 *
 *   ::error file=logs/etl.log,line=120,endLine=123,title=pgtriage P1%3A 08003 ...::Most likely ...
 *
 * One annotation per problem (identical incidents would otherwise flood the annotation list,
 * which GitHub caps per step), at its first incident's file and line. Values are escaped by
 * the workflow-command rules: in the message `%`, CR and LF become `%25`, `%0D`, `%0A`; in
 * properties also `:` and `,` become `%3A`, `%2C`. Log text is sanitized first, so a log line
 * cannot carry a control character or a line break that would start a command of its own.
 */
import { percent, plural, fittedRemediation, UNKNOWN_CAUSE, verdict } from './common.js';
import { createByProblemStream, renderByProblem, type ProblemView } from './problems.js';
import type { DocumentStream, Reporter, RenderOptions } from './reporter.js';
import { sanitizeLine } from './sanitize.js';
import type { Report } from '../report-types.js';

/** Escape a command's message (the part after `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value (`file=`, `title=`...). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(view: ProblemView, explain: boolean): string {
  const { problem: p, representative: incident, occurrences } = view;
  const top = incident.causes[0];
  const level = p.topCause === UNKNOWN_CAUSE || p.confidence === 'low' ? 'warning' : 'error';
  const title = `pgtriage ${p.id}: ${p.sqlstate} ${p.kind}${p.count > 1 ? ` ×${p.count}` : ''}`;
  const lines: string[] = [];
  lines.push(
    top && top.id !== UNKNOWN_CAUSE
      ? `Most likely: ${top.title} (${percent(p.score)}, ${p.confidence} confidence) [${top.id}]`
      : 'Cause undetermined: the logs show the connection was lost but not why.',
  );
  lines.push(`Failure: ${sanitizeLine(incident.message.split('\n', 1)[0] ?? '')}`);
  if (top) {
    const steps = fittedRemediation(top, incident.stacks, explain);
    for (const s of explain ? steps : steps.slice(0, 1)) lines.push(`Fix (${s.stack}): ${s.text}`);
  }
  if (incident.missing[0] && (!top || top.confidence !== 'high')) lines.push(`What would decide it: ${incident.missing[0]}`);
  if (p.count > 1) {
    const at = occurrences.slice(0, 10).map((o) => `${o.id} ${o.source}:${o.line}`);
    lines.push(`${plural(p.count, 'incident')}: ${at.join(', ')}${p.count > at.length ? ', ...' : ''}`);
  }
  const props = [`file=${escapeProperty(incident.source)}`, `line=${incident.line}`];
  if (incident.endLine > incident.line) props.push(`endLine=${incident.endLine}`);
  props.push(`title=${escapeProperty(title)}`);
  return `::${level} ${props.join(',')}::${escapeData(lines.map(sanitizeLine).join('\n'))}`;
}

function render(report: Report, views: ProblemView[], explain: boolean): string {
  const out = views.map((v) => annotation(v, explain));
  // A plain closing line (not a command: it never starts with `::`).
  out.push(`pgtriage: ${sanitizeLine(verdict(report).text)}${views.length > 1 ? ` (${plural(views.length, 'problem')})` : ''}`);
  return out.join('\n') + '\n';
}

export function renderGithub(input: Report, options: RenderOptions): string {
  return renderByProblem(input, options, (report, views, o) => render(report, views, o.explain));
}

export function createGithubStream(options: RenderOptions): DocumentStream {
  return createByProblemStream(options, (report, views, o) => render(report, views, o.explain));
}

export const githubReporter: Reporter = {
  name: 'github',
  description: 'GitHub Actions annotations (::error file=...,line=...::), one per problem',
  extension: 'txt',
  render: renderGithub,
  createStream: createGithubStream,
};
