import { expect } from 'vitest';
import type { Expr, ExprContext, ExprValue, ValueOrigin } from '../../../src/rules/expr/index.js';
import { parseExpression, type ParseOptions } from '../../../src/rules/expr/parse.js';

/** Parses or fails the test with the parser's message. */
export function parse(text: string, options?: ParseOptions): Expr {
  const r = parseExpression(text, options);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${r.error.message}`);
  return r.ast;
}

/** The error of an expression that must not parse. */
export function parseError(text: string) {
  const r = parseExpression(text);
  expect(r.ok, `expected ${JSON.stringify(text)} to be rejected`).toBe(false);
  if (r.ok) throw new Error('unreachable');
  return r.error;
}

/** The tree without spans, for shape comparisons. */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'span') out[k] = shape(v);
    return out;
  }
  return value;
}

export interface FakeHit {
  /** ms relative to the failure (negative = before). */
  at: number;
  origin: ValueOrigin;
}

/** A context for an incident failing at t=0. */
export function fakeContext(opts: {
  values?: Record<string, ExprValue>;
  incidents?: number[];
  hits?: Record<string, FakeHit[]>;
}): ExprContext & { calls: string[] } {
  const calls: string[] = [];
  const hits = opts.hits ?? {};
  return {
    calls,
    value(path) {
      calls.push(`value:${path.join('.')}`);
      return opts.values?.[path.join('.')];
    },
    countIncidents(windowMs) {
      calls.push(`incidents:${windowMs}`);
      return (opts.incidents ?? [0]).filter((t) => Math.abs(t) <= windowMs).length;
    },
    countRule(ruleId, windowMs) {
      calls.push(`rule:${ruleId}:${windowMs}`);
      return (hits[ruleId] ?? []).filter((h) => Math.abs(h.at) <= windowMs).length;
    },
    nearestRule(ruleId, windowMs) {
      calls.push(`near:${ruleId}:${windowMs}`);
      const inWindow = (hits[ruleId] ?? []).filter((h) => Math.abs(h.at) <= windowMs);
      inWindow.sort((a, b) => Math.abs(a.at) - Math.abs(b.at));
      return inWindow[0]?.origin;
    },
  };
}
