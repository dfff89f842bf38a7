import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';

/**
 * Rules state the origins they apply to; on a line that a server or pooler format starts, the
 * prefilter leaves out the wording of rules for other origins (here client rules about a reset
 * socket and a missing relation), so such lines cost no window.
 */
const HEAD = 16;
const LOOKAHEAD = 12;

const at = (i: number) => `2026-11-03 06:${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000 UTC`;
const checkpoint = (i: number) => `${at(i)} [41] LOG:  checkpoint starting: time\n`;

function serverLog(middle: (i: number) => string | undefined, lines = 200): string {
  let text = '';
  for (let i = 0; i < lines; i++) text += middle(i) ?? checkpoint(i);
  return text;
}

type Report = Awaited<ReturnType<typeof triage>>;
const summary = (r: Report) => ({
  lines: r.stats.lines,
  incidents: r.incidents.map((i) => [i.line, i.endLine, i.time, i.sqlstate, i.kind, i.causes.slice(0, 3).map((c) => [c.id, c.score])]),
});

describe('the prefilter and the origins of rules', () => {
  it('reads a server line holding only client failure wording as its own record, or not at all', async () => {
    // "Connection reset by peer" is client failure wording and a server evidence rule's too;
    // a missing relation is wording only client rules look for.
    const text = serverLog((i) => {
      if (i >= 40 && i % 20 === 0) return `${at(i)} [${900 + i}] app@shop LOG:  could not receive data from client: Connection reset by peer\n`;
      if (i >= 40 && i % 20 === 10) return `${at(i)} [${900 + i}] app@shop ERROR:  relation "tmp_orders_${i}" does not exist at character 15\n`;
      return undefined;
    });
    const fast = await triage(text, { prefilter: true });
    const full = await triage(text, { prefilter: false });
    expect(summary(fast)).toEqual(summary(full));
    const resets = 8;
    // the head, then each reset line alone: no look-behind, no look-ahead, no missing relation
    expect(fast.stats.linesParsed).toBe(HEAD + resets);
  });

  it('still opens a window for the same wording on a line the server format does not start', async () => {
    // A client's line pasted into the server log: the server format does not vouch for it.
    const text = serverLog((i) =>
      i === 100 ? `${at(i)},000 ERROR etl.load: psycopg2.OperationalError: could not receive data from server: Connection reset by peer\n` : undefined,
    );
    const fast = await triage(text, { prefilter: true });
    const full = await triage(text, { prefilter: false });
    expect(summary(fast)).toEqual(summary(full));
    expect(fast.stats.linesParsed).toBeGreaterThan(HEAD + 1);
  });

  it('keeps the look-ahead of a real server failure when client wording follows it', async () => {
    const text = serverLog((i) => {
      if (i === 60) return `${at(i)} [960] app@shop FATAL:  terminating connection due to administrator command\n`;
      if (i === 62) return `${at(i)} [962] app@shop ERROR:  relation "tmp_orders_1" does not exist at character 15\n`;
      return undefined;
    });
    const fast = await triage(text, { prefilter: true });
    const full = await triage(text, { prefilter: false });
    expect(summary(fast)).toEqual(summary(full));
    expect(fast.incidents.length).toBe(1);
    expect(fast.stats.linesParsed).toBeGreaterThanOrEqual(HEAD + 1 + LOOKAHEAD);
  });
});
