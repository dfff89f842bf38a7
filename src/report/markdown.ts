/**
 * Markdown for a ticket or a pull request: headings per incident, tables for causes,
 * quoted log lines in fenced code blocks.
 *
 * Log text cannot break out: every fence is longer than the longest backtick run in the
 * text it holds; text outside code is escaped (`*`, `_`, `[`, `<`, `|`...) and kept on one
 * line where a table needs it; control characters are shown as `\x1b` like in the text
 * reporter. Rule-authored prose (titles, summaries, remediation) keeps its `code spans`.
 */
import {
  applyRedaction,
  bytes,
  count,
  detailedCauses,
  incidentCount,
  EVIDENCE_PER_CAUSE,
  fittedRemediation,
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
import { sanitizeDeep } from './sanitize.js';
import type { CauseEvidence, Incident, RankedCause, Report } from '../report-types.js';

/** Longest run of `ch` in `text`. Linear. */
function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ch) {
      run++;
      if (run > best) best = run;
    } else run = 0;
  }
  return best;
}

/** A fenced code block that `text` cannot close: the fence is longer than any backtick run in it. */
export function fenced(text: string, info = 'text'): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

/** Inline code that `text` cannot close; `|` escaped for tables, newlines folded. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const ticks = '`'.repeat(longestRun(flat, '`') + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** Escape text (from the logs) for use inline or in a table cell: one line, no markup. */
export function escapeInline(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_{}[\]<>|~&!#]/g, (ch) => `\\${ch}`)
    .replace(/^(\s*)([-+=>])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/**
 * Rule-authored prose: `code spans` are kept, everything else escaped like `escapeInline`.
 * A backtick run without a matching closer is escaped. In a table cell (`inTable`) a `|`
 * inside a code span is escaped too (GFM reads `\|` there as a pipe).
 */
export function escapeProse(text: string, inTable = false): string {
  const flat = text.replace(/\r?\n/g, ' ');
  let out = '';
  let i = 0;
  let plainFrom = 0;
  while (i < flat.length) {
    if (flat[i] !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (j < flat.length && flat[j] === '`') j++;
    const opener = flat.slice(i, j);
    // find a closing run of exactly the same length
    let k = flat.indexOf(opener, j);
    while (k !== -1 && (flat[k + opener.length] === '`' || flat[k - 1] === '`')) {
      let e = k;
      while (e < flat.length && flat[e] === '`') e++;
      k = flat.indexOf(opener, e);
    }
    if (k === -1) {
      i = j;
      continue;
    }
    const code = flat.slice(j, k);
    out += escapeInline(flat.slice(plainFrom, i)) + opener + (inTable ? code.replace(/\|/g, '\\|') : code) + opener;
    i = k + opener.length;
    plainFrom = i;
  }
  return out + escapeInline(flat.slice(plainFrom));
}

function table(head: string[], align: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), `|${align.join('|')}|`, ...rows.map(line)].join('\n');
}

function evidenceSection(title: string, items: CauseEvidence[], explain: boolean): string[] {
  if (items.length === 0) return [];
  const shown = explain ? items : items.slice(0, EVIDENCE_PER_CAUSE);
  const rows = shown.map((e) => [
    inlineCode(location(e.source, e.line)),
    inlineCode(e.ruleId),
    signedWeight(e.weight),
    escapeProse(e.reason, true),
  ]);
  const quoted = shown.map((e) => {
    const loc = location(e.source, e.line);
    const pad = ' '.repeat(loc.length + 2);
    return e.text
      .split('\n')
      .map((l, i) => (i === 0 ? `${loc}  ${l}` : pad + l))
      .join('\n');
  });
  const out = [`**${title}**`, '', table(['Location', 'Rule', 'Weight', 'What it means'], ['---', '---', '--:', '---'], rows), '', fenced(quoted.join('\n'))];
  if (shown.length < items.length) out.push('', `_+${items.length - shown.length} more; \`--explain\` shows all._`);
  return out;
}

function causeSection(incident: Incident, cause: RankedCause, rank: number, explain: boolean): string[] {
  const out = [`#### ${rank}. ${escapeProse(cause.title)} — ${percent(cause.score)} (${cause.confidence})`, ''];
  if (cause.summary) out.push(escapeProse(cause.summary), '');
  const support = cause.evidence.filter((e) => e.direction === 'for');
  const against = cause.contradicting.length > 0 ? cause.contradicting : cause.evidence.filter((e) => e.direction === 'against');
  const s = evidenceSection('Supporting evidence', support, explain);
  if (s.length) out.push(...s, '');
  const a = evidenceSection('Contradicting evidence', against, explain);
  if (a.length) out.push(...a, '');
  const steps = fittedRemediation(cause, incident.stacks, explain);
  if (steps.length > 0) {
    const stacks = [...new Set(steps.map((x) => x.stack))].map(escapeInline).join(', ');
    out.push(`**Remediation (${stacks})**`, '');
    for (const step of steps) out.push(`- **${escapeInline(step.stack)}**: ${escapeProse(step.text)}`);
    const hidden = cause.remediation.length - steps.length;
    if (hidden > 0) out.push('', `_+${plural(hidden, 'step')} for other stacks; \`--explain\` shows all._`);
    out.push('');
  }
  return out;
}

function incidentSection(incident: Incident, explain: boolean): string[] {
  const out = [`## Incident ${escapeInline(incident.id)} — SQLSTATE ${escapeInline(incident.sqlstate)} (${escapeInline(incident.kind)})`, ''];
  const rows: string[][] = [];
  const time = timeLabel(incident.time, incident.timeNaive);
  if (time) rows.push(['Time', escapeInline(time)]);
  rows.push(['Failure', `${inlineCode(location(incident.source, incident.line, incident.endLine))} (${escapeInline(incident.format)}, ${escapeInline(incident.origin)})`]);
  rows.push(['Observed SQLSTATEs', escapeInline(observedLabel(incident))]);
  if (incident.stacks.length) rows.push(['Stacks', escapeInline(incident.stacks.join(', '))]);
  if (incident.exception) rows.push(['Exception', inlineCode(incident.exception)]);
  if (incident.driver) rows.push(['Driver', inlineCode(incident.driver)]);
  if (incident.pipeline) rows.push(['Pipeline', escapeInline(incident.pipeline)]);
  if (incident.activity) rows.push(['Activity', escapeInline(incident.activity)]);
  if (incident.model) rows.push(['Model', escapeInline(incident.model)]);
  if (incident.why) rows.push([`Why ${escapeInline(incident.sqlstate)}`, escapeInline(incident.why)]);
  out.push(table(['Field', 'Value'], ['---', '---'], rows), '');

  const failure = incident.evidence.find((e) => e.role === 'failure');
  out.push('**Failure**', '', fenced(failure ? failure.text : incident.message), '');

  if (explain && incident.evidence.length > 0) {
    const lines = incident.evidence.map((e) => {
      const head = `${e.time ? `${e.time}${e.timeNaive ? '?' : ''} ` : ''}${location(e.source, e.line, e.endLine)}  `;
      const pad = ' '.repeat(head.length);
      return e.text
        .split('\n')
        .map((l, i) => (i === 0 ? head + l : pad + l))
        .join('\n');
    });
    out.push('**Timeline**', '', fenced(lines.join('\n')), '');
  }

  out.push('### Causes', '');
  if (incident.causes.length === 0) out.push('_No cause scored._', '');
  else {
    const rows = incident.causes.map((c, i) => [
      String(i + 1),
      `${escapeProse(c.title, true)} (${inlineCode(c.id)})`,
      percent(c.score),
      c.confidence,
    ]);
    out.push(table(['#', 'Cause', 'Score', 'Confidence'], ['--:', '---', '--:', '---'], rows), '');
    const detailed = new Set(detailedCauses(incident.causes, explain));
    incident.causes.forEach((c, i) => {
      if (detailed.has(c) && (c.id !== UNKNOWN_CAUSE || i === 0)) out.push(...causeSection(incident, c, i + 1, explain));
    });
  }

  if (incident.missing.length > 0) {
    out.push('### What would decide it', '');
    for (const m of incident.missing) out.push(`- ${escapeProse(m)}`);
    out.push('');
  }
  return out;
}

export function renderMarkdown(input: Report, options: RenderOptions): string {
  const report = sanitizeDeep(applyRedaction(input, options));
  const explain = options.explain;
  const out: string[] = ['# pgtriage report', '', `**${escapeInline(verdict(report).text)}**`, ''];

  for (const incident of report.incidents) out.push(...incidentSection(incident, explain));

  if (report.causes.length > 0) {
    out.push('## Overall causes', '');
    const n = incidentCount(report);
    const rows = report.causes.map((c) => [
      `${escapeProse(c.title, true)} (${inlineCode(c.id)})`,
      percent(c.score),
      c.confidence,
      `${c.topIn}/${n}`,
      escapeInline(c.incidents.join(', ')),
    ]);
    out.push(table(['Cause', 'Score', 'Confidence', 'Top in', 'Incidents'], ['---', '--:', '---', '--:', '---'], rows), '');
  }

  if (report.neighbours.length > 0) {
    out.push('## Neighbours (connection failures outside the 08003 family)', '');
    const rows = report.neighbours.map((nb) => [
      escapeInline(nb.sqlstate),
      escapeInline(nb.name),
      inlineCode(location(nb.source, nb.line)),
      nb.time ? escapeInline(nb.time) : '',
      escapeInline(nb.why),
    ]);
    out.push(table(['SQLSTATE', 'Name', 'Location', 'Time', 'Why'], ['---', '---', '---', '---', '---'], rows), '');
    const quoted = report.neighbours.map((nb) => {
      const loc = location(nb.source, nb.line);
      const pad = ' '.repeat(loc.length + 2);
      return nb.text
        .split('\n')
        .map((l, i) => (i === 0 ? `${loc}  ${l}` : pad + l))
        .join('\n');
    });
    out.push(fenced(quoted.join('\n')), '');
  }

  const sources = explain ? report.sources : report.sources.filter((s) => s.error);
  if (sources.length > 0) {
    out.push('## Sources', '');
    const rows = sources.map((s) => [
      inlineCode(s.source),
      escapeInline(
        Object.entries(s.formats)
          .map(([f, n]) => `${f} ${count(n ?? 0)}`)
          .join(', '),
      ),
      `${count(s.lines)} / ${bytes(s.bytes)}`,
      escapeInline(s.detection),
      s.error ? escapeInline(s.error) : '',
    ]);
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
    out.push('## Warnings', '');
    for (const w of report.warnings) out.push(`- ${escapeInline(w)}`);
    out.push('');
  }
  out.push(`_${escapeInline(`pgtriage ${report.tool.version}, report schema ${report.schemaVersion}`)}_`);
  return out.join('\n') + '\n';
}

export const markdownReporter: Reporter = {
  name: 'markdown',
  description: 'Markdown for a ticket: headings, tables, evidence in code blocks',
  extension: 'md',
  render: renderMarkdown,
};
