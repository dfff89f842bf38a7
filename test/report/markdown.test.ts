import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { escapeInline, escapeProse, fenced, inlineCode, renderMarkdown } from '../../src/report/markdown.js';
import { renderOptions } from '../../src/report/reporter.js';
import { causeEvidence, idleInTxCause, makeReport, SQLA_FAILURE, sqlalchemyIncident, stalePoolCause, unknownCause } from './factory.js';

describe('markdown reporter', () => {
  const md = renderMarkdown(makeReport(), renderOptions());
  const tokens = new MarkdownIt({ html: true }).parse(md, {});

  it('answers first: the verdict, a summary row per problem, then the problem section', () => {
    expect(md).toMatch(/^# pgtriage report\n\n\*\*1 incident in the 08003 family; most likely: /);
    expect(md).toContain('| [P1](#p1) | 1 | 2024-05-01 10:02:03 | `logs/etl.log:120` | sqlalchemy, psycopg | `stale-pool-after-restart` | 61% | medium |');
    expect(md).toContain('## P1 · 1 incident · 08003 connection-lost · 2024-05-01T10:02:03.120Z');
    expect(md.indexOf('| [P1](#p1)')).toBeLessThan(md.indexOf('## P1 '));
    expect(md).toContain('1. **61%** medium — The pool handed out a connection the server closed when it restarted (`stale-pool-after-restart`)');
    expect(md).toContain('- **sqlalchemy**: Enable pre-ping: `create_engine(url, pool_pre_ping=True)`.');
    expect(md).not.toContain('dbt retry');
    expect(md).toContain('**What would decide it**');
    expect(md).toContain('## Neighbours');
  });

  it('quotes each record once, the rule hits that cite it as one-liners under it', () => {
    // Record 88 is cited by the cause's evidence and listed in the incident's evidence: one quote.
    expect(md.split('received fast shutdown request').length - 1).toBe(1);
    expect(md).toContain(
      '- `postgresql-2024-05-01.log:88` `2024-05-01 10:01:58 UTC [311] LOG:  received fast shutdown request`\n' +
        '  - `server.shutdown-fast` stale-pool-after-restart +1.30 — the server shut down in fast mode, closing every session',
    );
    expect(md).toContain('  - `client.pre-ping-on` stale-pool-after-restart -0.40 — pre-ping would have replaced a dead pooled connection');
  });

  it('puts the raw failure record after the causes, folded in <details>', () => {
    const details = md.indexOf('<details><summary>Failure record <code>etl.log:120-123</code> (4 lines)</summary>');
    expect(details).toBeGreaterThan(md.indexOf('**Causes**'));
    expect(details).toBeGreaterThan(md.indexOf('**Evidence**'));
    const fences = tokens.filter((t) => t.type === 'fence');
    expect(fences.map((f) => f.content)).toContain(`${SQLA_FAILURE}\n`);
    expect(tokens.filter((t) => t.type === 'html_block').map((t) => t.content.trim())).toContain('</details>');
  });

  it('folds causes under 5% into one line', () => {
    const tiny = { ...unknownCause(), id: 'server-crash-recovery', title: 'crash', score: 0.03 };
    const tinier = { ...unknownCause(), id: 'tcp-keepalive-nat-drop', title: 'nat', score: 0.01 };
    const incident = sqlalchemyIncident({ causes: [stalePoolCause(), idleInTxCause(), tiny, tinier] });
    const out = renderMarkdown(makeReport({ incidents: [incident] }), renderOptions());
    expect(out).toContain('_+2 under 5%: server-crash-recovery 3%, tcp-keepalive-nat-drop 1%_');
    expect(out).not.toContain('(`server-crash-recovery`)');
  });

  it('fences survive text with ``` runs (no break-out)', () => {
    const hostile = 'before\n```\n# injected heading\n````\n[click](javascript:alert(1))\n``````` end';
    const cause = stalePoolCause();
    cause.evidence[0] = causeEvidence({ text: hostile });
    const incident = sqlalchemyIncident({ causes: [cause] });
    incident.evidence[1]!.text = hostile;
    incident.evidence[1]!.endLine = 93;
    const out = renderMarkdown(makeReport({ incidents: [incident] }), renderOptions());
    const parsed = new MarkdownIt({ html: true }).parse(out, {});
    // The hostile record sits intact in one code block (quoted once) and nothing of it is markup.
    expect(parsed.filter((t) => t.type === 'fence' && t.content === `${hostile}\n`)).toHaveLength(1);
    expect(parsed.filter((t) => t.type === 'heading_open').map((t) => parsed[parsed.indexOf(t) + 1]!.content).join('\n')).not.toContain('injected');
    const links = parsed.flatMap((t) => t.children ?? []).filter((t) => t.type === 'link_open').map((t) => t.attrGet('href'));
    expect(links.every((h) => String(h).startsWith('#'))).toBe(true);
    expect(out).toContain('````````text\n');
  });

  it('escapes log text outside code: no markup, links or HTML get through', () => {
    expect(escapeInline('*bold* _x_ [a](b) <img src=x> | pipe `code`')).toBe(
      '\\*bold\\* \\_x\\_ \\[a\\](b) \\<img src=x\\> \\| pipe \\`code\\`',
    );
    expect(escapeInline('# heading')).toBe('\\# heading');
    expect(escapeInline('- item')).toBe('\\- item');
    expect(escapeInline('1. item\nnext')).toBe('1\\. item next');
  });

  it('keeps code spans in rule prose and escapes the rest', () => {
    expect(escapeProse('Set `pool_recycle=300` *now*')).toBe('Set `pool_recycle=300` \\*now\\*');
    expect(escapeProse('a ``x ` y`` b')).toBe('a ``x ` y`` b');
    expect(escapeProse('unbalanced ` tick')).toBe('unbalanced \\` tick');
    expect(escapeProse('`a|b`', true)).toBe('`a\\|b`');
  });

  it('picks fences and inline code longer than any backtick run', () => {
    expect(fenced('a ``` b')).toBe('````text\na ``` b\n````');
    expect(fenced('plain')).toBe('```text\nplain\n```');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`x')).toBe('`` `x ``');
    expect(inlineCode('a|b')).toBe('`a\\|b`');
  });

  it('renders control characters visibly', () => {
    const incident = sqlalchemyIncident({ message: 'boom\x1b[2J\u202e' });
    incident.evidence[0]!.text = 'line\x1b]0;pwned\x07';
    const out = renderMarkdown(makeReport({ incidents: [incident] }), renderOptions());
    expect(out).not.toMatch(/[\x1b\x07\u202e]/);
    expect(out).toContain('line\\x1b]0;pwned\\x07');
  });
});
