/**
 * One problem's block: its head line, where it recurred, the causes (under 5% on one line),
 * the fix, what would decide it, and each record quoted once with the rule hits citing it;
 * under `--per-directory` a headline per case leads its problems.
 */
import { caseVerdict, count, detailedCauses, fittedRemediation, LIST_MIN_SCORE, location, observedLabel, percent, plural, signedWeight, UNKNOWN_CAUSE } from '../common.js';
import { byCase, type ProblemView } from '../problems.js';
import { quotedRecords, recordExcerpt, type QuotedRecord } from '../quotes.js';
import type { Incident, RankedCause } from '../../report-types.js';
import { cut, quoteLine, untab, width as displayWidth, wrap } from '../width.js';
import { commonDir, confidenceStyle, type Ctx, FIX_STEPS, GUTTER, gutter, one, RECORD_LINES, RECORDS_PER_PROBLEM, shortSource, shortTime, span } from './layout.js';

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

export function problemBlock(ctx: Ctx, view: ProblemView, label: string): string[] {
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
  return wrap(ctx.c.bold(`── ${one(kase)}: ${one(caseVerdict(views, incidents))}`), ctx.width, '', '   ');
}

export function problemBlocks(ctx: Ctx, views: ProblemView[]): string[][] {
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
