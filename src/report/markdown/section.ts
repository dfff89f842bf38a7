/**
 * The parts of the Markdown report: the summary table, one section per problem, the case
 * headline under `--per-directory` and the tail (neighbours, sources, stats, warnings).
 * Each part is built at a level of detail; markdown.ts picks the levels that fit the budget.
 *
 * Level 0 quotes every record whole; level 1 shortens the long ones (the failure record and
 * any record over `LONG_RECORD` lines) to their deciding lines; level 2 keeps one line per
 * record, fewer occurrences and one fix step. At every level a record is quoted once, the
 * rule hits that cite it as one-liners under it, and the raw failure record comes after the
 * causes, folded in `<details>`.
 */
import { bytes, caseVerdict, count, fittedRemediation, LIST_MIN_SCORE, location, percent, plural, signedWeight } from '../common.js';
import type { ProblemView } from '../problems.js';
import { quotedRecords, recordExcerpt, type QuotedRecord } from '../quotes.js';
import { escapeHtml } from '../sanitize.js';
import type { Report } from '../../report-types.js';
import { escapeInline, escapeProse, fenced, inlineCode, table } from './escape.js';

export type Level = 0 | 1 | 2;

/** Records longer than this are shortened from level 1 on. */
const LONG_RECORD = 6;
/** A first line quoted at level 2 is cut here. */
const FIRST_LINE_CHARS = 160;

/** The directory every path lies under ('' when none is shared). */
export function commonDir(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  let dir = paths[0]!.includes('/') ? paths[0]!.slice(0, paths[0]!.lastIndexOf('/')) : '';
  for (const p of paths) while (dir && !p.startsWith(`${dir}/`)) dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  return dir;
}

const under = (source: string, dir: string): string => (dir && source.startsWith(`${dir}/`) ? source.slice(dir.length + 1) : source);

/** `… 3 lines …` markers where an excerpt skipped lines: nothing is dropped silently. */
function shortened(text: string, lines: number, needle: string): string {
  const ex = recordExcerpt(text, lines, needle);
  const body = ex.lines.map((l) => (l.skippedBefore ? `… ${plural(l.skippedBefore, 'line')} …\n${l.text}` : l.text)).join('\n');
  return ex.skippedAfter ? `${body}\n… ${plural(ex.skippedAfter, 'more line')}` : body;
}

function citations(r: QuotedRecord): string[] {
  return r.citations.map((c) => {
    const effects = c.effects.map((e) => `${e.cause} ${signedWeight(e.weight)}`).join(', ');
    return `  - ${inlineCode(c.ruleId)} ${escapeInline(effects)} — ${escapeProse(c.reason)}${c.text ? ` ${inlineCode(c.text)}` : ''}`;
  });
}

/** A non-failure record as one list item, the rule hits that cite it nested under it. */
function recordItem(r: QuotedRecord, dir: string, level: Level, needle: string, explain: boolean): string[] {
  const loc = inlineCode(location(under(r.source, dir), r.line, r.endLine));
  const lines = r.text.split('\n');
  if (lines.length === 1 || (level >= 2 && !explain)) {
    const first = lines[0] ?? '';
    const shown = level >= 2 && !explain && first.length > FIRST_LINE_CHARS ? `${first.slice(0, FIRST_LINE_CHARS - 1)}…` : first;
    return [`- ${loc} ${inlineCode(shown)}${lines.length > 1 ? ` _(+${plural(lines.length - 1, 'line')})_` : ''}`, ...citations(r)];
  }
  const text = level >= 1 && !explain && lines.length > LONG_RECORD ? shortened(r.text, LONG_RECORD, needle) : r.text;
  return [`- ${loc}`, '', fenced(text).replace(/^/gm, '  '), '', ...citations(r)];
}

/** The raw failure record, folded: long (a traceback) and rarely what a reader needs first. */
function failureDetails(r: QuotedRecord, dir: string, level: Level, needle: string, explain: boolean): string[] {
  const n = r.text.split('\n').length;
  const text = level === 0 || explain ? r.text : shortened(r.text, level === 1 ? LONG_RECORD : 3, needle);
  const loc = location(under(r.source, dir), r.line, r.endLine);
  return [`<details><summary>Failure record <code>${escapeHtml(loc)}</code> (${plural(n, 'line')})</summary>`, '', fenced(text), '', '</details>', ''];
}

