/**
 * The HTML report as a document (its behaviour in a browser is test/cli/html.browser.test.ts):
 * the answer first, each record once, the failure record folded after the causes, one
 * headline per case under --per-directory, rule prose with its code spans and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { prose } from '../../src/report/html/block.js';
import { renderHtml } from '../../src/report/html.js';
import { renderOptions } from '../../src/report/reporter.js';
import { idleInTxCause, makeReport, sqlalchemyIncident, stalePoolCause, unknownCause } from './factory.js';

describe('html reporter', () => {
  const html = renderHtml(makeReport(), renderOptions());

  it('answers first: verdict, summary row, timeline, then the block', () => {
    const at = (s: string) => html.indexOf(s);
    expect(at('<p class="verdict"><b>1 incident in the 08003 family; most likely: ')).toBeGreaterThan(0);
    expect(at('<tr class="problem-row"><td><a href="#P1">P1</a></td><td class="num">1</td>')).toBeGreaterThan(at('class="verdict"'));
    expect(at('<svg class="timeline"')).toBeGreaterThan(at('problem-row'));
    expect(at('<section class="problem" id="P1">')).toBeGreaterThan(at('<svg class="timeline"'));
  });

  it('quotes each record once per block and folds the failure record after the causes', () => {
    const block = html.slice(html.indexOf('<section class="problem"'));
    expect(block.split('received fast shutdown request').length - 1).toBe(1);
    expect(block).toMatch(/<code>server\.shutdown-fast<\/code> stale-pool-after-restart \+1\.30 — the server shut down in fast mode/);
    expect(block.indexOf('<details class="failure"><summary>Failure record <code>logs/etl.log:120-123</code> (4 lines)</summary>')).toBeGreaterThan(block.indexOf('<h4>Causes</h4>'));
  });

  it('puts causes under 5% on one line', () => {
    const tiny = { ...unknownCause(), id: 'server-crash-recovery', title: 'crash', score: 0.02 };
    const out = renderHtml(makeReport({ incidents: [sqlalchemyIncident({ causes: [stalePoolCause(), idleInTxCause(), tiny] })] }), renderOptions());
    expect(out).toContain('<p class="folded">+1 under 5%: server-crash-recovery 2%</p>');
    expect(out).not.toContain('<code>server-crash-recovery</code>');
  });

  it('under --per-directory: one headline and one timeline per case, no ranking across cases', () => {
    const a = sqlalchemyIncident({ id: 'I1', source: 'case-a/etl.log' });
    const b = sqlalchemyIncident({ id: 'I2', source: 'case-b/app.log', causes: [idleInTxCause()] });
    const out = renderHtml(makeReport({ incidents: [a, b], stats: { ...makeReport().stats, incidents: 2 } }), renderOptions({ perDirectory: true }));
    expect(out).toContain('<p class="verdict"><b>2 incidents in the 08003 family: 2 problems in 2 cases, each case judged on its own</b></p>');
    expect(out.match(/<section class="case"><h2>[^<]+<\/h2>/g)).toEqual(['<section class="case"><h2>case-a</h2>', '<section class="case"><h2>case-b</h2>']);
    expect(out).toContain('<p class="case-verdict">1 incident; most likely: idle_in_transaction_session_timeout ended the session (24%, low confidence)</p>');
    expect(out.match(/<svg class="timeline"/g)).toHaveLength(2);
  });

  it('shows rule prose code spans as code and escapes everything else', () => {
    expect(prose('Set `pool_recycle=300` <b>now</b> & "x"')).toBe('Set <code>pool_recycle=300</code> &lt;b&gt;now&lt;/b&gt; &amp; &quot;x&quot;');
    expect(prose('`<img src=x onerror=1>`')).toBe('<code>&lt;img src=x onerror=1&gt;</code>');
  });
});
