/**
 * The one guard around format parsing (records/assembler.ts parseRecord): a format that throws
 * is read with the generic fallback, the record is counted as malformed, and nothing after it
 * is lost.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pythonLogging } from '../../src/formats/python/python-logging.js';
import { DEFAULT_RULES_DIR, loadRulePacks } from '../../src/input/rule-files.js';
import { parseRecord } from '../../src/records/assembler.js';
import { TriageSession } from '../../src/session.js';

const SAMPLE = 'samples/formats/python-logging-pool.log';

afterEach(() => vi.restoreAllMocks());

async function run(): Promise<ReturnType<TriageSession['finish']>> {
  const session = new TriageSession(await loadRulePacks([DEFAULT_RULES_DIR]));
  session.write(SAMPLE, readFileSync(new URL(`../../${SAMPLE}`, import.meta.url)));
  return session.finish();
}

describe('a format that throws', () => {
  it('falls back to the generic reading and marks the events malformed', () => {
    const throwing = { ...pythonLogging, parse: () => { throw new Error('parser bug'); } };
    const record = { source: 'x.log', line: 3, endLine: 3, lines: ['2024-05-01 02:00:05,000 ERROR etl: server closed the connection unexpectedly'], truncated: false };
    const { events, malformed } = parseRecord(throwing, record, {});
    expect(malformed).toBe(true);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.malformed && e.format === 'generic' && e.line === 3)).toBe(true);
  });

  it('is counted once, and the incident after it is still found', async () => {
    const clean = await run();
    expect(clean.stats.recordsMalformed).toBe(0);
    expect(clean.incidents.map((i) => i.line)).toEqual([7]);
    // The first record python-logging reads (before the failure) makes it throw.
    const real = pythonLogging.parse;
    let calls = 0;
    vi.spyOn(pythonLogging, 'parse').mockImplementation((record, state) => {
      if (calls++ === 0) {
        expect(record.line).toBeLessThan(7);
        throw new Error('parser bug');
      }
      return real.call(pythonLogging, record, state);
    });
    const report = await run();
    expect(calls).toBeGreaterThan(1);
    expect(report.stats.recordsMalformed).toBe(1);
    expect(report.stats.records).toBe(clean.stats.records);
    expect(report.incidents.map((i) => [i.line, i.sqlstate])).toEqual(clean.incidents.map((i) => [i.line, i.sqlstate]));
  });
});
