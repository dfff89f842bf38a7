/**
 * The default reporter: readable at a glance in a terminal.
 *
 * Every string from the report is redacted (unless turned off) and sanitized before any
 * layout happens, so control characters in the logs are shown as `\x1b`, `\r`, `\u202e`
 * and never reach the terminal; colour codes are added afterwards, only when enabled.
 * Evidence is quoted in full (`file:line  text`), never cut to the width.
 */
import { palette, type Palette } from './color.js';
import {
  applyRedaction,
  applyRedactionIncident,
  bytes,
  count,
  detailedCauses,
  incidentCount,
  EVIDENCE_PER_CAUSE,
  fittedRemediation,
  LIST_MIN_SCORE,
  listedCauses,
  location,
  observedLabel,
  percent,
  plural,
  signedWeight,
  timeLabel,
  UNKNOWN_CAUSE,
  verdict,
} from './common.js';
import type { Reporter, RenderOptions } from './reporter.js';
import { sanitizeDeep, sanitizeLine } from './sanitize.js';
import type { CauseEvidence, Confidence, Incident, RankedCause, Report } from '../report-types.js';

const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 40;

/** Layout state for one render. */
interface Ctx {
  c: Palette;
  explain: boolean;
  width: number;
}

/** One-line form of an already sanitized string (LF and TAB shown as `\n`, `\t`). */
function one(s: string): string {
  return sanitizeLine(s);
}

/** Word-wrap prose to the width with a hanging indent; long words are left whole. */
function wrap(text: string, indent: string, width: number, firstIndent = indent): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = out.length === 0 ? firstIndent : indent;
    let lineHasWord = false;
    for (const word of para.split(/ +/)) {
      if (word === '') continue;
      if (lineHasWord && line.length + 1 + word.length > width) {
        out.push(line);
        line = indent + word;
      } else {
        line += (lineHasWord ? ' ' : '') + word;
      }
      lineHasWord = true;
    }
    out.push(line);
  }
  return out;
}

/**
 * Quote a possibly multi-line text after a prefix, continuation lines aligned under it.
 * `style` is applied per line so colour never spans a newline.
 */
function quote(prefix: string, prefixWidth: number, text: string, style: (s: string) => string = (s) => s): string[] {
  const lines = text.split('\n');
  const pad = ' '.repeat(prefixWidth);
  return lines.map((l, i) => (i === 0 ? prefix : pad) + (l === '' ? l : style(l)));
}

function confidenceStyle(c: Palette, confidence: Confidence): (s: string) => string {
  switch (confidence) {
    case 'high':
      return (s) => c.bold(c.green(s));
    case 'medium':
      return c.yellow;
    default:
      return c.dim;
  }
}

function evidenceLines(ctx: Ctx, indent: string, items: CauseEvidence[], direction: 'for' | 'against'): string[] {
  const { c } = ctx;
  const out: string[] = [];
  const shown = ctx.explain ? items : items.slice(0, EVIDENCE_PER_CAUSE);
  const mark = direction === 'for' ? c.green : c.yellow;
  for (const e of shown) {
    const loc = location(one(e.source), e.line);
    out.push(...quote(`${indent}${c.cyan(loc)}  `, indent.length + loc.length + 2, e.text));
    const reason = e.reason ? ` ${e.reason.split('\n').join(' ')}` : '';
    out.push(`${indent}    ${mark(`[${one(e.ruleId)} ${signedWeight(e.weight)}]`)}${c.dim(reason)}`);
  }
  if (shown.length < items.length) out.push(`${indent}${c.dim(`(+${items.length - shown.length} more, --explain shows all)`)}`);
  return out;
}

