import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LogEvent } from '../src/events.js';
import { Marks } from '../src/evidence/timeline.js';

const ev = (ts: number, line = 1): LogEvent => ({ source: 's', line, endLine: line, text: `t${ts}`, format: 'generic', origin: 'client', ts, fields: {} });

describe('Marks', () => {
  it('counts and finds the nearest mark like a linear scan, whatever the arrival order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 60 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 3_000 }), (times, at, w) => {
        const marks = new Marks();
        times.forEach((t, i) => marks.add('k', ev(t, i + 1)));
        const expected = times.filter((t) => Math.abs(t - at) <= w).length;
        expect(marks.count('k', at, w)).toBe(expected);
        const near = marks.nearest('k', at, w);
        if (expected === 0) expect(near).toBeUndefined();
        else expect(Math.abs(Number(near!.text.slice(1)) - at)).toBe(Math.min(...times.filter((t) => Math.abs(t - at) <= w).map((t) => Math.abs(t - at))));
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});
