import { classNamesForCode } from '../formats/common/client-sqlstate.js';
import { errnoWordings } from '../formats/common/socket-errors.js';
import { driverWordings } from '../formats/common/driver-wording.js';
import { MAX_EXPANSION, regexLiteralGroups, regexLiterals } from './regex-literals.js';
import type { Condition } from './types.js';

export { regexLiteralGroups, regexLiterals } from './regex-literals.js';

/**
 * The literals of which at least one must occur (case-insensitively) in a record for the
 * condition to be true. An empty result means the condition cannot be prefiltered, and the
 * rule is then evaluated on every record.
 */
export function requiredLiterals(condition: Condition): string[] {
  const found = literalsOf(condition);
  return found ?? [];
}

/**
 * A SQLSTATE condition needs the code in the text, or a driver class that implies it: per code,
 * the code first, then its class names, lowercased. Other field conditions have no literal.
 */
/** A field read from a wording table needs one of the table's wordings for its values. */
function tableWordings(c: Extract<Condition, { kind: 'field' }>): string[] | undefined {
  if (c.name === 'errno') return errnoWordings(c.values).map((v) => v.toLowerCase());
  if (c.name === 'driverFailure') return driverWordings(c.values).map((v) => v.toLowerCase());
  return undefined;
}

function sqlstateSpellings(c: Extract<Condition, { kind: 'field' }>): string[][] | undefined {
  if (c.name !== 'sqlstate') return undefined;
  return c.values.map((code) => [code.toLowerCase(), ...classNamesForCode(code).map((n) => n.toLowerCase())]);
}

/** An alternation can be prefiltered only if every alternative can: then any of theirs will do. */
function anyOf<T>(items: readonly Condition[], of: (c: Condition) => T[] | undefined): T[] | undefined {
  const all: T[] = [];
  for (const item of items) {
    const sub = of(item);
    if (!sub) return undefined;
    all.push(...sub);
  }
  return all;
}

function literalsOf(c: Condition): string[] | undefined {
  switch (c.kind) {
    case 'contains':
    case 'icontains':
      return c.values.map((v) => v.toLowerCase());
    case 'regex':
      return regexLiterals(c.source);
    case 'field':
      return tableWordings(c) ?? sqlstateSpellings(c)?.flat();
    case 'any':
      return anyOf(c.items, literalsOf);
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

/**
 * A literal the byte prefilter looks for. `word`: the literal must not touch a letter or digit
 * on either side (a SQLSTATE code inside a hex address or a port number is not a code).
 */
export interface Lit {
  text: string;
  word?: boolean;
}

/**
 * Alternatives of which one must be found for the condition to be true; each alternative is
 * a list of literals that must all occur (in any order, case-insensitively). Undefined: the
 * condition cannot be prefiltered. Finer than `requiredLiterals`: a regex contributes every
 * mandatory run (`Connection to \S+ refused` needs both "connection to " and " refused"), and
 * small literal alternations are expanded (`(GET|POST) https?://` needs "get http" or "post
 * http", not any " http").
 */
export function requiredLiteralGroups(c: Condition): Lit[][] | undefined {
  switch (c.kind) {
    case 'contains':
    case 'icontains':
      return c.values.map((v) => [{ text: v.toLowerCase() }]);
    case 'regex':
      return regexLiteralGroups(c.source);
    case 'field':
      if (tableWordings(c)) return tableWordings(c)!.map((text) => [{ text }]);
      return sqlstateSpellings(c)?.map((spellings) => spellings.map((text, i) => (i === 0 ? [{ text, word: true }] : [{ text }]))).flat();
    case 'any':
      return anyOf(c.items, requiredLiteralGroups);
    case 'all': {
      // Every conjunct is necessary: combine two small ones, else keep the one with fewest alternatives.
      let best: Lit[][] | undefined;
      for (const item of c.items) {
        const sub = requiredLiteralGroups(item);
        if (!sub) continue;
        if (!best) best = sub;
        else if (best.length * sub.length <= MAX_EXPANSION) best = best.flatMap((a) => sub.map((b) => [...a, ...b]));
        else if (sub.length < best.length) best = sub;
      }
      return best;
    }
    default:
      return undefined;
  }
}