export function problemSection(view: ProblemView, level: Level, explain: boolean, heading: string): string[] {
  const { problem: p, representative: incident, occurrences } = view;
  // Paths inside a section are shown below the directory its sources share, named once here.
  const dir = p.case ?? commonDir([...p.sources, ...incident.evidence.map((e) => e.source)]);
  const out: string[] = [];
  const when = p.firstTime ? ` · ${escapeInline(p.firstTime)}${p.lastTime && p.lastTime !== p.firstTime ? ` – ${escapeInline(p.lastTime)}` : ''}` : '';
  out.push(`${heading} ${p.id} · ${plural(p.count, 'incident')} · ${escapeInline(`${incident.sqlstate} ${incident.kind}`)}${when}`, '');
  const meta = [`${escapeInline(incident.format)}/${escapeInline(incident.origin)}`];
  if (dir && !p.case) meta.push(`in ${inlineCode(`${dir}/`)}`);
  if (p.stacks.length) meta.push(`stacks ${escapeInline(p.stacks.join(', '))}`);
  for (const [k, v] of [['exception', incident.exception], ['driver', incident.driver], ['pipeline', incident.pipeline], ['activity', incident.activity], ['model', incident.model]] as const) {
    if (v) meta.push(`${k} ${inlineCode(v)}`);
  }
  out.push(meta.join(' · '), '');
  if (p.count > 1) {
    const shown = explain ? occurrences : occurrences.slice(0, level >= 2 ? 5 : 20);
    out.push(`At ${shown.map((o) => `${escapeInline(o.id)} ${inlineCode(location(under(o.source, dir), o.line))}`).join(', ')}${p.count > shown.length ? `, +${count(p.count - shown.length)} more` : ''}.`, '');
  }
  const listed = explain ? incident.causes : incident.causes.filter((c, i) => i === 0 || c.score >= LIST_MIN_SCORE);
  const folded = incident.causes.filter((c) => !listed.includes(c));
  out.push('**Causes**', '');
  if (incident.causes.length === 0) out.push('_No cause scored._');
  listed.forEach((c, i) => out.push(`${i + 1}. **${percent(c.score)}** ${c.confidence} — ${escapeProse(c.title)} (${inlineCode(c.id)})`));
  // Causes under 5% share one line: listed, they would crowd out the evidence.
  if (folded.length) out.push('', `_+${folded.length} under ${percent(LIST_MIN_SCORE)}: ${folded.map((c) => `${escapeInline(c.id)} ${percent(c.score)}`).join(', ')}_`);
  out.push('');
  const top = incident.causes[0];
  if (top && explain && top.summary) out.push(escapeProse(top.summary), '');
  if (top) {
    const steps = fittedRemediation(top, incident.stacks, explain);
    const shown = explain ? steps : steps.slice(0, level >= 2 ? 1 : 3);
    if (shown.length) {
      out.push('**Fix**', '');
      for (const s of shown) out.push(`- **${escapeInline(s.stack)}**: ${escapeProse(s.text)}`);
      if (top.remediation.length > shown.length) out.push(`- _+${plural(top.remediation.length - shown.length, 'step')} for other stacks or under \`--explain\`_`);
      out.push('');
    }
  }
  if (incident.missing.length && (explain || !top || top.confidence !== 'high')) {
    out.push('**What would decide it**', '');
    for (const m of explain ? incident.missing : incident.missing.slice(0, level >= 2 ? 1 : 2)) out.push(`- ${escapeProse(m)}`);
    out.push('');
  }
  const records = quotedRecords(incident, listed, explain);
  const shown = explain ? records : records.slice(0, level >= 2 ? 4 : 8);
  const failure = shown.filter((r) => r.role === 'failure');
  out.push(`**Evidence**${p.count > 1 ? ` (of ${escapeInline(incident.id)})` : ''}`, '');
  for (const r of shown) {
    if (r.role !== 'failure') out.push(...recordItem(r, dir, level, incident.message, explain));
    // The failure record's own rule hits stay in the list; its text is folded below.
    else if (r.citations.length) out.push(`- ${inlineCode(location(under(r.source, dir), r.line, r.endLine))} _the failure record, below_`, ...citations(r));
  }
  if (shown.length < records.length) out.push(`- _+${plural(records.length - shown.length, 'more record')} (\`--explain\`)_`);
  out.push('');
  for (const r of failure) out.push(...failureDetails(r, dir, level, incident.message, explain));
  return out;
}

