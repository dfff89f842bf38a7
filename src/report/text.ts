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
 * Over 300 lines because the summary table, the problem block and the streaming modes share
 * one layout context; split, each would import the rest.
 */
import { palette, type Palette } from './color.js';
import {
  applyRedaction,
  applyRedactionIncident,
  bytes,
  count,
  detailedCauses,
  fittedRemediation,
  incidentCount,
  LIST_MIN_SCORE,
  location,
  observedLabel,
  percent,
  plural,
  signedWeight,
  UNKNOWN_CAUSE,
  verdict,
} from './common.js';
import { byCase, groupProblems, ProblemGrouper, type ProblemView } from './problems.js';
import { quotedRecords, recordExcerpt, type QuotedRecord } from './quotes.js';
import type { DocumentStream, Reporter, RenderOptions } from './reporter.js';
import { sanitizeDeep, sanitizeLine } from './sanitize.js';
import type { Confidence, Incident, RankedCause, Report } from '../report-types.js';
import { cell, cut, quoteLine, untab, width as displayWidth, wrap } from './width.js';

const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 40;
/** Rows of the summary table before the rest is counted (keeps the answer on one screen). */
export const SUMMARY_ROWS = 15;
/** Lines of a record quoted without `--explain`. */
export const RECORD_LINES = 3;
/** Records quoted per problem without `--explain`. */
export const RECORDS_PER_PROBLEM = 6;
/** Remediation steps shown per problem without `--explain`. */
const FIX_STEPS = 1;
/** Left gutter of a problem block: `causes`, `fix`, `decide`, `records`. */
const GUTTER = 10;
const gutter = (name: string): string => `  ${name}`.padEnd(GUTTER);

interface Ctx {
  c: Palette;
  explain: boolean;
  width: number;
  perDirectory: boolean;
}

function context(options: RenderOptions): Ctx {
  return {
    c: palette(options.color),
    explain: options.explain,
    width: Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULT_WIDTH)),
    perDirectory: !!options.perDirectory,
  };
}

const one = sanitizeLine;

function confidenceStyle(c: Palette, confidence: Confidence): (s: string) => string {
  if (confidence === 'high') return (s) => c.bold(c.green(s));
  if (confidence === 'medium') return c.yellow;
  return c.dim;
}

/** `2026-05-01 10:06:10` from an ISO time; the zone is UTC throughout the report. */
function shortTime(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '';
}

function span(first: string | undefined, last: string | undefined): string {
  if (!first) return '';
  const a = shortTime(first);
  if (!last || last === first) return a;
  const b = shortTime(last);
  if (a === b) return a;
  return a.slice(0, 10) === b.slice(0, 10) ? `${a}–${b.slice(11)}` : `${a}–${b}`;
}

/** The directory every path in the list lies under ('' when none is shared). */
function commonDir(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  let dir = paths[0]!.includes('/') ? paths[0]!.slice(0, paths[0]!.lastIndexOf('/')) : '';
  for (const p of paths) while (dir && !p.startsWith(`${dir}/`)) dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  return dir;
}

/** A source as short as it can be while still unambiguous inside its case. */
function shortSource(source: string, kase: string | undefined): string {
  return kase && source.startsWith(`${kase}/`) ? source.slice(kase.length + 1) : source;
}

// ---------------------------------------------------------------- the answer

