import { describe, expect, it } from 'vitest';
import { triage } from '../src/index.js';
// The benchmark's generators: the busy shapes the prefilter must not change anything on.
import { generateShape } from '../bench/shapes.mjs';

async function shape(name: string, sizeBytes: number, every?: number): Promise<{ text: string; incidents: number | null }> {
  const parts: string[] = [];
  const sink = { push: (t: string) => parts.push(t), full: false, flush: async () => {} };
  const stats = await generateShape(sink, { shape: name, sizeBytes, seed: 5, every });
  return { text: parts.join(''), incidents: stats.incidents };
}

type Report = Awaited<ReturnType<typeof triage>>;
const summary = (r: Report) => ({
  lines: r.stats.lines,
  incidents: r.incidents.map((i) => [i.line, i.endLine, i.time, i.sqlstate, i.kind, i.message, i.causes.slice(0, 3).map((c) => [c.id, c.score])]),
  neighbours: r.neighbours.map((n) => [n.line, n.sqlstate]),
});

describe('the byte prefilter on busy logs', () => {
  // Small versions of every benchmark input, with failures close together so each holds several.
  const cases: Array<[string, number, number | undefined]> = [
    ['busy', 900_000, 350],
    ['mixed', 600_000, 300],
    ['server', 600_000, 500],
    ['pgbouncer', 400_000, 600],
    ['dbt', 700_000, undefined],
  ];
  for (const [name, size, every] of cases) {
    it(`finds the same incidents with and without it, and the generated number: ${name}`, async () => {
      const { text, incidents } = await shape(name, size, every);
      const fast = await triage(text, { prefilter: true });
      const full = await triage(text, { prefilter: false });
      expect(summary(fast)).toEqual(summary(full));
      // Context wording (worker names, HTTP calls, pool checkouts) is read line by line, not in windows.
      expect(fast.stats.linesParsed).toBeLessThan(full.stats.linesParsed);
      if (incidents !== null) expect(fast.incidents.length).toBe(incidents);
    }, 60_000);
  }

  it('keeps the header and time of a 200-frame traceback whose failure wording is its last line', async () => {
    const noise = (i: number) => `2026-11-03 06:00:${String(i % 60).padStart(2, '0')},000 DEBUG [ForkPoolWorker-${i % 4}] sqlalchemy.pool.impl.QueuePool: Connection <c${i}> checked out from pool\n`;
    let text = '';
    for (let i = 0; i < 300; i++) text += noise(i);
    const headerLine = 301;
    text += '2026-11-03 06:07:00,000 ERROR [ForkPoolWorker-2] etl.load: batch 7 failed\nTraceback (most recent call last):\n';
    for (let f = 0; f < 200; f++) text += `  File "/app/etl/graph.py", line ${57 + (f % 3)}, in visit\n    return self.visit(child, depth + 1)\n`;
    text += 'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection unexpectedly\n';
    for (let i = 0; i < 50; i++) text += noise(i).replace('06:00:', '06:08:');
    const fast = await triage(text, { prefilter: true });
    const full = await triage(text, { prefilter: false });
    expect(fast.incidents.map((i) => [i.line, i.time, i.causes[0].id])).toEqual([[headerLine, '2026-11-03T06:07:00.000Z', full.incidents[0].causes[0].id]]);
    expect(summary(fast)).toEqual(summary(full));
  });

  describe('failure wording that makes no failure', () => {
    // PgBouncer stats lines hold no rule literal; the close line holds client-side failure
    // wording ("unexpected eof"), which the rule's origins rule out on a pooler line.
    const stats = (i: number) =>
      `2026-11-03 06:${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000 UTC [1187] LOG stats: ${i} xacts/s, 30 queries/s, in 1234 B/s, out 5678 B/s, xact 900 us, query 400 us, wait 0 us\n`;
    const around = (middle: string) => {
      let text = '';
      for (let i = 0; i < 40; i++) text += stats(i);
      text += middle;
      for (let i = 41; i < 80; i++) text += stats(i);
      return text;
    };
    const HEAD = 16;
    const LOOKAHEAD = 12;

    it('closes its window once its record is read', async () => {
      const text = around('2026-11-03 06:10:40.293 UTC [1187] LOG C-0x55d0c944572e: warehouse/app@10.0.3.17:52430 closing because: client unexpected eof (age=2281s)\n');
      const fast = await triage(text, { prefilter: true });
      const full = await triage(text, { prefilter: false });
      expect(summary(fast)).toEqual(summary(full));
      // the head, the look-behind of three records, the line and the one after it: no look-ahead
      expect(fast.stats.linesParsed).toBeLessThan(HEAD + 3 + 1 + LOOKAHEAD);
    });

    it('keeps the look-ahead after a real failure', async () => {
      const text = around('2026-11-03 06:10:40.293 UTC [1187] LOG C-0x55d0c9445730: warehouse/app@10.0.3.17:52431 closing because: server conn crashed? (age=2281s)\n');
      const fast = await triage(text, { prefilter: true });
      const full = await triage(text, { prefilter: false });
      expect(summary(fast)).toEqual(summary(full));
      expect(fast.incidents.length).toBe(1);
      expect(fast.stats.linesParsed).toBeGreaterThanOrEqual(HEAD + 1 + LOOKAHEAD);
    });
  });
});