/** One headline per case: its own verdict, never a ranking across cases. */
export function caseHeadline(kase: string, views: readonly ProblemView[], incidents: number): string[] {
  return [`## ${escapeInline(kase)}`, '', escapeProse(caseVerdict(views, incidents)), ''];
}

export function summaryRow(v: ProblemView): string[] {
  const p = v.problem;
  const when = p.firstTime ? `${p.firstTime.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')}${p.lastTime && p.lastTime !== p.firstTime ? ` – ${p.lastTime.slice(11, 19)}` : ''}` : '';
  return [`[${p.id}](#${p.id.toLowerCase()})`, count(p.count), escapeInline(when), inlineCode(location(p.source, p.line)), escapeInline(p.stacks.join(', ')), inlineCode(p.topCause), percent(p.score), p.confidence];
}

export function summaryTable(rows: string[][]): string {
  return table(['Problem', 'n', 'First – last (UTC)', 'Where', 'Stack', 'Top cause', 'Score', 'Confidence'], ['---', '--:', '---', '---', '---', '---', '--:', '---'], rows);
}

/** How much of the tail to keep: all of it, a few rows of each list, or counts only. */
export type TailMode = 'full' | 'compact' | 'minimal';

export function tail(report: Report, explain: boolean, mode: TailMode): string[] {
  const out: string[] = [];
  const rowsOf = <T>(list: readonly T[], full: number): T[] => list.slice(0, explain && mode === 'full' ? undefined : mode === 'full' ? full : mode === 'compact' ? 5 : 0);
  if (report.neighbours.length > 0) {
    out.push('## Neighbours (connection failures outside the 08003 family)', '');
    const rows = rowsOf(report.neighbours, 20).map((nb) => [escapeInline(nb.sqlstate), escapeInline(nb.name), inlineCode(location(nb.source, nb.line)), nb.time ? escapeInline(nb.time) : '', inlineCode((nb.text.split('\n', 1)[0] ?? '').slice(0, 200))]);
    if (rows.length) out.push(table(['SQLSTATE', 'Name', 'Location', 'Time', 'Line'], ['---', '---', '---', '---', '---'], rows), '');
    if (rows.length < report.neighbours.length) out.push(`_${rows.length ? '+' : ''}${plural(report.neighbours.length - rows.length, rows.length ? 'more' : 'neighbour', rows.length ? 'more' : 'neighbours')}; the JSON report lists all._`, '');
  }
  const sources = explain && mode === 'full' ? report.sources : rowsOf(report.sources.filter((s) => s.error), 50);
  if (sources.length > 0) {
    out.push('## Sources', '');
    const rows = sources.map((s) => [inlineCode(s.source), escapeInline(Object.entries(s.formats).map(([f, n]) => `${f} ${count(n ?? 0)}`).join(', ')), `${count(s.lines)} / ${bytes(s.bytes)}`, escapeInline(s.detection), s.error ? escapeInline(s.error) : '']);
    out.push(table(['Source', 'Formats', 'Lines / size', 'Detection', 'Error'], ['---', '---', '--:', '---', '---'], rows), '');
  }
  const st = report.stats;
  out.push(
    '## Stats',
    '',
    `${plural(st.sources, 'source')}, ${plural(st.lines, 'line')} (${bytes(st.bytes)}), ${plural(st.records, 'record')}, ${plural(st.events, 'event')}; ` +
      `truncated ${count(st.linesTruncated)} lines and ${count(st.recordsTruncated)} records; ` +
      `skipped ${count(st.sourcesBinary)} binary and ${count(st.sourcesFailed)} unreadable sources; ` +
      `${count(st.invalidUtf8Lines)} lines with invalid UTF-8; ${count(st.recordsMalformed)} malformed records.`,
    '',
  );
  if (report.warnings.length > 0) {
    const shown = rowsOf(report.warnings, 50);
    out.push('## Warnings', '');
    for (const w of shown) out.push(`- ${escapeInline(mode === 'full' ? w : w.length > 300 ? `${w.slice(0, 299)}…` : w)}`);
    if (report.warnings.length > shown.length) out.push(`- _${shown.length ? '+' : ''}${plural(report.warnings.length - shown.length, shown.length ? 'more' : 'warning', shown.length ? 'more' : 'warnings')}; the text and JSON reports list all_`);
    out.push('');
  }
  out.push(`_${escapeInline(`pgtriage ${report.tool.version}, report schema ${report.schemaVersion}`)}_`);
  return out;
}
