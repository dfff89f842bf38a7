/**
 * One problem's block in the HTML report: its causes (under 5% on one line), the fix, what
 * would decide it, each record quoted once with the rule hits citing it as one-liners, and the
 * raw failure record after the causes, folded in `<details>`. Every text is escaped.
 */
import { fittedRemediation, LIST_MIN_SCORE, location, percent, plural, signedWeight, UNKNOWN_CAUSE } from '../common.js';
import type { ProblemView } from '../problems.js';
import { quotedRecords, type QuotedRecord } from '../quotes.js';
import { escapeHtml } from '../sanitize.js';

/** Rule-authored prose: escaped, then its `code spans` shown as code (they hold no markup once escaped). */
export function prose(text: string): string {
  return escapeHtml(text).replace(/`([^`\n]+)`/g, '<code>$1</code>');
}

const when = (first?: string, last?: string) => (first ? `${first}${last && last !== first ? ` – ${last}` : ''}` : '');

function cites(r: QuotedRecord): string {
  if (r.citations.length === 0) return '';
  const items = r.citations.map((c) => {
    const effects = c.effects.map((e) => `${e.cause} ${signedWeight(e.weight)}`).join(', ');
    return `<li><code>${escapeHtml(c.ruleId)}</code> ${escapeHtml(effects)} — ${prose(c.reason)}${c.text ? ` <code>${escapeHtml(c.text)}</code>` : ''}</li>`;
  });
  return `<ul class="cites">${items.join('')}</ul>`;
}

export function problemBlock(view: ProblemView, explain: boolean): string {
  const { problem: p, representative: incident, occurrences } = view;
  const out: string[] = [];
  out.push(`<section class="problem" id="${p.id}">`);
  const span = when(p.firstTime, p.lastTime);
  out.push(`<h3>${p.id} · ${plural(p.count, 'incident')} · ${escapeHtml(`${incident.sqlstate} ${incident.kind}`)}${span ? ` · ${escapeHtml(span)}` : ''}</h3>`);
  const meta = [escapeHtml(`${incident.format}/${incident.origin}`)];
  if (p.stacks.length) meta.push(`stacks ${escapeHtml(p.stacks.join(', '))}`);
  for (const [k, v] of [['exception', incident.exception], ['driver', incident.driver], ['pipeline', incident.pipeline], ['activity', incident.activity], ['model', incident.model]] as const) {
    if (v) meta.push(`${k} <code>${escapeHtml(v)}</code>`);
  }
  out.push(`<p class="meta">${meta.join(' · ')}</p>`);
  if (p.count > 1) {
    const at = occurrences.map((o) => `${escapeHtml(o.id)} <code>${escapeHtml(location(o.source, o.line))}</code>`).join(', ');
    out.push(`<p class="at">at ${at}${p.count > occurrences.length ? `, +${p.count - occurrences.length} more` : ''}</p>`);
  }
  const listed = explain ? incident.causes : incident.causes.filter((c, i) => i === 0 || c.score >= LIST_MIN_SCORE);
  const folded = incident.causes.filter((c) => !listed.includes(c));
  out.push('<h4>Causes</h4>');
  if (incident.causes.length === 0) out.push('<p>No cause scored.</p>');
  out.push(`<ol class="causes">${listed.map((c) => `<li><b>${percent(c.score)}</b> ${c.confidence} — ${prose(c.title)} <code>${escapeHtml(c.id)}</code></li>`).join('')}</ol>`);
  if (folded.length) out.push(`<p class="folded">+${folded.length} under ${percent(LIST_MIN_SCORE)}: ${escapeHtml(folded.map((c) => `${c.id} ${percent(c.score)}`).join(', '))}</p>`);
  const top = incident.causes[0];
  if (top) {
    const steps = fittedRemediation(top, incident.stacks, explain);
    if (steps.length) out.push(`<h4>Fix</h4><ul class="fix">${steps.map((s) => `<li><b>${escapeHtml(s.stack)}</b>: ${prose(s.text)}</li>`).join('')}</ul>`);
  }
  if (incident.missing.length && (explain || !top || top.id === UNKNOWN_CAUSE || top.confidence !== 'high')) {
    out.push(`<h4>What would decide it</h4><ul class="decide">${incident.missing.map((m) => `<li>${prose(m)}</li>`).join('')}</ul>`);
  }
  const records = quotedRecords(incident, listed, explain);
  out.push(`<h4>Evidence${p.count > 1 ? ` (of ${escapeHtml(incident.id)})` : ''}</h4><ul class="records">`);
  for (const r of records) {
    const head = `<code>${escapeHtml(location(r.source, r.line, r.endLine))}</code>${r.time ? ` ${escapeHtml(r.time)}` : ''}`;
    if (r.role === 'failure') {
      if (r.citations.length) out.push(`<li class="quote">${head} <i>the failure record, below</i>${cites(r)}</li>`);
      continue;
    }
    out.push(`<li class="quote">${head}<pre class="record">${escapeHtml(r.text)}</pre>${cites(r)}</li>`);
  }
  out.push('</ul>');
  for (const r of records.filter((x) => x.role === 'failure')) {
    const n = r.text.split('\n').length;
    out.push(`<details class="failure"><summary>Failure record <code>${escapeHtml(location(r.source, r.line, r.endLine))}</code> (${plural(n, 'line')})</summary><pre class="record">${escapeHtml(r.text)}</pre></details>`);
  }
  out.push('</section>');
  return out.join('\n');
}
