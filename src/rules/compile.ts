import type { Node } from 'yaml';
import { isSeq } from 'yaml';
import { compileRegex } from './regex.js';
import { withTranslations } from './translations.js';
import type { Condition } from './types.js';
import type { Reader } from './yaml-reader.js';

/**
 * Compiling a rule's `match:` into the matcher's executable form: regexes compiled by the
 * linear-time engine (one that cannot be compiled is an error at its position), nested
 * conditions ordered so the cheap tests run first.
 */

/** Normalized event fields a `field` condition may test. */
export const MATCHABLE_FIELDS = [
  'sqlstate', 'exception', 'driver', 'origin', 'level', 'format', 'severity', 'logger', 'serverEvent', 'serverEventKind',
  'errorCode', 'failureType', 'peer', 'errno', 'phase', 'driverFailure',
] as const;

/**
 * A mapping with several keys means all of them; lists under all/any hold nested conditions.
 * The schema has checked the shape; what is left is what only the regex engine can say.
 */
export function readCondition(reader: Reader, node: Node): Condition | undefined {
  const parts: Condition[] = [];
  let broken = false;
  for (const [key, value] of reader.entries(node)) {
    const at = reader.pos(value);
    switch (key) {
      case 'contains':
        // A quoted server message also holds in the languages the server may log in.
        parts.push({ kind: 'contains', values: withTranslations(reader.texts(value) ?? []), pos: at });
        break;
      case 'icontains': {
        const values = reader.texts(value) ?? [];
        parts.push({ kind: 'icontains', values, lower: values.map((v) => v.toLowerCase()), pos: at });
        break;
      }
      case 'regex': {
        const source = reader.text(value) ?? '';
        const compiled = compileRegex(source);
        if ('error' in compiled) {
          reader.error(value, `regex does not compile: ${compiled.error}`);
          broken = true;
        } else parts.push({ kind: 'regex', source, test: compiled.test, pos: at });
        break;
      }
      case 'field':
        for (const [name, v] of reader.entries(value)) parts.push({ kind: 'field', name, values: reader.texts(v) ?? [], pos: reader.pos(v) });
        break;
      case 'all':
      case 'any': {
        const items = isSeq(value) ? value.items.map((i) => readCondition(reader, i as Node)) : [];
        if (items.some((c) => c === undefined)) broken = true;
        else parts.push({ kind: key, items: byCost(items as Condition[]), pos: at });
        break;
      }
      case 'not': {
        const item = readCondition(reader, value);
        if (item) parts.push({ kind: 'not', item, pos: at });
        else broken = true;
        break;
      }
    }
  }
  if (broken || parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { kind: 'all', items: byCost(parts), pos: reader.pos(node) };
}

/** Cheap tests first: a failed field or literal test spares the regex engine in `all` and `any`. */
function cost(c: Condition): number {
  switch (c.kind) {
    case 'field':
      return 0;
    case 'contains':
      return 1;
    case 'icontains':
      return 2;
    case 'regex':
      return 10;
    case 'not':
      return cost(c.item);
    default:
      return Math.max(...c.items.map(cost));
  }
}

function byCost(items: Condition[]): Condition[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => cost(a.item) - cost(b.item) || a.i - b.i)
    .map((x) => x.item);
}
