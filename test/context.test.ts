import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LogEvent } from '../src/events.js';
import { ContextStore } from '../src/evidence/context.js';
import type { Rule } from '../src/rules/types.js';

const rule = (id: string, before: number, after: number) => ({ id, window: { before, after } }) as unknown as Rule;
const RULES = [rule('short', 60_000, 5_000), rule('long', 15 * 60_000, 5_000), rule('wide', 30 * 86_400_000, 30 * 86_400_000)];

const event = (source: string, line: number, ts: number | undefined): LogEvent => ({
  source,
  line,
  endLine: line,
  text: `l${line}`,
  format: 'generic',
  origin: 'server',
  ...(ts === undefined ? {} : { ts }),
  fields: {},
});

describe('ContextStore', () => {
  it('finds exactly the items a full scan finds, in the order they were added (property)', () => {
    const item = fc.record({ src: fc.constantFrom('a.log', 'b.log'), ts: fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: undefined }), r: fc.nat(2) });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 80 }), fc.integer({ min: 0, max: 3_600_000 }), fc.boolean(), (items, at, untimedFailure) => {
        const store = new ContextStore();
        const all = items.map((it, i) => ({ event: { ...event(it.src, i + 1, it.ts), origin: 'server' as const }, rules: [RULES[it.r]] }));
        for (const it of all) store.add(it);
        const failure = { ...event('c.log', 1, untimedFailure ? undefined : at), origin: 'client' as const };
        const got = store.near(failure, 5_000, untimedFailure).map((x) => `${x.item.event.line}:${x.rule.id}`);
        // the reference: every item in insertion order, kept when its window covers the failure
        const want = all
          .filter((it) =>
            untimedFailure
              ? true
              : it.event.ts !== undefined && it.event.ts - at >= -it.rules[0].window.before - 5_000 && it.event.ts - at <= it.rules[0].window.after + 5_000,
          )
          .map((it) => `${it.event.line}:${it.rules[0].id}`);
        expect(got).toEqual(want);
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});
