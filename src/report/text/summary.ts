/** The answer: the verdict line and the summary table, one row per problem, fitted to the width. */
import { count, headlineText, incidentCount, location, percent, plural, UNKNOWN_CAUSE, verdict } from '../common.js';
import type { ProblemView } from '../problems.js';
import type { Report } from '../../report-types.js';
import { cell, cut, width as displayWidth, wrap } from '../width.js';
import { confidenceStyle, type Ctx, one, shortSource, shortTime, SUMMARY_ROWS } from './layout.js';

export function headline(ctx: Ctx, report: Report, views: ProblemView[]): string[] {
  const { c } = ctx;
  const n = incidentCount(report);
  let text: string;
  if (n > 0 && ctx.perDirectory && views.length > 0) {
    text = headlineText(report, views, true);
  } else if (n > 0 && views.length > 1) {
    // The table below names each problem's cause; one cause for all would hide the others.
    const open = views.filter((v) => v.problem.topCause === UNKNOWN_CAUSE).length;
    text = `${plural(n, 'incident')} in the 08003 family: ${plural(views.length, 'problem')}${open > 0 ? `, ${count(open)} without a clear cause` : ''}`;
  } else {
    text = verdict(report).text;
  }
  const styled = n > 0 ? c.bold(c.red(one(text))) : c.green(one(text));
  return wrap(`${c.bold('pgtriage:')} ${styled}`, ctx.width, '', '  ');
}

interface Column {
  head: string;
  /** Narrowest useful width; a column that cannot get it is dropped. */
  min: number;
  max: number;
  align?: 'left' | 'right';
  /** Long values lose their start, not their end (paths). */
  cutStart?: boolean;
  /** Dropped when the width is short, lowest first; columns without it always stay. */
  drop?: number;
  get: (v: ProblemView) => string;
}

/** `+54s`, `+3m`, `+2h`, `+5d`: how long a problem lasted. */
function duration(first: string | undefined, last: string | undefined): string {
  if (!first || !last || first === last) return '';
  const s = Math.max(0, (Date.parse(last) - Date.parse(first)) / 1000);
  if (s < 90) return `+${Math.round(s)}s`;
  if (s < 90 * 60) return `+${Math.round(s / 60)}m`;
  if (s < 36 * 3600) return `+${Math.round(s / 3600)}h`;
  return `+${Math.round(s / 86400)}d`;
}

export function summaryTable(ctx: Ctx, views: ProblemView[]): string[] {
  const { c } = ctx;
  if (views.length === 0) return [];
  const rows = ctx.explain ? views : [...views].sort((a, b) => b.problem.count - a.problem.count).slice(0, SUMMARY_ROWS);
  const dates = new Set(rows.map((v) => v.problem.firstTime?.slice(0, 10)).filter(Boolean));
  const oneDate = dates.size === 1 ? [...dates][0]! : undefined;
  const firstCell = (v: ProblemView) => {
    const f = v.problem.firstTime;
    if (!f) return '';
    const at = oneDate ? shortTime(f).slice(11) : shortTime(f).slice(5, 16);
    return `${at} ${duration(f, v.problem.lastTime)}`.trim();
  };
  let cols: Column[] = [
    { head: 'id', min: 2, max: 5, get: (v) => v.problem.id },
    { head: 'n', min: 2, max: 7, align: 'right', get: (v) => `${count(v.problem.count)}×` },
    { head: 'first (UTC)', min: 8, max: 17, drop: 2, get: firstCell },
    { head: 'where', min: 16, max: 48, cutStart: true, get: (v) => location(shortSource(v.problem.source, v.problem.case ? v.problem.case.replace(/[^/]+$/, '').replace(/\/$/, '') : undefined), v.problem.line) },
    { head: 'stack', min: 6, max: 20, drop: 1, get: (v) => v.problem.stacks.join(',') },
    { head: 'top cause', min: 16, max: 36, get: (v) => v.problem.topCause },
    { head: 'score', min: 5, max: 5, align: 'right', get: (v) => percent(v.problem.score) },
    { head: 'conf', min: 4, max: 6, get: (v) => v.problem.confidence },
  ];
  const cells = (col: Column) => rows.map((v) => one(col.get(v)));
  cols = cols.filter((col) => cells(col).some((s) => s !== ''));
  const natural = (col: Column) => Math.min(col.max, Math.max(col.min, displayWidth(col.head), ...cells(col).map(displayWidth)));
  const total = (widths: number[]) => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1) + 2;
  let widths = cols.map(natural);
  // Too wide: drop the optional columns (stack, then time), then shrink where and cause to their minimum.
  for (const level of [1, 2]) {
    if (total(widths) <= ctx.width) break;
    cols = cols.filter((col) => col.drop !== level);
    widths = cols.map(natural);
  }
  for (const name of ['where', 'top cause']) {
    const over = total(widths) - ctx.width;
    const i = cols.findIndex((col) => col.head === name);
    if (over > 0 && i >= 0) widths[i] = Math.max(cols[i]!.min, widths[i]! - over);
  }
  const fit = (s: string, i: number) => {
    const col = cols[i]!;
    const w = widths[i]!;
    const v = col.cutStart && displayWidth(s) > w ? `…${[...s].slice(-(w - 1)).join('')}` : s;
    return cell(v, w, col.align);
  };
  const line = (values: string[]) => `  ${values.map(fit).join('  ')}`.trimEnd();
  const out = [c.dim(cut(line(cols.map((col) => col.head)), ctx.width))];
  for (const v of rows) {
    const style = confidenceStyle(c, v.problem.confidence);
    out.push(cut(line(cols.map((col) => one(col.get(v)))).replace(/\S+\s*$/, (m) => style(m)), ctx.width));
  }
  const hidden = views.length - rows.length;
  if (hidden > 0) {
    const left = views.filter((v) => !rows.includes(v)).reduce((a, v) => a + v.problem.count, 0);
    out.push(c.dim(cut(`  +${plural(hidden, 'more problem')} (${plural(left, 'incident')}) below; --explain lists every one`, ctx.width)));
  }
  return out;
}