function causeBlock(ctx: Ctx, incident: Incident, cause: RankedCause, rank: number, detailed: boolean): string[] {
  const { c } = ctx;
  const out: string[] = [];
  const style = confidenceStyle(c, cause.confidence);
  const num = `${rank}.`.padStart(3);
  const pct = percent(cause.score).padStart(4);
  const conf = cause.confidence.padEnd(6);
  const title = cause.id === UNKNOWN_CAUSE ? c.dim(one(cause.title || 'unknown')) : c.bold(one(cause.title));
  out.push(`  ${num} ${style(pct)}  ${style(conf)}  ${title}  ${c.dim(`[${one(cause.id)}]`)}`);
  if (!detailed) return out;
  const ind = '       ';
  if (cause.summary) out.push(...wrap(cause.summary, ind, ctx.width));
  const support = cause.evidence.filter((e) => e.direction === 'for');
  // `contradicting` is authoritative; fall back to `against` items of `evidence`.
  const against = cause.contradicting.length > 0 ? cause.contradicting : cause.evidence.filter((e) => e.direction === 'against');
  if (support.length > 0) {
    out.push(`${ind}${c.green('for:')}`);
    out.push(...evidenceLines(ctx, `${ind}  `, support, 'for'));
  }
  if (against.length > 0) {
    out.push(`${ind}${c.yellow('against:')}`);
    out.push(...evidenceLines(ctx, `${ind}  `, against, 'against'));
  }
  const steps = fittedRemediation(cause, incident.stacks, ctx.explain);
  if (steps.length > 0) {
    const stacks = [...new Set(steps.map((s) => one(s.stack)))].join(', ');
    out.push(`${ind}${c.bold(`fix (${stacks}):`)}`);
    for (const s of steps) out.push(...wrap(`${one(s.stack)}: ${s.text}`, `${ind}    `, ctx.width, `${ind}  - `));
    const hidden = cause.remediation.length - steps.length;
    if (hidden > 0) out.push(`${ind}  ${c.dim(`(+${plural(hidden, 'step')} for other stacks, --explain shows all)`)}`);
  }
  return out;
}

function incidentBlock(ctx: Ctx, incident: Incident): string[] {
  const { c } = ctx;
  const out: string[] = [];
  const head = [c.bold(`Incident ${one(incident.id)}`)];
  const time = timeLabel(incident.time, incident.timeNaive);
  if (time) head.push(one(time));
  head.push(`${c.red(c.bold(`SQLSTATE ${one(incident.sqlstate)}`))} ${one(incident.kind)} (observed: ${one(observedLabel(incident))})`);
  out.push(head.join('  ·  '));
  out.push(...quote('  ', 2, incident.message, c.red));
  const where = [`  at ${c.cyan(location(one(incident.source), incident.line, incident.endLine))}`, c.dim(`(${one(incident.format)}, ${one(incident.origin)})`)];
  if (incident.stacks.length > 0) where.push(`stacks: ${incident.stacks.map(one).join(', ')}`);
  out.push(where.join('  '));
  const context: string[] = [];
  if (incident.exception) context.push(`exception ${one(incident.exception)}`);
  if (incident.driver) context.push(`driver ${one(incident.driver)}`);
  if (incident.pipeline) context.push(`pipeline ${one(incident.pipeline)}`);
  if (incident.activity) context.push(`activity ${one(incident.activity)}`);
  if (incident.model) context.push(`model ${one(incident.model)}`);
  if (context.length > 0) out.push(`  ${c.dim(context.join(' · '))}`);
  if (incident.why) out.push(...wrap(`why ${incident.sqlstate}: ${incident.why}`, '    ', ctx.width, '  '));

  if (ctx.explain && incident.evidence.length > 0) {
    out.push('', `  ${c.bold('Timeline')}`);
    for (const e of incident.evidence) {
      const loc = location(one(e.source), e.line, e.endLine);
      const t = e.time ? `${one(e.time)}${e.timeNaive ? '?' : ''} ` : '';
      const prefix = `    ${t}${loc}  `;
      const styled = `    ${c.dim(t)}${c.cyan(loc)}  `;
      out.push(...quote(styled, prefix.length, e.text, e.role === 'failure' ? c.red : undefined));
      if (e.rules && e.rules.length > 0) out.push(`      ${c.dim(`rules: ${e.rules.map(one).join(', ')}`)}`);
    }
  }

  out.push('', `  ${c.bold('Causes')}`);
  if (incident.causes.length === 0) out.push(`    ${c.dim('no cause scored')}`);
  const detailed = new Set(detailedCauses(incident.causes, ctx.explain));
  const listed = listedCauses(incident.causes, ctx.explain);
  listed.forEach((cause, i) => {
    out.push(...causeBlock(ctx, incident, cause, i + 1, detailed.has(cause)));
  });
  const folded = incident.causes.length - listed.length;
  if (folded > 0) out.push(`       ${c.dim(`(+${folded} more under ${percent(LIST_MIN_SCORE)}, --explain shows all)`)}`);

  if (incident.missing.length > 0) {
    out.push('', `  ${c.bold('What would decide it')}`);
    for (const m of incident.missing) out.push(...wrap(m, '      ', ctx.width, '    - '));
  }
  return out;
}

