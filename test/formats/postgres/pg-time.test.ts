import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byPattern, parseTimestamp, SecondCache } from '../../../src/formats/common/timestamp.js';
import { classifyServerMessage } from '../../../src/formats/postgres/pg-messages.js';

describe('timestamps read once per second', () => {
  const two = (n: number) => String(n).padStart(2, '0');
  // Lines of one second, another second, odd fractions, zones and shapes the fast path declines.
  const stamp = fc
    .record({
      y: fc.constantFrom('2024', '2026', '1999'),
      mo: fc.integer({ min: 0, max: 13 }),
      d: fc.integer({ min: 1, max: 31 }),
      h: fc.integer({ min: 0, max: 24 }),
      mi: fc.constantFrom(0, 59),
      s: fc.constantFrom(0, 1, 59, 60),
      sep: fc.constantFrom(' ', 'T', '_'),
      frac: fc.constantFrom('', '.', '.1', '.12', ',123', '.123456', '.123456789', '.1234567890', '.1,2', ',5.'),
      zone: fc.constantFrom('', ' UTC', ' CEST', 'Z', '+02', ' -05:30', ' XYZ', ' ', 'UTC'),
      lead: fc.constantFrom('', ' '),
    })
    .map(({ y, mo, d, h, mi, s, sep, frac, zone, lead }) => `${lead}${y}-${two(mo)}-${two(d)}${sep}${two(h)}:${two(mi)}:${two(s)}${frac}${zone}`);

  it('gives what parseTimestamp gives for every text, in any order (property)', () => {
    fc.assert(
      fc.property(fc.array(stamp, { minLength: 1, maxLength: 30 }), (texts) => {
        const cache = new SecondCache();
        for (const t of texts) {
          expect(cache.parse(t)).toEqual(parseTimestamp(t));
          // parseTimestamp keeps a cache of its own: the pattern is the definition.
          expect(cache.parse(t)).toEqual(byPattern(t));
        }
      }),
      { seed: 23, numRuns: 400 },
    );
  });

  it('adds the fraction to the second it has read', () => {
    const cache = new SecondCache();
    expect(cache.parse('2026-11-03 06:00:00.016 UTC')?.ts).toBe(Date.UTC(2026, 10, 3, 6, 0, 0, 16));
    expect(cache.parse('2026-11-03 06:00:00.9 UTC')?.ts).toBe(Date.UTC(2026, 10, 3, 6, 0, 0, 900));
    expect(cache.parse('2026-11-03 06:00:01 CEST')).toEqual({ ts: Date.UTC(2026, 10, 3, 4, 0, 1), naive: false });
    expect(cache.parse('2026-11-03 06:00:01.5')).toEqual({ ts: Date.UTC(2026, 10, 3, 6, 0, 1, 500), naive: true });
  });
});

describe('server messages by their first character', () => {
  it('classifies a message like the table read in order, whatever its first character', () => {
    // Messages of rules with a literal start, of rules that start with a group, and others.
    expect(classifyServerMessage('connection received: host=10.0.0.1 port=5432')?.serverEvent).toBe('connection-received');
    expect(classifyServerMessage('server process (PID 4711) was terminated by signal 9: Killed')).toMatchObject({ serverEvent: 'crash', serverEventKind: 'signal-9', relatedPid: 4711 });
    expect(classifyServerMessage('terminating connection due to administrator command')?.serverEvent).toBe('admin-terminate');
    expect(classifyServerMessage('scram-sha-256 authentication failed for user "app"')).toMatchObject({ serverEvent: 'auth-failed', user: 'app' });
    expect(classifyServerMessage('checkpoint starting: time')).toBeUndefined();
    expect(classifyServerMessage('')).toBeUndefined();
  });
});
