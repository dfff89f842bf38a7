import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRulePacks } from '../../src/input/rule-files.js';
import type { RulePack } from '../../src/rules/types.js';
import { TriageSession, type TimeWindow } from '../../src/session.js';

const T0 = Date.parse('2026-11-25T00:00:00Z');
const stamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');

/**
 * Twelve hours of an application log: a line a minute, a settings line without a time, and a
 * failure with a traceback (undated continuation lines) every 50 minutes, one logged two
 * seconds out of order.
 */
function appLog(): string {
  const out: string[] = [];
  for (let m = 0; m < 12 * 60; m++) {
    const t = T0 + m * 60_000;
    out.push(`${stamp(t)} INFO etl.load: batch ${m} loaded 500 rows`);
    if (m % 97 === 3) out.push('pool_recycle = 3600');
    if (m % 50 === 7) {
      out.push(`${stamp(t + 30_000 - (m % 100 === 7 ? 32_000 : 0))} ERROR etl.load: load failed`);
      out.push('Traceback (most recent call last):');
      out.push('  File "/app/load.py", line 12, in run');
      out.push('    cur.execute(sql)');
      out.push('psycopg2.OperationalError: server closed the connection unexpectedly');
    }
  }
  return out.join('\n') + '\n';
}

async function run(pack: RulePack, text: string, window: TimeWindow, chunk: number, prefilter: boolean) {
  const session = new TriageSession(pack, { window, prefilter });
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i += chunk) session.write('app.log', buf.subarray(i, i + chunk));
  session.endSource('app.log');
  return session.finish();
}

const summary = (r: Awaited<ReturnType<typeof run>>) => ({
  lines: r.stats.lines,
  incidents: r.incidents.map((i) => [i.line, i.endLine, i.sqlstate, i.time, i.causes.slice(0, 3).map((c) => [c.id, c.score])]),
  window: r.window,
});

describe('the time gate in front of the byte prefilter', () => {
  const text = appLog();

  it('finds what filtering every parsed event finds, whatever the window and the chunking (property, fixed seed)', async () => {
    const pack = await loadRulePacks([DEFAULT_RULES_DIR]);
    const hour = 3_600_000;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -1, max: 12 * 60 }),
        fc.integer({ min: 0, max: 12 * 60 }),
        fc.integer({ min: 256, max: 16_384 }),
        async (sinceMin, lengthMin, chunk) => {
          const window: TimeWindow = sinceMin < 0 ? { until: T0 + lengthMin * 60_000 } : { since: T0 + sinceMin * 60_000, until: T0 + (sinceMin + lengthMin) * 60_000 };
          const gated = await run(pack, text, window, chunk, true);
          const full = await run(pack, text, window, chunk, false);
          expect(summary(gated)).toEqual(summary(full));
          expect(gated.stats.linesOutsideWindow).toBeLessThanOrEqual(gated.stats.lines - gated.stats.linesParsed);
        },
      ),
      { seed: Number(process.env.PGTRIAGE_SEED ?? 20261201), numRuns: 25 },
    );
    // Relative bounds resolve against the newest line the same way.
    const back = { sinceBack: 2 * hour, newest: T0 + 12 * hour };
    expect(summary(await run(pack, text, back, 4096, true))).toEqual(summary(await run(pack, text, back, 4096, false)));
  }, 120_000);

  it('leaves the stretches outside unread and counts them', async () => {
    const pack = await loadRulePacks([DEFAULT_RULES_DIR]);
    const window = { since: T0 + 10 * 3_600_000 };
    const gated = await run(pack, text, window, 8192, true);
    expect(gated.incidents.map((i) => i.time)).toEqual(['2026-11-25T10:06:58.000Z', '2026-11-25T10:57:30.000Z', '2026-11-25T11:46:58.000Z']);
    // Ten of the twelve hours are outside; most of their lines are never split or parsed.
    expect(gated.stats.linesOutsideWindow).toBeGreaterThan(0.7 * (10 / 12) * gated.stats.lines);
    expect(gated.stats.lines).toBe(text.split('\n').length - 1);
    // Without a window nothing is left out by time.
    const none = await run(pack, text, {}, 8192, true);
    expect(none.stats.linesOutsideWindow).toBe(0);
  });
});
