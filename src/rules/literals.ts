import type { Condition } from './types.js';

/**
 * The literals of which at least one must occur (case-insensitively) in a record for the
 * condition to be true. An empty result means the condition cannot be prefiltered.
 */
export function requiredLiterals(condition: Condition): string[] {
  const found = literalsOf(condition);
  return found ?? [];
}

function literalsOf(c: Condition): string[] | undefined {
  switch (c.kind) {
    case 'contains':
    case 'icontains':
      return c.values.map((v) => v.toLowerCase());
    case 'any': {
      const all: string[] = [];
      for (const item of c.items) {
        const sub = literalsOf(item);
        if (!sub) return undefined;
        all.push(...sub);
      }
      return all;
    }
    case 'all': {
      // Any one conjunct's literals are necessary; the fewest filter best.
      let best: string[] | undefined;
      for (const item of c.items) {
        const sub = literalsOf(item);
        if (sub && (!best || sub.length < best.length)) best = sub;
      }
      return best;
    }
    default:
      return undefined;
  }
}
