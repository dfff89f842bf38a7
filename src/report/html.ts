/**
 * One self-contained HTML file: the verdict, the summary table (one row per problem), the
 * timeline picture (html/timeline.ts) and one block per problem (html/block.ts); under
 * `--per-directory` each case gets its own headline and timeline, and nothing ranks causes
 * across cases.
 *
 * No network and no script: the page's Content-Security-Policy forbids every script, every
 * fetch and every font but the system's, and the interaction is CSS (`:target` panels,
 * `<details>`) and SVG `<title>` tooltips. Every text from a log is escaped (`& < > " '`)
 * before it enters the page; the policy is a second wall, not the first (the browser test
 * renders the page without it too).
 */
import { applyRedaction, caseVerdict, headlineText, location, percent, plural } from './common.js';
import { problemBlock } from './html/block.js';
import { timeline } from './html/timeline.js';
import { byCase, caseOfSource, groupProblems, type ProblemView } from './problems.js';
import type { Reporter, RenderOptions } from './reporter.js';
import { escapeHtml, sanitizeDeep } from './sanitize.js';
import type { Incident, Report } from '../report-types.js';

function summaryTable(views: ProblemView[]): string {
  if (views.length === 0) return '';
  const rows = views.map((v) => {
    const p = v.problem;
    const when = p.firstTime ? `${p.firstTime}${p.lastTime && p.lastTime !== p.firstTime ? ` – ${p.lastTime}` : ''}` : '';
    return (
      `<tr class="problem-row"><td><a href="#${p.id}">${p.id}</a></td><td class="num">${p.count}</td><td>${escapeHtml(when)}</td>` +
      `<td><code>${escapeHtml(location(p.source, p.line))}</code></td><td>${escapeHtml(p.stacks.join(', '))}</td>` +
      `<td>${escapeHtml(p.topCauseTitle)} <code>${escapeHtml(p.topCause)}</code></td><td class="num">${percent(p.score)}</td><td class="conf-${p.confidence}">${p.confidence}</td></tr>`
    );
  });
  return `<table class="summary"><thead><tr><th>problem</th><th>n</th><th>first – last (UTC)</th><th>where</th><th>stack</th><th>top cause</th><th>score</th><th>confidence</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** The timeline and blocks of each case (one case for the whole run without `--per-directory`). */
function cases(report: Report, views: ProblemView[], options: RenderOptions): string[] {
  const perDirectory = !!options.perDirectory;
  const out: string[] = [];
  const groups = byCase(views);
  const incidentsOf = new Map<string, Incident[]>();
  for (const i of report.incidents) {
    const k = caseOfSource(i.source, perDirectory);
    incidentsOf.set(k, [...(incidentsOf.get(k) ?? []), i]);
  }
  groups.forEach((g, n) => {
    if (perDirectory) out.push(`<section class="case"><h2>${escapeHtml(g.case)}</h2><p class="case-verdict">${escapeHtml(caseVerdict(g.views, g.incidents))}</p>`);
    out.push(`<h${perDirectory ? 3 : 2}>Timeline</h${perDirectory ? 3 : 2}>`, timeline(incidentsOf.get(g.case) ?? [], g.views, `c${n + 1}-`));
    for (const v of g.views) out.push(problemBlock(v, options.explain));
    if (perDirectory) out.push('</section>');
  });
  return out;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#1b1f24;max-width:1200px}code,pre{font-family:ui-monospace,monospace;font-size:12px}
pre{background:#f6f8fa;padding:.5em;overflow:auto;white-space:pre-wrap;word-break:break-word}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:2px 6px;text-align:left;vertical-align:top}.num{text-align:right}
.lane-bg{fill:#f6f8fa}.lane-name{font-size:12px;fill:#57606a}.axis{font-size:11px;fill:#57606a}
.incident-mark{fill:#cf222e}.fact-mark{fill:#0969da;opacity:.75}a.mark:hover .incident-mark,a.mark:hover .fact-mark,a.mark:focus .incident-mark{stroke:#000;stroke-width:2}
.pop{display:none;border:1px solid #0969da;padding:.2em .8em;margin:.5em 0}.pop:target{display:block}
.legend .dot{display:inline-block;width:10px;height:10px;border-radius:5px;background:#cf222e}.legend .bar{display:inline-block;width:4px;height:12px;background:#0969da}
section.problem{border-top:1px solid #d0d7de;margin-top:1em}section:target{outline:3px solid #0969da}ul.cites{color:#57606a}
.conf-high{color:#1a7f37;font-weight:bold}.conf-medium{color:#9a6700}.conf-low{color:#57606a}`;

export function renderHtml(input: Report, options: RenderOptions): string {
  const report = sanitizeDeep(applyRedaction(input, options));
  const perDirectory = !!options.perDirectory;
  const views = groupProblems(report.incidents, perDirectory);
  const st = report.stats;
  const body = [
    '<h1>pgtriage report</h1>',
    `<p class="verdict"><b>${escapeHtml(headlineText(report, views, perDirectory))}</b></p>`,
    summaryTable(views),
    ...cases(report, views, options),
    report.neighbours.length
      ? `<h2>Neighbours (connection failures outside the 08003 family)</h2><ul class="neighbours">${report.neighbours.map((n) => `<li>${escapeHtml(`${n.sqlstate} ${n.name}`)} <code>${escapeHtml(location(n.source, n.line))}</code><pre>${escapeHtml(n.text)}</pre></li>`).join('')}</ul>`
      : '',
    `<p class="stats">${escapeHtml(`${plural(st.sources, 'source')}, ${plural(st.lines, 'line')}, ${plural(st.records, 'record')}, ${plural(st.events, 'event')}; pgtriage ${report.tool.version}, report schema ${report.schemaVersion}`)}</p>`,
    report.warnings.length ? `<details class="warnings"><summary>${plural(report.warnings.length, 'warning')}</summary><ul>${report.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></details>` : '',
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pgtriage report</title><style>${STYLE}</style></head>
<body>
${body.filter(Boolean).join('\n')}
</body></html>
`;
}

export const htmlReporter: Reporter = {
  name: 'html',
  description: 'one self-contained HTML file: summary, a timeline with a lane per kind of source, one block per problem',
  extension: 'html',
  render: renderHtml,
};
