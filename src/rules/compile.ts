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
  'errorCode', 'failureType', 'peer',
] as const;

const CONDITION_KEYS = ['contains', 'icontains', 'regex', 'field', 'all', 'any', 'not'];

/** A mapping with several keys means all of them; lists under all/any hold nested conditions. */
export function readCondition(reader: Reader, node: Node, where: string): Condition | undefined {
  const m = reader.map(node, `a match condition of ${where}`, CONDITION_KEYS);
  if (!m) return undefined;
  const parts: Condition[] = [];
  const pos = reader.pos(node);
  const errorsBefore = reader.errors.length;
  for (const [key, value] of m) {
    const at = reader.pos(value);
    switch (key) {
      case 'contains': {
        const values = reader.strings(value, 'contains');
        if (values?.some((v) => v.length === 0)) reader.error(value, 'contains needs a non-empty text');
        // A quoted server message also holds in the languages the server may log in.
        if (values) parts.push({ kind: 'contains', values: withTranslations(values), pos: at });
        break;
      }
      case 'icontains': {
        const values = reader.strings(value, 'icontains');
        if (values?.some((v) => v.length === 0)) reader.error(value, 'icontains needs a non-empty text');
        if (values) parts.push({ kind: 'icontains', values, lower: values.map((v) => v.toLowerCase()), pos: at });
        break;
      }
      case 'regex': {
        const source = reader.string(value, 'regex');
        if (source === undefined) break;
        const compiled = compileRegex(source);
        if ('error' in compiled) reader.error(value, `regex does not compile: ${compiled.error}`);
        else parts.push({ kind: 'regex', source, test: compiled.test, pos: at });
        break;
      }
      case 'field': {
        const fm = reader.map(value, 'field', MATCHABLE_FIELDS);
        if (fm)
          for (const [name, v] of fm) {
            const values = reader.strings(v, `field.${name}`);
            if (values) parts.push({ kind: 'field', name, values, pos: reader.pos(v) });
          }
        break;
      }
      case 'all':
      case 'any': {
        if (!isSeq(value) || value.items.length === 0) {
          reader.error(value, `${key} must be a non-empty list of conditions`);
          break;
        }
        const items = value.items.map((i) => readCondition(reader, i as Node, where)).filter((c): c is Condition => !!c);
        parts.push({ kind: key, items: byCost(items), pos: at });
        break;
      }
      case 'not': {
        const item = readCondition(reader, value, where);
        if (item) parts.push({ kind: 'not', item, pos: at });
        break;
      }
    }
  }
  if (parts.length === 0) {
    // Only when nothing inside was reported already (a bad regex is one error, not two).
    if (reader.errors.length === errorsBefore) reader.error(node, `empty match condition in ${where}`);
    return undefined;
  }
  return parts.length === 1 ? parts[0] : { kind: 'all', items: byCost(parts), pos };
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