function overallBlock(ctx: Ctx, report: Report): string[] {
  const { c } = ctx;
  if (report.causes.length === 0) return [];
  const out = [c.bold('Overall causes')];
  const n = incidentCount(report);
  out.push(c.dim(`  score  confidence  top in  cause`));
  for (const cause of report.causes) {
    const style = confidenceStyle(c, cause.confidence);
    const top = `${cause.topIn}/${n}`.padEnd(6);
    const title = cause.id === UNKNOWN_CAUSE ? c.dim(one(cause.title || 'unknown')) : one(cause.title);
    out.push(`  ${style(percent(cause.score).padStart(5))}  ${style(cause.confidence.padEnd(10))}  ${top}  ${title}  ${c.dim(`[${one(cause.id)}]`)}`);
    if (ctx.explain && cause.incidents.length > 0) out.push(`  ${c.dim(`       incidents: ${cause.incidents.map(one).join(', ')}`)}`);
  }
  return out;
}

function neighboursBlock(ctx: Ctx, report: Report): string[] {
  const { c } = ctx;
  if (report.neighbours.length === 0) return [];
  const out = [c.bold('Neighbours (connection failures outside the 08003 family)')];
  for (const nb of report.neighbours) {
    const loc = location(one(nb.source), nb.line);
    const head = `  ${c.yellow(one(nb.sqlstate))} ${one(nb.name)}${nb.time ? `  ${one(nb.time)}` : ''}  `;
    const headPlain = `  ${one(nb.sqlstate)} ${one(nb.name)}${nb.time ? `  ${one(nb.time)}` : ''}  `;
    out.push(...quote(`${head}${c.cyan(loc)}  `, headPlain.length + loc.length + 2, nb.text));
    if (ctx.explain && nb.why) out.push(...wrap(nb.why, '      ', ctx.width, '    why: '));
  }
  return out;
}

function sourcesBlock(ctx: Ctx, report: Report): string[] {
  const { c } = ctx;
  const shown = ctx.explain ? report.sources : report.sources.filter((s) => s.error);
  if (shown.length === 0) return [];
  const out = [c.bold(ctx.explain ? 'Sources' : 'Sources with errors')];
  for (const s of shown) {
    const formats = Object.entries(s.formats)
      .map(([f, n]) => `${one(f)} ${count(n ?? 0)}`)
      .join(', ');
    out.push(`  ${c.cyan(one(s.source))}  ${plural(s.lines, 'line')}, ${bytes(s.bytes)}${formats ? `  [${formats}]` : ''}`);
    if (s.detection) out.push(...wrap(s.detection, '      ', ctx.width, '    detected: '));
    if (s.error) out.push(`    ${c.red(`error: ${one(s.error)}`)}`);
  }
  return out;
}

/** --explain: every entry a directory walk did not read, with the reason and what decided it. */
function skippedBlock(ctx: Ctx, report: Report): string[] {
  const list = report.skipped ?? [];
  const out = [ctx.c.bold('Not read in directory walks')];
  for (const e of list) out.push(`  ${one(e.path)}${e.directory ? '/' : ''}  ${ctx.c.dim(`${one(e.reason)}${e.detail ? `: ${one(e.detail)}` : ''}`)}`);
  const total = report.stats.filesSkipped ?? list.length;
  if (total > list.length) out.push(`  ... and ${count(total - list.length)} more`);
  return out;
}

