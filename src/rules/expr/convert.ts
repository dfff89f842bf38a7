/**
 * CST → AST, the grammar's other half: one converter method per CST rule of grammar.ts, read top
 * to bottom beside it, with the checks that need meaning (count targets and windows, `within`
 * after a comparison, comparisons that can never be true, unknown variables). Problems are
 * thrown as `Problem` and turned into errors with positions by parse.ts.
 */
import type { CstElement, CstNode, IToken, TokenType } from 'chevrotain';
import type { CompareExpr, CompareOp, CountRef, CountTarget, Expr, Operand, Span } from './ast.js';
import { CompareOp as CompareOpToken, Count, Duration, False, Identifier, LParen, Not, NumberLiteral, RParen, RuleRef, StringLiteral, True } from './grammar.js';
import { knownVariablesHint, lookupVariable, suggestVariable, type VariableType } from './variables.js';

/** A problem found while parsing or converting, at an offset; parseExpression turns it into an ExprError. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration literal (`90s`, `1.5h`) in ms, or undefined for an unknown unit. */
export function durationMs(image: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)([A-Za-z_][A-Za-z0-9_]*)$/.exec(image);
  if (!m) return undefined;
  const factor = UNIT_MS[m[2]];
  if (factor === undefined) return undefined;
  return Math.round(Number(m[1]) * factor * 1000) / 1000;
}

export class Problem {
  constructor(
    readonly message: string,
    readonly offset: number,
    readonly hint?: string,
  ) {}
}

function children(node: CstNode, name: string): CstElement[] {
  return node.children[name] ?? [];
}

function nodes(node: CstNode, name: string): CstNode[] {
  return children(node, name) as CstNode[];
}

function tokens(node: CstNode, name: string): IToken[] {
  return children(node, name) as IToken[];
}

function token(node: CstNode, type: TokenType): IToken | undefined {
  return tokens(node, type.name)[0];
}

function spanOf(t: IToken): Span {
  return { start: t.startOffset, end: t.endOffset! + 1 };
}

