import { describe, expect, it } from 'vitest';
import { escapeInline, escapeProse, fenced, inlineCode, renderMarkdown } from '../../src/report/markdown.js';
import { renderOptions } from '../../src/report/reporter.js';
import { causeEvidence, makeReport, sqlalchemyIncident, stalePoolCause } from './factory.js';

/** The fenced code blocks of a markdown document, per CommonMark's backtick-fence rules. */
function codeBlocks(md: string): string[] {
  return split(md).blocks;
}

/** The lines outside fenced code blocks. */
function outsideCode(md: string): string[] {
  return split(md).outside;
}

function split(md: string): { blocks: string[]; outside: string[] } {
  const blocks: string[] = [];
  const outside: string[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,})/.exec(lines[i]!);
    if (!open) {
      outside.push(lines[i]!);
      continue;
    }
    const fence = open[1]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,})\s*$/.exec(lines[j]!);
      if (close && close[1]!.length >= fence.length) break;
      body.push(lines[j]!);
    }
    blocks.push(body.join('\n'));
    i = j;
  }
  return { blocks, outside };
}

describe('markdown reporter', () => {
  const md = renderMarkdown(makeReport(), renderOptions());

  it('has headings, a causes table, evidence in code blocks and fitted remediation', () => {
    expect(md).toMatch(/^# pgtriage report\n\n\*\*1 incident in the 08003 family; most likely: /);
    expect(md).toContain('## Incident inc-1 — SQLSTATE 08003 (connection-lost)');
    expect(md).toContain('| 1 | The pool handed out a connection the server closed when it restarted (`stale-pool-after-restart`) | 61% | medium |');
    expect(md).toContain('| `logs/postgresql-2024-05-01.log:88` | `server.shutdown-fast` | +1.30 |');
    expect(md).toContain('**Remediation (sqlalchemy, psycopg, server)**');
    expect(md).toContain('- **sqlalchemy**: Enable pre-ping: `create_engine(url, pool_pre_ping=True)`.');
    expect(md).not.toContain('dbt retry');
    const blocks = codeBlocks(md);
    expect(blocks).toContain(
      'logs/postgresql-2024-05-01.log:88  2024-05-01 10:01:58 UTC [311] LOG:  received fast shutdown request\n' +
        'logs/postgresql-2024-05-01.log:91  2024-05-01 10:02:00 UTC [402] LOG:  database system is ready to accept connections',
    );
    expect(blocks[0]).toContain('SSLERROR: decryption failed or bad record mac');
    expect(md).toContain('## Neighbours');
    expect(md).toContain('### What would decide it');
  });

  it('fences survive text with ``` runs (no break-out)', () => {
    const hostile = 'before\n```\n# injected heading\n````\n[click](javascript:alert(1))\n``````` end';
    const cause = stalePoolCause();
    cause.evidence[0] = causeEvidence({ text: hostile });
    const incident = sqlalchemyIncident({ causes: [cause] });
    incident.evidence[0]!.text = hostile;
    const out = renderMarkdown(makeReport({ incidents: [incident] }), renderOptions());
    const blocks = codeBlocks(out);
    // the hostile text sits intact inside one block; nothing of it leaks out as markdown
    expect(blocks.some((b) => b === hostile)).toBe(true);
    expect(blocks.some((b) => b.includes(hostile))).toBe(true);
    // the cause evidence quotes it too, after its location
    expect(blocks.some((b) => b.startsWith(`logs/postgresql-2024-05-01.log:88  before\n`) && b.includes('``````` end'))).toBe(true);
    const outside = outsideCode(out).join('\n');
    expect(outside).not.toContain('injected');
    expect(outside).not.toContain('javascript:');
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
