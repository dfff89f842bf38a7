import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describe as describeExpr, evaluate, type Expr, type Operand } from '../../../src/rules/expr/index.js';
import { parseExpression, type ParseResult } from '../../../src/rules/expr/parse.js';
import { fakeContext, shape } from './helpers.js';

const PARAMS = { seed: 20_240_501, numRuns: 300 };

function checkResult(text: string, r: ParseResult): void {
  if (r.ok) {
    expect(r.ast.kind).toBeTypeOf('string');
    return;
  }
  expect(r.error.offset).toBeGreaterThanOrEqual(0);
  expect(r.error.offset).toBeLessThanOrEqual(text.length);
  expect(r.error.column).toBeGreaterThanOrEqual(1);
  expect(r.error.line).toBeGreaterThanOrEqual(1);
  expect(r.error.message).toMatch(/at (line \d+, )?column \d+/);
}

/** Pieces of the language, valid and invalid, to glue into token soups. */
const PIECES = [
  'gap_before', 'tx_open', 'config.pool_recycle', 'server.idle_timeout', 'pool.mode', 'config', '.', 'foo',
  'and', 'or', 'not', 'within', 'of', 'count', '(', ')', 'rule:pg-admin-terminate', 'rule:', 'rule:X',
  'sessions', 'failed', 'incidents', 'failures', 'true', 'false',
  '>=', '>', '<=', '<', '==', '!=', '=>', '=', '!', '&&', '||',
  '3', '0', '2.5', '240s', '5m', '5min', '500ms', '1d', '2h', '5x', "'transaction'", '"session"', "'open", '"open',
  '\n', '\t', ',', '#', '-', 'é', '\u0000',
];

describe('the parser never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 120 })), (text) => {
        let r: ParseResult | undefined;
        expect(() => (r = parseExpression(text))).not.toThrow();
        checkResult(text, r!);
      }),
      PARAMS,
    );
  });

  it('on token soups', () => {
    const soup = fc
      .tuple(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), fc.constantFrom(' ', '', '  '))
      .map(([parts, sep]) => parts.join(sep));
    fc.assert(
      fc.property(soup, (text) => {
        let r: ParseResult | undefined;
        expect(() => (r = parseExpression(text))).not.toThrow();
        checkResult(text, r!);
      }),
      PARAMS,
    );
  });

  it('on oversized and deeply nested input', () => {
    const big = fc.tuple(fc.constantFrom('(', 'not ', '(not ', 'tx_open and ', 'x'), fc.integer({ min: 30, max: 3000 }));
    fc.assert(
      fc.property(big, ([piece, n]) => {
        const text = piece.repeat(n);
        let r: ParseResult | undefined;
        expect(() => (r = parseExpression(text))).not.toThrow();
        checkResult(text, r!);
      }),
      { ...PARAMS, numRuns: 60 },
    );
  });

  it('handles non-string input as an error', () => {
    expect(parseExpression(undefined as unknown as string).ok).toBe(false);
    expect(parseExpression(42 as unknown as string).ok).toBe(false);
  });
});

// Random well-formed trees: describe() must print text that parses back to the same tree,
// and evaluation must be total.
const span = { start: 0, end: 0 };
const ruleId = fc.constantFrom('pg-admin-terminate', 'a', 'x.y_z-1');
const durationMs = fc.oneof(
  fc.integer({ min: 0, max: 5000 }),
  fc.integer({ min: 1, max: 600 }).map((s) => s * 1000),
  fc.integer({ min: 1, max: 48 }).map((h) => h * 3_600_000),
);
const durationOperand: fc.Arbitrary<Operand> = durationMs.map((ms) => ({ kind: 'duration', ms, span }));
const countOperand: fc.Arbitrary<Operand> = fc.record({
  kind: fc.constant('count' as const),
  target: fc.oneof(fc.constant({ kind: 'incidents' as const }), ruleId.map((rule) => ({ kind: 'rule' as const, rule }))),
  windowMs: durationMs,
  span: fc.constant(span),
});
const numberOperand: fc.Arbitrary<Operand> = fc.oneof(fc.nat(100_000), fc.constantFrom(0.5, 2.25)).map((value) => ({ kind: 'number', value, span }));
const path = (...p: string[]): Operand => ({ kind: 'path', path: p, span });

const comparison: fc.Arbitrary<Expr> = fc.oneof(
  fc.tuple(fc.constantFrom('>=', '>', '<=', '<', '==', '!=' as const), durationOperand).map(([op, right]): Expr => ({
    kind: 'compare', op, left: path('gap_before'), right, span,
  })),
  fc.tuple(fc.constantFrom('>=', '<' as const), countOperand, numberOperand).map(([op, left, right]): Expr => ({
    kind: 'compare', op, left, right, span,
  })),
  fc.tuple(fc.constantFrom('==', '!=' as const), fc.constantFrom('transaction', 'session', "it's")).map(([op, value]): Expr => ({
    kind: 'compare', op, left: path('pool', 'mode'), right: { kind: 'string', value, span }, span,
  })),
  fc.constant<Expr>({ kind: 'compare', op: '>', left: path('config', 'pool_recycle'), right: path('server', 'idle_timeout'), span }),
  fc.constant<Expr>({ kind: 'truthy', operand: path('tx_open'), span }),
  fc.tuple(ruleId, durationMs).map(([rule, windowMs]): Expr => ({ kind: 'near', rule, windowMs, span })),
);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    (tie('expr') as fc.Arbitrary<Expr>).map((item): Expr => ({ kind: 'not', item, span })),
    fc.array(tie('expr') as fc.Arbitrary<Expr>, { minLength: 2, maxLength: 3 }).map((items): Expr => ({ kind: 'and', items, span })),
    fc.array(tie('expr') as fc.Arbitrary<Expr>, { minLength: 2, maxLength: 3 }).map((items): Expr => ({ kind: 'or', items, span })),
  ),
}));

describe('describe() round-trips', () => {
  it('parse(describe(ast)) is ast', () => {
    fc.assert(
      fc.property(expr, (ast) => {
        const text = describeExpr(ast);
        fc.pre(text.length <= 2000);
        const r = parseExpression(text);
        if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
        expect(shape(r.ast)).toEqual(shape(ast));
      }),
      PARAMS,
    );
  });

  it('evaluation is total and witnesses are well formed', () => {
    const ctx = fc.record({
      gap: fc.option(fc.nat(10_000_000), { nil: undefined }),
      tx: fc.option(fc.boolean(), { nil: undefined }),
      mode: fc.option(fc.constantFrom('transaction', 'session', 42), { nil: undefined }),
      incidents: fc.array(fc.integer({ min: -10_000, max: 10_000 }), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(expr, ctx, (ast, c) => {
        const values: Record<string, { value: number | string | boolean }> = {};
        if (c.gap !== undefined) values.gap_before = { value: c.gap };
        if (c.tx !== undefined) values.tx_open = { value: c.tx };
        if (c.mode !== undefined) values['pool.mode'] = { value: c.mode };
        const r = evaluate(ast, fakeContext({ values, incidents: [0, ...c.incidents] }));
        expect(typeof r.value).toBe('boolean');
        for (const w of r.witnesses) {
          expect(w.name).toBeTypeOf('string');
          expect(w.value).toBeTypeOf('string');
        }
        // An expression and its negation never both hold.
        const negated = evaluate({ kind: 'not', item: ast, span }, fakeContext({ values, incidents: [0, ...c.incidents] }));
        expect(r.value && negated.value).toBe(false);
      }),
      PARAMS,
    );
  });
});
