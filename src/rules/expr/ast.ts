/**
 * The typed syntax tree of a `when:` expression. Every node carries the span of text it came
 * from (offsets into the expression string, end exclusive) so later checks can point at it.
 */

export interface Span {
  start: number;
  end: number;
}

export type CompareOp = '>=' | '>' | '<=' | '<' | '==' | '!=';

export const COMPARE_OPS: readonly CompareOp[] = ['>=', '>', '<=', '<', '==', '!='];

/** A condition: the root of a parsed expression and every boolean sub-expression. */
export type Expr = AndExpr | OrExpr | NotExpr | CompareExpr | TruthyExpr | NearExpr;

/** `a and b and c`: holds when every item holds. */
export interface AndExpr {
  kind: 'and';
  items: Expr[];
  span: Span;
}

/** `a or b or c`: holds when some item holds. */
export interface OrExpr {
  kind: 'or';
  items: Expr[];
  span: Span;
}

/** `not a`. Unknown stays unknown (see evaluate.ts). */
export interface NotExpr {
  kind: 'not';
  item: Expr;
  span: Span;
}

/** `left op right`. A trailing `within D` has already been moved into the count operands. */
export interface CompareExpr {
  kind: 'compare';
  op: CompareOp;
  left: Operand;
  right: Operand;
  span: Span;
}

/** A bare operand used as a condition: holds when defined and not 0, false or ''. */
export interface TruthyExpr {
  kind: 'truthy';
  operand: Operand;
  span: Span;
}

/** `within 5s of rule:ID`: a record matched by the rule lies within ±window of the failure. */
export interface NearExpr {
  kind: 'near';
  rule: string;
  windowMs: number;
  span: Span;
}

export type Operand = NumberLit | DurationLit | StringLit | BooleanLit | PathRef | CountRef;

export interface NumberLit {
  kind: 'number';
  value: number;
  span: Span;
}

/** `500ms`, `30s`, `5m`/`5min`, `2h`, `1d`, normalized to milliseconds. */
export interface DurationLit {
  kind: 'duration';
  ms: number;
  span: Span;
}

export interface StringLit {
  kind: 'string';
  value: string;
  span: Span;
}

export interface BooleanLit {
  kind: 'boolean';
  value: boolean;
  span: Span;
}

/** A dotted variable name: `gap_before`, `config.pool_mode`, `server.idle_timeout`. */
export interface PathRef {
  kind: 'path';
  path: string[];
  span: Span;
}

/** What `count(...)` counts. `sessions failed`, `incidents` and `failures` are all `incidents`. */
export type CountTarget = { kind: 'incidents' } | { kind: 'rule'; rule: string };

/** `count(target within D)`, or `count(target) op n within D`; the window is always known here. */
export interface CountRef {
  kind: 'count';
  target: CountTarget;
  windowMs: number;
  span: Span;
}
