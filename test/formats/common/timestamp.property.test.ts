import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byPattern, parseTimestamp } from '../../../src/formats/common/timestamp.js';

const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((a) => a.join(''));
/** Mostly well-formed `yyyy-mm-dd hh:mm:ss[.fff]` heads, with every character able to go wrong. */
const char = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...'0123456789') }, { weight: 1, arbitrary: fc.constantFrom('-', ':', ' ', 'T', '.', ',', 'Z', 'a', '+', '\u0663') });
const head = fc.tuple(digits(4), digits(2), digits(2), fc.constantFrom(' ', 'T', 't', '_'), digits(2), digits(2), digits(2)).map(([y, mo, d, sep, h, mi, s]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}`);
const tail = fc.oneof(fc.constant(''), fc.tuple(fc.constantFrom('.', ',', ';'), fc.array(char, { maxLength: 11 }).map((a) => a.join(''))).map(([a, b]) => a + b), fc.constantFrom(' UTC', 'Z', '+02:00', ' CEST', ' ', '.', ','));
const mutate = fc.tuple(head, tail, fc.nat(40), char).map(([h, t, at, c]) => {
  const s = h + t;
  return at < s.length && at % 3 === 0 ? s.slice(0, at) + c + s.slice(at + 1) : s;
});

describe('parseTimestamp', () => {
  it('reads every text exactly as the pattern does (the fast path and its seconds cache change nothing)', () => {
    fc.assert(
      fc.property(fc.array(mutate, { minLength: 1, maxLength: 8 }), (texts) => {
        // Several in a row: the fast path keeps the last seconds it read.
        for (const text of texts) expect(parseTimestamp(text)).toEqual(byPattern(text));
      }),
      { seed: 1301, numRuns: 400 },
    );
  });

  it('reads the common shapes', () => {
    expect(parseTimestamp('2026-11-03 06:00:00,039')).toEqual({ ts: Date.UTC(2026, 10, 3, 6, 0, 0, 39), naive: true });
    expect(parseTimestamp('2026-11-03T06:00:01.5')).toEqual({ ts: Date.UTC(2026, 10, 3, 6, 0, 1, 500), naive: true });
    expect(parseTimestamp('2026-11-03 06:00:01.123456 UTC')).toEqual({ ts: Date.UTC(2026, 10, 3, 6, 0, 1, 123), naive: false });
  });
});
