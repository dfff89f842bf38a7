/** After the problems: overall causes (`--explain`), neighbours, sources, walks' skips, stats and warnings. */
import { bytes, count, incidentCount, location, percent, plural } from '../common.js';
import type { Report } from '../../report-types.js';
import { cut, quoteLine, untab, wrap } from '../width.js';
import { confidenceStyle, type Ctx, one } from './layout.js';

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
    ...(s.linesThinned ? [`${count(s.linesThinned)} of dense context wording counted, not parsed`] : []),
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

export function tailBlocks(ctx: Ctx, report: Report): string[][] {
  const skipped = ctx.explain && report.skipped?.length ? skippedBlock(ctx, report) : [];
  return [ctx.explain ? overallBlock(ctx, report) : [], neighboursBlock(ctx, report), sourcesBlock(ctx, report), skipped, statsLines(ctx, report)];
}

export function join(blocks: string[][]): string {
  return (
    blocks
      .filter((b) => b.length > 0)
      .map((b) => b.join('\n'))
      .join('\n\n') + '\n'
  );
}