function join(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** The static type of an operand, when it is known from the text alone. */
type StaticType = VariableType | 'count';

const NEEDS_WINDOW = Symbol('needs window');
type PendingCount = Omit<CountRef, 'windowMs'> & { windowMs: number | typeof NEEDS_WINDOW };

export class Converter {
  constructor(private readonly isKnownVariable: (path: readonly string[]) => boolean) {}

  expression(node: CstNode): Expr {
    return this.orExpr(nodes(node, 'orExpr')[0]);
  }

  private orExpr(node: CstNode): Expr {
    const items = nodes(node, 'andExpr').map((n) => this.andExpr(n));
    return items.length === 1 ? items[0] : { kind: 'or', items, span: join(items[0].span, items[items.length - 1].span) };
  }

  private andExpr(node: CstNode): Expr {
    const items = nodes(node, 'notExpr').map((n) => this.notExpr(n));
    return items.length === 1 ? items[0] : { kind: 'and', items, span: join(items[0].span, items[items.length - 1].span) };
  }

  private notExpr(node: CstNode): Expr {
    let expr = this.primary(nodes(node, 'primary')[0]);
    const nots = tokens(node, Not.name);
    for (let i = nots.length - 1; i >= 0; i--) expr = { kind: 'not', item: expr, span: join(spanOf(nots[i]), expr.span) };
    return expr;
  }

  private primary(node: CstNode): Expr {
    const group = nodes(node, 'group')[0];
    if (group) {
      const inner = this.orExpr(nodes(group, 'orExpr')[0]);
      inner.span = join(spanOf(token(group, LParen)!), spanOf(token(group, RParen)!));
      return inner;
    }
    const near = nodes(node, 'near')[0];
    if (near) {
      const ref = token(near, RuleRef)!;
      return {
        kind: 'near',
        windowMs: durationMs(token(near, Duration)!.image)!,
        rule: ref.image.slice('rule:'.length),
        span: join(spanOf(tokens(near, 'Within')[0]), spanOf(ref)),
      };
    }
    return this.comparison(nodes(node, 'comparison')[0]);
  }

  private comparison(node: CstNode): Expr {
    const operandNodes = nodes(node, 'operand');
    const operands = operandNodes.map((n) => this.operand(n));
    const within = tokens(node, 'Within')[0];
    const windowToken = token(node, Duration);
    let span = operands.length === 2 ? join(operands[0].span, operands[1].span) : operands[0].span;
    if (within && windowToken) {
      span = join(span, spanOf(windowToken));
      const counts = operands.filter((o): o is PendingCount => o.kind === 'count');
      if (counts.length === 0) {
        throw new Problem(`"within ${windowToken.image}" after a comparison applies to count(...), but this comparison has none`, within.startOffset);
      }
      for (const c of counts) {
        if (c.windowMs !== NEEDS_WINDOW) {
          throw new Problem(`this count(...) has its own window already; drop "within ${windowToken.image}" or the one inside`, within.startOffset);
        }
        c.windowMs = durationMs(windowToken.image)!;
      }
    }
    for (const o of operands) {
      if (o.kind === 'count' && o.windowMs === NEEDS_WINDOW) {
        throw new Problem(
          'count(...) needs a time window',
          o.span.start,
          'write count(sessions failed within 2s) or add "within 2s" after the comparison',
        );
      }
    }
    const finished = operands as Operand[];
    if (finished.length === 1) return { kind: 'truthy', operand: finished[0], span };
    const opToken = token(node, CompareOpToken)!;
    const expr: CompareExpr = { kind: 'compare', op: opToken.image as CompareOp, left: finished[0], right: finished[1], span };
    this.checkComparable(expr, opToken);
    return expr;
  }

  /** Refuses comparisons whose operand types show they can never hold. */
  private checkComparable(expr: CompareExpr, opToken: IToken): void {
    const lt = staticType(expr.left);
    const rt = staticType(expr.right);
    const ordering = expr.op !== '==' && expr.op !== '!=';
    for (const [t, o] of [[lt, expr.left], [rt, expr.right]] as const) {
      if (ordering && (t === 'string' || t === 'boolean')) {
        throw new Problem(`${describeType(t, o)} cannot be compared with "${expr.op}"`, o.span.start, 'only == and != compare strings and booleans');
      }
    }
    if (lt === 'any' || rt === 'any' || lt === rt) return;
    const numeric = (t: StaticType) => t === 'number' || t === 'count';
    if (numeric(lt) && numeric(rt)) return;
    // A plain 0 is a fine bound for a duration.
    const isZero = (o: Operand) => o.kind === 'number' && o.value === 0;
    if ((lt === 'duration' && isZero(expr.right)) || (rt === 'duration' && isZero(expr.left))) return;
    const durationSide = lt === 'duration' ? expr.left : rt === 'duration' ? expr.right : undefined;
    const numberSide = lt === 'number' ? expr.left : rt === 'number' ? expr.right : undefined;
    if (durationSide && numberSide?.kind === 'number') {
      throw new Problem(
        `${describeType('duration', durationSide)} is a duration but ${numberSide.value} has no unit`,
        numberSide.span.start,
        `write ${numberSide.value}s, ${numberSide.value}ms, ${numberSide.value}m ...`,
      );
    }
    throw new Problem(`cannot compare ${describeType(lt, expr.left)} with ${describeType(rt, expr.right)}`, opToken.startOffset);
  }

  private operand(node: CstNode): Operand | PendingCount {
    const number = token(node, NumberLiteral);
    if (number) return { kind: 'number', value: Number(number.image), span: spanOf(number) };
    const duration = token(node, Duration);
    if (duration) return { kind: 'duration', ms: durationMs(duration.image)!, span: spanOf(duration) };
    const string = token(node, StringLiteral);
    if (string) return { kind: 'string', value: string.image.slice(1, -1), span: spanOf(string) };
    const t = token(node, True) ?? token(node, False);
    if (t) return { kind: 'boolean', value: t.tokenType === True, span: spanOf(t) };
    const path = nodes(node, 'path')[0];
    if (path) return this.path(path);
    return this.count(nodes(node, 'count')[0]);
  }

  private path(node: CstNode): Operand {
    const first = token(node, Identifier)!;
    const rest = tokens(node, 'Name');
    const parts = [first, ...rest];
    const span = join(spanOf(first), spanOf(parts[parts.length - 1]));
    const path = parts.map((p) => p.image);
    if (!this.isKnownVariable(path)) {
      const name = path.join('.');
      const suggestion = suggestVariable(name);
      throw new Problem(
        `unknown variable "${name}"`,
        first.startOffset,
        suggestion ? `did you mean ${suggestion}?` : knownVariablesHint(),
      );
    }
    return { kind: 'path', path, span };
  }

  private count(node: CstNode): PendingCount {
    const countToken = token(node, Count)!;
    const rparen = token(node, RParen)!;
    const ref = token(node, RuleRef);
    let target: CountTarget;
    if (ref) {
      target = { kind: 'rule', rule: ref.image.slice('rule:'.length) };
    } else {
      const words = tokens(node, Identifier.name);
      const phrase = words.map((w) => w.image).join(' ');
      if (!['sessions failed', 'failed sessions', 'incidents', 'failures'].includes(phrase)) {
        throw new Problem(`cannot count "${phrase}"`, words[0].startOffset, 'count "sessions failed", "incidents", "failures" or rule:ID');
      }
      target = { kind: 'incidents' };
    }
    const window = token(node, Duration);
    return {
      kind: 'count',
      target,
      windowMs: window ? durationMs(window.image)! : NEEDS_WINDOW,
      span: join(spanOf(countToken), spanOf(rparen)),
    };
  }
}

function staticType(o: Operand): StaticType {
  switch (o.kind) {
    case 'number':
      return 'number';
    case 'duration':
      return 'duration';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'count':
      return 'count';
    case 'path':
      return lookupVariable(o.path)?.type ?? 'any';
  }
}

function describeType(t: StaticType, o: Operand): string {
  if (o.kind === 'path') return o.path.join('.');
  if (o.kind === 'count') return 'count(...)';
  if (t === 'string') return `the string '${(o as { value: string }).value}'`;
  return `a ${t}`;
}
