import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRulePacks, renderReport, triage } from '../../src/index.js';
import { countedRules } from '../../src/rules/expr/index.js';
import { parseExpression } from '../../src/rules/expr/parse.js';
import { RuleMatcher } from '../../src/rules/matcher.js';

const pad = (n: number) => String(n).padStart(2, '0');
/** Celery-style lines: `[ForkPoolWorker-N]` is dense wording (the forked-worker evidence). */
const worker = (min: number, sec: number, i: number, thread = `ForkPoolWorker-${1 + (i % 8)}`) =>
  `2026-11-03 06:${pad(min)}:${pad(sec)},${String(i % 1000).padStart(3, '0')} INFO [${thread}] etl.sync: upserted ${i} rows into orders\n`;
const failure = (min: number) =>
  `2026-11-03 06:${pad(min)}:30,500 ERROR [ForkPoolWorker-3] celery.app.trace: Task etl.load raised unexpected: OperationalError('server closed the connection unexpectedly')\n` +
  'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection unexpectedly\n';

/** `perSecond` worker lines in every second of `minutes` minutes, a failure in the last one. */
function busy(minutes: number, perSecond: number): string {
  let text = '';
  let i = 0;
  for (let m = 0; m < minutes; m++) {
    for (let s = 0; s < 60; s++) {
      for (let k = 0; k < perSecond; k++) text += worker(m, s, i++);
      if (m === minutes - 1 && s === 30) text += failure(m);
    }
  }
  return text;
}

type Report = Awaited<ReturnType<typeof triage>>;
const outcome = (r: Report) => r.incidents.map((i) => [i.line, i.sqlstate, i.causes.slice(0, 3).map((c) => [c.id, c.score]), i.facts.map((f) => [f.id, f.scope])]);

describe('dense context wording is thinned', () => {
  it('reads two lines per second of wording that fills the log and counts the rest', async () => {
    const text = busy(3, 6);
    const fast = await triage(text, { prefilter: true });
    const full = await triage(text, { prefilter: false });
    expect(outcome(fast)).toEqual(outcome(full));
    expect(fast.incidents[0].facts.map((f) => f.id)).toContain('forked-worker-context');
    // Once the wording is dense (60 lines in a minute, the tenth second here), 4 of 6 per second are counted, not parsed.
    expect(fast.stats.linesThinned).toBeGreaterThan(3 * 60 * 4 - 60 * 6);
    expect(fast.stats.linesThinned).toBeLessThanOrEqual(3 * 60 * 4);
    expect(full.stats.linesThinned).toBeUndefined();
    expect(fast.stats.linesParsed).toBeLessThanOrEqual(fast.stats.lines - fast.stats.linesThinned!);
    // The text report says so next to the lines parsed.
    expect(renderReport(fast, 'text', { color: false }).replace(/\s+/g, ' ')).toContain(`${fast.stats.linesThinned!.toLocaleString('en-US')} of dense context wording counted, not parsed`);
  });

  it('reads a burst of a rare wording whole', async () => {
    // Three pool recycles in one second on three threads, in a log where they are rare.
    let text = busy(2, 1);
    const recycle = (thread: string, ms: number) =>
      `2026-11-03 06:01:45,${ms} INFO [${thread}] sqlalchemy.pool.impl.QueuePool: Connection <connection object at 0x7f00000000${ms}> exceeded timeout; recycling\n`;
    text += recycle('ForkPoolWorker-1', 100) + recycle('ForkPoolWorker-2', 200) + recycle('MainThread', 300);
    const r = await triage(text, { prefilter: true });
    expect(r.stats.linesThinned ?? 0).toBe(0);
    expect(r.stats.linesParsed).toBe(r.stats.lines);
  });

  it('reads the second of a JSON line from its time key, and no other date', async () => {
    const json = (m: number, s: number, i: number, key: string) =>
      `{"build":"2026-01-01T00:00:00Z","${key}": "2026-11-03T06:${pad(m)}:${pad(s)}.${String(i % 1000).padStart(3, '0')}Z","level":"info","threadName":"ForkPoolWorker-${1 + (i % 8)}","message":"upserted ${i} rows"}\n`;
    const lines = (key: string) => {
      let text = '';
      let i = 0;
      for (let m = 0; m < 3; m++) for (let s = 0; s < 60; s++) for (let k = 0; k < 6; k++) text += json(m, s, i++, key);
      return text;
    };
    const timed = await triage(lines('timestamp'), { prefilter: true });
    expect(timed.stats.linesThinned).toBeGreaterThan(3 * 60 * 4 - 60 * 6);
    // The same lines whose only dates are a constant build date and an unknown key: all read.
    const untimed = await triage(lines('when'), { prefilter: true });
    expect(untimed.stats.linesThinned ?? 0).toBe(0);
  });

  it('never thins lines that carry no date of their own', async () => {
    let text = '';
    for (let i = 0; i < 600; i++) text += `[ForkPoolWorker-${1 + (i % 8)}] upserted ${i} rows\n`;
    const r = await triage(text, { prefilter: true });
    expect(r.stats.linesThinned ?? 0).toBe(0);
  });

  it('marks as dense only plain client-side evidence whose number nothing reads', async () => {
    const pack = await loadRulePacks([DEFAULT_RULES_DIR]);
    const entries = new RuleMatcher(pack).planEntries();
    const byRule = new Map(pack.rules.map((r) => [r.id, r]));
    const dense = new Set(entries.filter((e) => e.dense && e.rule).map((e) => e.rule!));
    const counted = new Set(pack.rules.flatMap((r) => (r.when ? countedRules(r.when.ast) : [])));
    expect(dense.has('forked-worker-context')).toBe(true);
    for (const id of dense) {
      const rule = byRule.get(id)!;
      expect(rule.incident, id).toBeUndefined();
      expect(rule.neighbour, id).toBeUndefined();
      expect(rule.origins?.every((o) => ['client', 'orchestrator', 'unknown'].includes(o)), id).toBe(true);
      expect(counted.has(id), id).toBe(false);
    }
    // `count(rule:pg-admin-terminate) <= 2 within 1m` reads a number; `== 0` only asks whether there is one.
    expect(counted.has('pg-admin-terminate')).toBe(true);
    expect(counted.has('external-call-in-flight')).toBe(false);
  });

  it('tells a count from a presence test', () => {
    const counts = (text: string) => {
      const parsed = parseExpression(text);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return countedRules(parsed.ast);
    };
    expect(counts('count(rule:a) == 0 within 10m')).toEqual([]);
    expect(counts('count(rule:a) >= 1 within 10m and within 1m of rule:b')).toEqual([]);
    expect(counts('0 < count(rule:a) within 1m')).toEqual([]);
    expect(counts('count(rule:a) >= 2 within 1m')).toEqual(['a']);
    expect(counts('count(rule:a) <= 2 within 1m')).toEqual(['a']);
    expect(counts('count(rule:a) > 3 within 1m')).toEqual(['a']);
    expect(counts('count(rule:a) != 1 within 1m')).toEqual(['a']);
  });
});
