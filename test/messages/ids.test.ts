/**
 * What pgtriage says, asserted by message id and position rather than by wording: warnings
 * carry `warningIds` beside `warnings`, incidents `missingIds` beside `missing`, and each
 * source's detection sentence comes from one id per way of reading.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadRuleTexts, triage } from '../../src/index.js';
import { detection, type SourceTotals } from '../../src/report/summary.js';
import type { RuleError } from '../../src/rules/errors.js';
import { loadRuleText } from '../../src/rules/read.js';
import { TriageSession } from '../../src/session.js';

const LAB = 'samples/lab/admin-terminate-sqlalchemy-psycopg2';

describe('warnings carry ids, one per warning, in order', () => {
  it('an empty input', async () => {
    const r = await triage({ name: 'empty.log', content: '' });
    expect(r.warningIds).toEqual(['warning.input-empty']);
    expect(r.warnings).toHaveLength(1);
  });

  it('a binary input, a NUL-prefixed one and an over-long line, in the order they were met', async () => {
    const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 5, 6, 7, 8, 0, 0]);
    const r = await triage(
      [
        { name: 'bin.log', content: elf },
        { name: 'nul.log', content: Buffer.concat([Buffer.alloc(10), Buffer.from('hello world\n')]) },
        { name: 'long.log', content: `${'x'.repeat(500)}\n` },
      ],
      { lineLimits: { maxLineChars: 100 } },
    );
    expect(r.warningIds).toEqual(['warning.binary', 'warning.leading-nul', 'warning.lines-truncated']);
    expect(r.warnings).toHaveLength(3);
    // The values are the source's own: its name, and the counts.
    expect(r.warnings[0].startsWith('bin.log')).toBe(true);
    expect(r.warnings[1]).toContain('10');
    expect(r.warnings[2]).toContain('100');
  });

  it('two sources of one case that do not overlap: with the zone hint when one is naive, plain when both carry zones', async () => {
    const client = '2025-03-02 09:47:39,120 ERROR billing.sync: batch 12 failed\npsycopg2.OperationalError: server closed the connection unexpectedly\n';
    const server = '2025-03-02 04:17:38.900 UTC [4242] billing@ledger FATAL:  terminating connection due to administrator command\n';
    // A stream is read once, so the naive source is not read again at the shift: the hint says it.
    const naive = await triage([
      { name: 'app.log', content: Readable.from([client]) },
      { name: 'postgresql.log', content: server },
    ]);
    expect(naive.warningIds).toEqual(['warning.sources-apart-naive']);
    const zoned = await triage([
      { name: 'postgresql.log', content: server },
      { name: 'later.log', content: server.replace('04:17', '09:47') },
    ]);
    expect(zoned.warningIds).toEqual(['warning.sources-apart']);
  });

  it('a source that failed to read', () => {
    const pack = { causes: new Map(), rules: [], notices: [] };
    const session = new TriageSession(pack);
    session.failSource('gone.log', 'ENOENT');
    const r = session.finish();
    expect(r.warningIds).toEqual(['warning.source-failed']);
    expect(r.sources.map((s) => s.detection)).toHaveLength(1);
  });

  it("a later pack's rule that overrides an earlier one is a notice with its id, carried into the warnings", async () => {
    const cause = 'cause:\n  id: c1\n  title: C\n  summary: s\n  prior: 0.1\n';
    const rule = (d: string) =>
      `rules:\n  - id: r1\n    description: ${d}\n    match: { contains: boom }\n    evidence: [ { cause: c1, for: strong } ]\n`;
    const pack = await loadRuleTexts([
      { file: 'c.yaml', text: cause },
      { file: 'a.yaml', text: rule('first') },
    ]);
    expect(pack.notices).toEqual([]);
    // A second pack: its ids are new to it, so they override rather than collide.
    const errors: RuleError[] = [];
    loadRuleText(cause, 'c2.yaml', pack, new Map(), errors);
    loadRuleText(rule('second'), 'b.yaml', pack, new Map(), errors);
    expect(errors).toEqual([]);
    expect(pack.notices.map((n) => n.id)).toEqual(['warning.cause-overrides', 'warning.rule-overrides']);
    const r = new TriageSession(pack).finish();
    expect(r.warningIds).toEqual(['warning.cause-overrides', 'warning.rule-overrides', 'warning.input-empty']);
  });
});

describe('what would decide it carries ids', () => {
  it('a client log alone: the server log for the window is asked for, at the incident', async () => {
    const r = await triage({ path: `${LAB}/client.log` });
    expect(r.incidents.map((i) => [i.line, i.missingIds])).toEqual([[3, ['decide.server-log']]]);
    expect(r.incidents[0].missing).toHaveLength(1);
  });

  it('with the server log the ranking is settled: only what would overturn it is said', async () => {
    const r = await triage([{ path: `${LAB}/client.log` }, { path: `${LAB}/server.log` }]);
    expect(r.incidents.map((i) => [i.source, i.line, i.causes[0].confidence, i.missingIds])).toEqual([
      [`${LAB}/client.log`, 3, 'high', ['decide.overturn']],
    ]);
  });
});

describe('detection sentences come from one id per way of reading', () => {
  const totals = (over: Partial<SourceTotals>): SourceTotals => ({
    name: 's.log',
    counters: { lines: 3, bytes: 30, linesTruncated: 0, invalidUtf8Lines: 0, controlCharLines: 0 },
    recordsTruncated: 0,
    formatCounts: new Map(),
    linesSkipped: 0,
    binary: false,
    ...over,
  });
  it.each([
    ['detection.not-read', {}, undefined, { error: 'EACCES', counters: { lines: 0, bytes: 0, linesTruncated: 0, invalidUtf8Lines: 0 } }],
    ['detection.partly-read', { 'pg-stderr': 2 }, undefined, { error: 'EIO' }],
    ['detection.binary', {}, undefined, { binary: true }],
    ['detection.forced', { 'pg-stderr': 2 }, 'pg-stderr', {}],
    ['detection.no-records', {}, 'auto', {}],
    ['detection.main-format', { 'pg-stderr': 2 }, undefined, {}],
    ['detection.main-format-and-others', { generic: 1, 'pg-stderr': 2 }, undefined, {}],
  ] as const)('%s', (id, formats, forced, over) => {
    expect(detection(formats, forced, totals(over as Partial<SourceTotals>)).id).toBe(id);
  });
});
