/**
 * Canonical text of an expression, for `--explain` and for comparing rules. It parses back to
 * the same tree: parentheses are added where precedence or nesting needs them, durations use
 * the largest unit that divides them exactly (seconds up to 10 minutes), a trailing `within` is moved into each count().
 */
import type { Expr, Operand } from './ast.js';

export function describe(e: Expr): string {
  switch (e.kind) {
    case 'and':
      return e.items.map((i) => (i.kind === 'or' || i.kind === 'and' ? `(${describe(i)})` : describe(i))).join(' and ');
    case 'or':
      return e.items.map((i) => (i.kind === 'or' ? `(${describe(i)})` : describe(i))).join(' or ');
    case 'not':
      return e.item.kind === 'compare' || e.item.kind === 'and' || e.item.kind === 'or'
        ? `not (${describe(e.item)})`
        : `not ${describe(e.item)}`;
    case 'compare':
      return `${describeOperand(e.left)} ${e.op} ${describeOperand(e.right)}`;
    case 'truthy':
      return describeOperand(e.operand);
    case 'near':
      return `within ${durationLiteral(e.windowMs)} of rule:${e.rule}`;
  }
}

export function describeOperand(o: Operand): string {
  switch (o.kind) {
    case 'number':
      return numberLiteral(o.value);
    case 'duration':
      return durationLiteral(o.ms);
    case 'string':
      return o.value.includes("'") ? `"${o.value}"` : `'${o.value}'`;
    case 'boolean':
      return String(o.value);
    case 'path':
      return o.path.join('.');
    case 'count': {
      const target = o.target.kind === 'incidents' ? 'sessions failed' : `rule:${o.target.rule}`;
      return `count(${target} within ${durationLiteral(o.windowMs)})`;
    }
  }
}

/** Unit, its size in ms, and the smallest value written in it (240s stays 240s, 600s is 10m). */
const UNITS: Array<[string, number, number]> = [
  ['d', 86_400_000, 2 * 86_400_000],
  ['h', 3_600_000, 2 * 3_600_000],
  ['m', 60_000, 10 * 60_000],
  ['s', 1000, 1000],
];

/** `600000` → `10m`, `240000` → `240s`, `7200000` → `2h`, `1500` → `1500ms`. */
export function durationLiteral(ms: number): string {
  for (const [unit, size, from] of UNITS) if (ms >= from && ms % size === 0) return `${numberLiteral(ms / size)}${unit}`;
  return `${numberLiteral(ms)}ms`;
}

/** Plain decimal notation (the expression language has no exponents). */
function numberLiteral(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  if (Number.isInteger(n)) return BigInt(n).toString();
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}