function statsLine(ctx: Ctx, report: Report): string {
  const s = report.stats;
  const parts = [
    plural(s.sources, 'source'),
    `${plural(s.lines, 'line')} (${bytes(s.bytes)})`,
    ...(s.linesParsed !== undefined && s.linesParsed < s.lines ? [`${count(s.linesParsed)} parsed around possible matches`] : []),
    plural(s.records, 'record'),
    plural(s.events, 'event'),
    `truncated ${count(s.linesTruncated)} lines/${count(s.recordsTruncated)} records`,
    `skipped ${count(s.sourcesBinary)} binary/${count(s.sourcesFailed)} unreadable`,
  ];
  if (report.window) {
    const w = report.window;
    parts.push(`window ${w.since ?? 'start'} .. ${w.until ?? 'end'} (${count(s.eventsOutsideWindow ?? 0)} events outside)`);
  }
  if (s.filesSkipped) {
    const why = Object.entries(s.skippedByReason ?? {}).map(([r, n]) => `${count(n)} ${one(r)}`).join(', ');
    parts.push(`not read in walks ${count(s.filesSkipped)} (${why}${ctx.explain ? '' : '; --explain lists them'})`);
  }
  if (s.invalidUtf8Lines > 0) parts.push(`${plural(s.invalidUtf8Lines, 'line')} with invalid UTF-8`);
  if (s.recordsMalformed > 0) parts.push(`${plural(s.recordsMalformed, 'malformed record')}`);
  if (report.warnings.length > 0) parts.push(plural(report.warnings.length, 'warning'));
  return ctx.c.dim(parts.join(' · '));
}

function context(options: RenderOptions): Ctx {
  return {
    c: palette(options.color),
    explain: options.explain,
    width: Math.max(MIN_WIDTH, options.width ?? DEFAULT_WIDTH),
  };
}

function join(blocks: string[][]): string {
  return (
    blocks
      .filter((b) => b.length > 0)
      .map((b) => b.join('\n'))
      .join('\n\n') + '\n'
  );
}

function verdictLine(ctx: Ctx, report: Report): string[] {
  const { c } = ctx;
  const v = verdict(report);
  return [`${c.bold('pgtriage:')} ${v.found ? c.bold(c.red(one(v.text))) : c.green(one(v.text))}`];
}

/** Everything after the incidents: overall causes, neighbours, sources, stats, warnings. */
function summaryBlocks(ctx: Ctx, report: Report): string[][] {
  const blocks: string[][] = [];
  if (incidentCount(report) > 1 || ctx.explain) blocks.push(overallBlock(ctx, report));
  blocks.push(neighboursBlock(ctx, report));
  blocks.push(sourcesBlock(ctx, report));
  if (ctx.explain && report.skipped?.length) blocks.push(skippedBlock(ctx, report));
  const tail = [statsLine(ctx, report)];
  // A source that failed is listed under "Sources with errors"; its warning would say it twice.
  const listed = new Set(report.sources.filter((s) => s.error).map((s) => `${s.source}: ${s.error}`));
  for (const w of report.warnings) if (!listed.has(w)) tail.push(ctx.c.yellow(`warning: ${one(w)}`));
  blocks.push(tail);
  return blocks;
}

export function renderText(input: Report, options: RenderOptions): string {
  const report = sanitizeDeep(applyRedaction(input, options));
  const ctx = context(options);
  return join([verdictLine(ctx, report), ...report.incidents.map((i) => incidentBlock(ctx, i)), ...summaryBlocks(ctx, report)]);
}

/** Streaming: one incident block followed by a blank line. */
export function renderTextIncident(input: Incident, options: RenderOptions): string {
  const incident = sanitizeDeep(applyRedactionIncident(input, options));
  return join([incidentBlock(context(options), incident)]) + '\n';
}

/** Streaming: the summary sections, then the verdict (it needs every incident). */
export function renderTextSummary(input: Report, options: RenderOptions): string {
  const report = sanitizeDeep(applyRedaction(input, options));
  const ctx = context(options);
  return join([...summaryBlocks(ctx, report), verdictLine(ctx, report)]);
}

export const textReporter: Reporter = {
  name: 'text',
  description: 'readable summary for a terminal (default)',
  extension: 'txt',
  render: renderText,
  renderIncident: renderTextIncident,
  renderSummary: renderTextSummary,
};
