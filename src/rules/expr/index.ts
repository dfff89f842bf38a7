/**
 * The `when:` context-condition language of rules.
 *
 *   const parsed = parseExpression('gap_before >= 240s and not inputs.server');
 *   if (!parsed.ok) report(parsed.error.message);           // "... at column 17"
 *   const { value, witnesses } = evaluate(parsed.ast, ctx);  // per incident
 *
 * See docs/rules.md for the language, evaluate.ts for the three-valued semantics.
 *
 * `parseExpression` is imported from parse.ts, not from here: parsing needs the chevrotain
 * grammar, and the analysis (which only evaluates the ASTs of the bundled pack's compiled copy)
 * imports this module, so a run that reads no rule file never loads the grammar.
 */
import type { CompareOp, Expr } from './ast.js';

export type * from './ast.js';
export { COMPARE_OPS } from './ast.js';
export {
  evaluate,
  evaluateTruth,
  formatDuration,
  type EvaluateResult,
  type ExprContext,
  type ExprValue,
  type Truth,
  type ValueOrigin,
  type Witness,
} from './evaluate.js';
export { describe, describeOperand, durationLiteral } from './describe.js';
export { VARIABLES, knownVariablesHint, lookupVariable, type CaseView, type VariableDef, type VariableScope, type VariableType } from './variables.js';

/** Rule ids the expression refers to (`within ... of rule:ID`, `count(rule:ID)`), first use first. */
export function referencedRules(ast: Expr): string[] {
  const ids = new Set<string>();
  walk(ast, (e) => {
    if (e.kind === 'near') ids.add(e.rule);
    for (const o of operandsOf(e)) if (o.kind === 'count' && o.target.kind === 'rule') ids.add(o.target.rule);
  });
  return [...ids];
}

/**
 * Rule ids whose number of records the expression reads: `count(rule:ID)` used other than as a
 * presence test against a literal (`== 0`, `!= 0`, `> 0`, `>= 1`, `< 1`, `<= 0`). `within … of
 * rule:ID` and presence tests only ask whether some record is there.
 */
export function countedRules(ast: Expr): string[] {
  const ids = new Set<string>();
  walk(ast, (e) => {
    if (e.kind === 'truthy' && e.operand.kind === 'count') return; // `count(...)` alone: is it non-zero
    if (e.kind !== 'compare') return;
    for (const [count, other, op] of [
      [e.left, e.right, e.op],
      [e.right, e.left, mirror(e.op)],
    ] as const) {
      if (count.kind !== 'count' || count.target.kind !== 'rule') continue;
      if (!(other.kind === 'number' && isPresenceTest(op, other.value))) ids.add(count.target.rule);
    }
  });
  return [...ids];
}

/** `count op n` that only tells zero from non-zero. */
function isPresenceTest(op: CompareOp, n: number): boolean {
  return ((op === '==' || op === '!=' || op === '>' || op === '<=') && n === 0) || ((op === '>=' || op === '<') && n === 1);
}

/** `a op b` as `b op' a`. */
function mirror(op: CompareOp): CompareOp {
  return op === '>' ? '<' : op === '<' ? '>' : op === '>=' ? '<=' : op === '<=' ? '>=' : op;
}

/** Dotted variable names the expression reads, first use first. */
export function referencedVariables(ast: Expr): string[] {
  const names = new Set<string>();
  walk(ast, (e) => {
    for (const o of operandsOf(e)) if (o.kind === 'path') names.add(o.path.join('.'));
  });
  return [...names];
}

function operandsOf(e: Expr) {
  return e.kind === 'compare' ? [e.left, e.right] : e.kind === 'truthy' ? [e.operand] : [];
}

function walk(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  if (e.kind === 'and' || e.kind === 'or') for (const i of e.items) walk(i, visit);
  else if (e.kind === 'not') walk(e.item, visit);
}
