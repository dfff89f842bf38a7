/**
 * Markdown for a ticket or a pull request: the answer first (a verdict and a table with one
 * row per problem), then one section per problem (markdown/section.ts), then neighbours,
 * sources and stats. The whole report fits `--max-chars` (default 65,000, under GitHub's
 * 65,536 for an issue body or comment) and degrades in steps when it would not: (0) every
 * record whole, the failure record folded in `<details>`; (1) long records summarized to
 * their deciding lines; (2) one line per record; (3) the sections that fit at level 2, the
 * other problems' incidents as one table, the tail's lists cut to a few rows. Whatever is
 * left out is counted in the report and kept whole in the JSON.
 *
 * Log text cannot break out (markdown/escape.ts): fences and code spans are longer than any
 * backtick run they hold, text outside code is escaped, control characters are shown as
 * `\x1b` like in the text reporter. Rule-authored prose keeps its `code spans`.
 */
import { count, headlineText, location, plural } from './common.js';
import { escapeInline, escapeProse, inlineCode, table } from './markdown/escape.js';
import { caseHeadline, type Level, problemSection, summaryRow, summaryTable, tail, type TailMode } from './markdown/section.js';
import { byCase, createByProblemStream, renderByProblem, type ProblemView } from './problems.js';
import type { DocumentStream, Reporter, RenderOptions } from './reporter.js';
import type { Report } from '../report-types.js';

export { escapeInline, escapeProse, fenced, inlineCode } from './markdown/escape.js';

/** GitHub's limit for an issue body or comment is 65,536 characters; keep a margin. */
export const DEFAULT_MAX_CHARS = 65_000;
/** Below this not even the verdict, the stats and a short table fit. */
export const MIN_MAX_CHARS = 2_000;
/** Room kept for the table of incidents without a section and its notes. */
const REST_RESERVE = 500;

const join = (lines: readonly string[]): string => lines.join('\n') + '\n';
const size = (lines: readonly string[]): number => join(lines).length;

/** One part per problem; under `--per-directory` a case's headline leads its first problem. */
interface Part {
  view: ProblemView;
  caseHead: string[];
}

function parts(views: ProblemView[], perDirectory: boolean): Part[] {
  if (!perDirectory) return views.map((view) => ({ view, caseHead: [] }));
  return byCase(views).flatMap((g) => {
    const caseHead = caseHeadline(g.case, g.views, g.incidents);
    return g.views.map((view) => ({ view, caseHead }));
  });
}

function body(list: Part[], level: Level, explain: boolean, perDirectory: boolean): string[] {
  const out: string[] = [];
  let lastCase: string[] | undefined;
  for (const p of list) {
    if (p.caseHead !== lastCase) out.push(...p.caseHead);
    lastCase = p.caseHead;
    out.push(...problemSection(p.view, level, explain, perDirectory ? '###' : '##'));
  }
  return out;
}