function headline(ctx: Ctx, report: Report, views: ProblemView[]): string[] {
  const { c } = ctx;
  const n = incidentCount(report);
  let text: string;
  if (n > 0 && ctx.perDirectory && views.length > 0) {
    const cases = byCase(views).length;
    text = `${plural(n, 'incident')} in the 08003 family: ${plural(views.length, 'problem')} in ${plural(cases, 'case')}, each case judged on its own`;
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

function summaryTable(ctx: Ctx, views: ProblemView[]): string[] {
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

// ---------------------------------------------------------------- one problem

function causeRows(ctx: Ctx, causes: RankedCause[], label: string): string[] {
  const { c } = ctx;
  const out: string[] = [];
  // The top cause and every cause of 5% or more; the rest share one line.
  const listed = ctx.explain ? causes : causes.filter((x, i) => i === 0 || x.score >= LIST_MIN_SCORE);
  listed.forEach((cause, i) => {
    const style = confidenceStyle(c, cause.confidence);
    const title = cause.id === UNKNOWN_CAUSE ? c.dim(one(cause.title || 'unknown')) : c.bold(one(cause.title));
    const lead = i === 0 ? label : ' '.repeat(displayWidth(label));
    out.push(cut(`${lead}${style(percent(cause.score).padStart(4))} ${style(cause.confidence.padEnd(6))} ${c.dim(`[${one(cause.id)}]`)} ${title}`, ctx.width));
    if (ctx.explain && cause.summary) out.push(...wrap(c.dim(one(cause.summary)), ctx.width, ' '.repeat(displayWidth(label) + 12)));
  });
  const folded = causes.filter((x) => !listed.includes(x));
  if (folded.length > 0) {
    const names = folded.slice(0, 3).map((x) => `${one(x.id)} ${percent(x.score)}`).join(', ') + (folded.length > 3 ? ', …' : '');
    out.push(...wrap(c.dim(`+${folded.length} under ${percent(LIST_MIN_SCORE)}: ${names}`), ctx.width, ' '.repeat(displayWidth(label))));
  }
  return out;
}

function fixLines(ctx: Ctx, incident: Incident, causes: RankedCause[], label: string): string[] {
  const { c } = ctx;
  const pad = ' '.repeat(displayWidth(label));
  const out: string[] = [];
  for (const cause of detailedCauses(causes, ctx.explain)) {
    const steps = fittedRemediation(cause, incident.stacks, ctx.explain);
    const shown = ctx.explain ? steps : steps.slice(0, FIX_STEPS);
    const prefix = causes.length > 1 && (ctx.explain || cause !== causes[0]) ? `${one(cause.id)} — ` : '';
    shown.forEach((s, i) => {
      const more = !ctx.explain && i === shown.length - 1 && cause.remediation.length > shown.length ? c.dim(` (+${plural(cause.remediation.length - shown.length, 'step')}, --explain)`) : '';
      out.push(...wrap(`${i === 0 ? prefix : ''}${c.bold(`${one(s.stack)}:`)} ${one(s.text)}${more}`, ctx.width, out.length === 0 ? label : pad, pad));
    });
    if (!ctx.explain) break;
  }
  return out;
}

function citationLine(ctx: Ctx, r: QuotedRecord, indent: string): string[] {
  const { c } = ctx;
  const out: string[] = [];
  const shown = ctx.explain ? r.citations : r.citations.slice(0, 4);
  for (const cite of shown) {
    const effects = cite.effects.map((e) => `${one(e.cause)} ${signedWeight(e.weight)}`).join(', ');
    const mark = cite.effects.every((e) => e.weight < 0) ? c.yellow : c.green;
    const quoted = cite.text ? ` “${one(cite.text)}”` : '';
    // The rule and its weights lead: when the line is cut, the reason loses its end, not the numbers.
    const text = `${indent}↳ ${mark(`[${one(cite.ruleId)}: ${effects}]`)} ${one(cite.reason.split('\n').join(' '))}${quoted}`;
    out.push(...(ctx.explain ? wrap(text, ctx.width, '', `${indent}  `) : [cut(text, ctx.width)]));
    if (ctx.explain && cite.condition) out.push(...wrap(c.dim(`when ${one(cite.condition)}`), ctx.width, `${indent}  `));
  }
  if (shown.length < r.citations.length) out.push(c.dim(cut(`${indent}↳ +${r.citations.length - shown.length} more rule hits (--explain)`, ctx.width)));
  if (r.otherRules.length > 0 && ctx.explain) out.push(c.dim(cut(`${indent}↳ rules: ${r.otherRules.map(one).join(', ')}`, ctx.width)));
  return out;
}

function recordLines(ctx: Ctx, r: QuotedRecord, kase: string | undefined, needle: string, lead: string): string[] {
  const { c } = ctx;
  const loc = location(one(shortSource(r.source, kase)), r.line, r.endLine);
  const time = ctx.explain && r.time ? `${shortTime(r.time)}${r.timeNaive ? '?' : ''} ` : '';
  const prefix = `${lead}${time}${loc}  `;
  const padWidth = displayWidth(prefix);
  const pad = ' '.repeat(padWidth);
  const styled = `${lead}${c.dim(time)}${c.cyan(loc)}  `;
  const text = untab(r.text);
  const excerpt = ctx.explain ? { lines: text.split('\n').map((t) => ({ text: t, skippedBefore: 0 })), skippedAfter: 0 } : recordExcerpt(text, RECORD_LINES, needle);
  const out: string[] = [];
  const style = r.role === 'failure' ? c.red : (s: string) => s;
  // Skipped lines are counted in the gutter of the next line shown: `(+3) text`.
  excerpt.lines.forEach((l, i) => {
    let head = i === 0 ? styled : pad;
    if (l.skippedBefore > 0) {
      const mark = `(+${count(l.skippedBefore)}) `;
      head = ' '.repeat(Math.max(0, padWidth - mark.length)) + c.dim(mark);
    }
    out.push(...quoteLine(head, l.text === '' ? '' : style(l.text), ctx.width, ctx.explain, pad));
  });
  if (excerpt.skippedAfter > 0) out.push(c.dim(cut(`${pad}(+${plural(excerpt.skippedAfter, 'more line')}, --explain shows the record)`, ctx.width)));
  out.push(...citationLine(ctx, r, ' '.repeat(GUTTER + 2)));
  return out;
}

function problemBlock(ctx: Ctx, view: ProblemView, label: string): string[] {
  const { c } = ctx;
  const { problem, representative: incident, occurrences } = view;
  const out: string[] = [];
  // Inside a block, paths are shown below the directory its sources share (named in the summary).
  const kase = problem.case ?? (commonDir([...problem.sources, ...incident.evidence.map((e) => e.source)]) || undefined);
  const what = problem.count === 1 ? '1 incident' : `${plural(problem.count, 'incident')}`;
  const head = [c.bold(one(label)), what, c.red(`${one(incident.sqlstate)} ${one(incident.kind)}`)];
  if (incident.observedSqlstates.some((s) => s !== incident.sqlstate)) head.push(`printed ${one(observedLabel(incident))}`);
  const when = span(problem.firstTime, problem.lastTime);
  if (when) head.push(`${when} UTC`);
  head.push(c.dim(`${one(incident.format)}/${one(incident.origin)}`));
  if (problem.stacks.length > 0) head.push(c.dim(`stacks ${problem.stacks.map(one).join(', ')}`));
  // The exception and driver are in the quoted record; the names a record may not carry stay.
  for (const [k, v] of [
    ['exception', ctx.explain ? incident.exception : undefined],
    ['driver', ctx.explain ? incident.driver : undefined],
    ['pipeline', incident.pipeline],
    ['activity', incident.activity],
    ['model', incident.model],
  ] as const) {
    if (v) head.push(c.dim(`${k} ${one(v)}`));
  }
  out.push(...wrap(head.join(' · '), ctx.width, '', '    '));
  if (occurrences.length > 1 || problem.count > 1) {
    const shown = ctx.explain ? occurrences : occurrences.slice(0, 8);
    const list = shown.map((o) => `${one(o.id)} ${location(one(shortSource(o.source, kase)), o.line)}`).join(', ');
    const more = problem.count > shown.length ? `, +${count(problem.count - shown.length)} more` : '';
    out.push(...wrap(`at ${list}${more}`, ctx.width, '  ', '     '));
  }
  if (ctx.explain && incident.why) out.push(...wrap(c.dim(`why ${one(incident.sqlstate)}: ${one(incident.why)}`), ctx.width, '  ', '    '));
  out.push(...causeRows(ctx, incident.causes, gutter('causes')));
  if (incident.causes.length === 0) out.push(`${gutter('causes')}${c.dim('none scored')}`);
  out.push(...fixLines(ctx, incident, incident.causes, gutter('fix')));
  const top = incident.causes[0];
  if (incident.missing.length > 0 && (ctx.explain || !top || top.confidence !== 'high')) {
    const shown = ctx.explain ? incident.missing : incident.missing.slice(0, 1);
    const more = shown.length < incident.missing.length ? c.dim(` (+${incident.missing.length - shown.length} more, --explain)`) : '';
    shown.forEach((m, i) => out.push(...wrap(`${one(m)}${i === shown.length - 1 ? more : ''}`, ctx.width, i === 0 ? gutter('decide') : gutter(''), gutter(''))));
  }
  const cited = ctx.explain ? incident.causes : incident.causes.filter((x, i) => i === 0 || x.score >= LIST_MIN_SCORE);
  const records = quotedRecords(incident, cited, ctx.explain);
  const shown = ctx.explain ? records : records.slice(0, RECORDS_PER_PROBLEM);
  shown.forEach((r, i) => out.push(...recordLines(ctx, r, kase, incident.message, i === 0 ? gutter(problem.count > 1 ? 'quoted' : 'records') : gutter(''))));
  if (shown.length < records.length) out.push(c.dim(cut(`    +${plural(records.length - shown.length, 'more record')} (--explain)`, ctx.width)));
  return out;
}

function caseHeadline(ctx: Ctx, kase: string, views: ProblemView[], incidents: number): string[] {
  const { c } = ctx;
  const lead = views[0]!.problem;
  const cause = lead.topCause === UNKNOWN_CAUSE ? 'cause undetermined' : `${lead.topCauseTitle} (${percent(lead.score)}, ${lead.confidence} confidence)`;
  const shape = views.length === 1 ? `; most likely: ${cause}` : `, ${plural(views.length, 'problem')}; the largest: ${cause}`;
  return wrap(c.bold(`── ${one(kase)}: ${plural(incidents, 'incident')}${one(shape)}`), ctx.width, '', '   ');
}

function problemBlocks(ctx: Ctx, views: ProblemView[]): string[][] {
  const blocks: string[][] = [];
  if (!ctx.perDirectory) {
    for (const v of views) blocks.push(problemBlock(ctx, v, v.problem.id));
    return blocks;
  }
  for (const group of byCase(views)) {
    blocks.push(caseHeadline(ctx, group.case, group.views, group.incidents));
    for (const v of group.views) blocks.push(problemBlock(ctx, v, v.problem.id));
  }
  return blocks;
}

// ---------------------------------------------------------------- the tail

function overallBlock(ctx: Ctx, report: Report): string[] {
  const { c } = ctx;
  if (report.causes.length === 0 || ctx.perDirectory) return [];
  const out = wrap(c.bold('Overall causes'), ctx.width, '');
  const n = incidentCount(report);
  out.push(c.dim(cut('  score  confidence  top in  cause', ctx.width)));
  for (const cause of report.causes) {
    const style = confidenceStyle(c, cause.confidence);
    const top = `${cause.topIn}/${n}`.padEnd(6);
    out.push(cut(`  ${style(percent(cause.score).padStart(5))}  ${style(cause.confidence.padEnd(10))}  ${top}  ${one(cause.title)}  ${c.dim(`[${one(cause.id)}]`)}`, ctx.width));
  }
  return out;
}

function neighboursBlock(ctx: Ctx, report: Report): string[] {
  const { c } = ctx;
  if (report.neighbours.length === 0) return [];
  const out = wrap(c.bold('Neighbours (connection failures outside the 08003 family)'), ctx.width, '', '  ');
  const shown = ctx.explain ? report.neighbours : report.neighbours.slice(0, 10);
  for (const nb of shown) {
    const loc = location(one(nb.source), nb.line);
    const first = untab(nb.text.split('\n', 1)[0] ?? '');
    out.push(...quoteLine(`  ${c.yellow(one(nb.sqlstate))} ${one(nb.name)}  ${c.cyan(loc)}  `, first, ctx.width, ctx.explain, '      '));
    if (ctx.explain && nb.why) out.push(...wrap(one(nb.why), ctx.width, '    why: ', '      '));
  }
  if (shown.length < report.neighbours.length) out.push(c.dim(`  +${report.neighbours.length - shown.length} more (--explain)`));
  return out;
}

function sourcesBlock(ctx: Ctx, report: Report): string[] {
  const { c } = ctx;
  const shown = ctx.explain ? report.sources : report.sources.filter((s) => s.error);
  if (shown.length === 0) return [];
  const out = wrap(c.bold(ctx.explain ? 'Sources' : 'Sources with errors'), ctx.width, '');
  for (const s of shown) {
    const formats = Object.entries(s.formats)
      .map(([f, n]) => `${one(f)} ${count(n ?? 0)}`)
      .join(', ');
    out.push(...wrap(`${c.cyan(one(s.source))}  ${plural(s.lines, 'line')}, ${bytes(s.bytes)}${formats ? `  [${formats}]` : ''}`, ctx.width, '  ', '      '));
    if (s.detection && ctx.explain) out.push(...wrap(one(s.detection), ctx.width, '    detected: ', '      '));
    if (s.error) out.push(...wrap(c.red(`error: ${one(s.error)}`), ctx.width, '    ', '      '));
  }
  return out;
}

/** --explain: every entry a directory walk did not read, with the reason and what decided it. */
function skippedBlock(ctx: Ctx, report: Report): string[] {
  const list = report.skipped ?? [];
  const out = [ctx.c.bold('Not read in directory walks')];
  for (const e of list) {
    const why = ctx.c.dim(`${one(e.reason)}${e.detail ? `: ${one(e.detail)}` : ''}`);
    out.push(...quoteLine(`  ${one(e.path)}${e.directory ? '/' : ''}  `, why, ctx.width, true, '    '));
  }
  const total = report.stats.filesSkipped ?? list.length;
  if (total > list.length) out.push(`  ... and ${count(total - list.length)} more`);
  return out;
}

function statsLines(ctx: Ctx, report: Report): string[] {
  const s = report.stats;
  const parts = [
    plural(s.sources, 'source'),
    `${plural(s.lines, 'line')} (${bytes(s.bytes)})`,
    ...(s.linesParsed !== undefined && s.linesParsed < s.lines ? [`${count(s.linesParsed)} parsed around possible matches`] : []),
    plural(s.records, 'record'),
    plural(s.events, 'event'),
  ];
  if (report.window) {
    const w = report.window;
    parts.push(`window ${w.since ?? 'start'} .. ${w.until ?? 'end'} (${count(s.eventsOutsideWindow ?? 0)} events outside${s.linesOutsideWindow ? `, ${count(s.linesOutsideWindow)} lines not read` : ''})`);
  }
  if (s.filesSkipped) {
    const why = Object.entries(s.skippedByReason ?? {}).map(([r, n]) => `${count(n)} ${one(r)}`).join(', ');
    parts.push(`not read in walks ${count(s.filesSkipped)} (${why}${ctx.explain ? '' : '; --explain lists them'})`);
  }
  // Every skip is counted; zero counts are said only under --explain.
  if (ctx.explain || s.linesTruncated > 0 || s.recordsTruncated > 0) parts.push(`truncated ${count(s.linesTruncated)} lines/${count(s.recordsTruncated)} records`);
  if (ctx.explain || s.sourcesBinary > 0 || s.sourcesFailed > 0) parts.push(`skipped ${count(s.sourcesBinary)} binary/${count(s.sourcesFailed)} unreadable`);
  if (s.invalidUtf8Lines > 0) parts.push(`${plural(s.invalidUtf8Lines, 'line')} with invalid UTF-8`);
  if (s.recordsMalformed > 0) parts.push(plural(s.recordsMalformed, 'malformed record'));
  if (report.warnings.length > 0) parts.push(plural(report.warnings.length, 'warning'));
  const out = wrap(ctx.c.dim(parts.join(' · ')), ctx.width, '');
  // A source that failed is listed under "Sources with errors"; its warning would say it twice.
  const listed = new Set(report.sources.filter((x) => x.error).map((x) => `${x.source}: ${x.error}`));
  for (const w of report.warnings) if (!listed.has(w)) out.push(...wrap(ctx.c.yellow(`warning: ${one(w)}`), ctx.width, '', '  '));
  return out;
}

function tailBlocks(ctx: Ctx, report: Report): string[][] {
  const skipped = ctx.explain && report.skipped?.length ? skippedBlock(ctx, report) : [];
  return [ctx.explain ? overallBlock(ctx, report) : [], neighboursBlock(ctx, report), sourcesBlock(ctx, report), skipped, statsLines(ctx, report)];
}

function join(blocks: string[][]): string {
  return (
    blocks
      .filter((b) => b.length > 0)
      .map((b) => b.join('\n'))
      .join('\n\n') + '\n'
  );
}

// ---------------------------------------------------------------- entry points

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