/** Level 3: sections while they fit, the other problems' incidents as rows of one table. */
function squeezed(report: Report, views: ProblemView[], all: Part[], top: string[], explain: boolean, perDirectory: boolean, budget: number, mode: TailMode, summaryCap: number): string {
  const end = tail(report, explain, mode);
  const rows = views.slice(0, summaryCap).map(summaryRow);
  const hiddenRows = views.length - rows.length;
  const summary = rows.length
    ? [summaryTable(rows), '', ...(hiddenRows ? [`_+${plural(hiddenRows, 'more problem')} without a row (\`--max-chars\`); the JSON report lists every one._`, ''] : [])]
    : [`_${plural(views.length, 'problem')}, without rows here (\`--max-chars\`); the JSON report lists every one._`, ''];
  const restRow = (v: ProblemView, o: ProblemView['occurrences'][number]): string[] => [escapeInline(o.id), escapeInline(v.problem.id), o.time ? escapeInline(o.time) : '', inlineCode(location(o.source, o.line)), inlineCode(v.problem.topCause)];
  const rowSize = (row: string[]): number => row.join(' | ').length + 5;
  const rowsCost = (v: ProblemView): number => v.occurrences.reduce((a, o) => a + rowSize(restRow(v, o)), 0);
  // Every problem starts as rows of the table; in reading order, one is given its section
  // when the section fits in place of its rows, so the table always has room for the rest.
  let used = size([...top, ...summary, ...end]) + REST_RESERVE + views.reduce((a, v) => a + rowsCost(v), 0);
  const kept: Part[] = [];
  const rest: ProblemView[] = [];
  let lastCase: string[] | undefined;
  for (const p of all) {
    // A problem without a summary row gets no section: the table at the end lists it.
    if (!rows.length || views.indexOf(p.view) >= summaryCap) {
      rest.push(p.view);
      continue;
    }
    const s = size([...(p.caseHead !== lastCase ? p.caseHead : []), ...problemSection(p.view, 2, explain, perDirectory ? '###' : '##')]) - rowsCost(p.view);
    if (used + s > budget) {
      rest.push(p.view);
      continue;
    }
    kept.push(p);
    lastCase = p.caseHead;
    used += s;
  }
  used -= rest.reduce((a, v) => a + rowsCost(v), 0);
  const restRows: string[][] = [];
  let total = 0;
  for (const v of rest) {
    for (const o of v.occurrences) {
      total++;
      const row = restRow(v, o);
      if (used + rowSize(row) > budget) continue;
      restRows.push(row);
      used += rowSize(row);
    }
    total += v.problem.count - v.occurrences.length;
  }
  const restPart = rest.length
    ? [
        '## Incidents without room for their section',
        '',
        `_${plural(rest.length, 'problem')} did not fit in ${count(budget)} characters (\`--max-chars\`); their incidents:_`,
        '',
        ...(restRows.length ? [table(['Incident', 'Problem', 'Time', 'Where', 'Top cause'], ['---', '---', '---', '---', '---'], restRows), ''] : []),
        ...(restRows.length < total ? [`_${restRows.length ? '+' : ''}${plural(total - restRows.length, restRows.length ? 'more incident' : 'incident')}; the JSON report has every one._`, ''] : []),
      ]
    : [];
  return join([...top, ...summary, ...body(kept, 2, explain, perDirectory), ...restPart, ...end]);
}

function layout(report: Report, views: ProblemView[], options: RenderOptions): string {
  const explain = options.explain;
  const perDirectory = !!options.perDirectory;
  const budget = Math.max(MIN_MAX_CHARS, options.maxChars ?? DEFAULT_MAX_CHARS);
  const top = ['# pgtriage report', '', `**${escapeProse(headlineText(report, views, perDirectory))}**`, ''];
  const summary = views.length ? [summaryTable(views.map(summaryRow)), ''] : [];
  const all = parts(views, perDirectory);
  const end = tail(report, explain, 'full');
  for (const level of [0, 1, 2] as const) {
    const text = join([...top, ...summary, ...body(all, level, explain, perDirectory), ...end]);
    if (text.length <= budget) return text;
  }
  // Fewer rows in the tail first, then fewer rows in the summary, until it fits.
  let text = '';
  for (const mode of ['compact', 'minimal'] as const) {
    for (let cap = views.length; ; cap = Math.floor(cap / 2)) {
      text = squeezed(report, views, all, top, explain, perDirectory, budget, mode, cap);
      if (text.length <= budget || cap === 0) break;
    }
    if (text.length <= budget) break;
  }
  return text;
}

export function renderMarkdown(input: Report, options: RenderOptions): string {
  return renderByProblem(input, options, layout);
}

export function createMarkdownStream(options: RenderOptions): DocumentStream {
  return createByProblemStream(options, layout);
}

export const markdownReporter: Reporter = {
  name: 'markdown',
  description: 'Markdown for a ticket: summary table, one section per problem, fits --max-chars (default 65000)',
  extension: 'md',
  render: renderMarkdown,
  createStream: createMarkdownStream,
};
