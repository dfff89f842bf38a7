/**
 * Evaluates a parsed `when:` expression for one incident.
 *
 * Logic is three-valued (Kleene): every condition is true, false or unknown.
 *   - A comparison is unknown when an operand has no value (the logs never showed it) or when
 *     the operands have different types (a string against a number, a boolean against a
 *     number...). A bare name is unknown when it has no value.
 *   - `a and b` is false if either is false, else unknown if either is unknown, else true.
 *   - `a or b`  is true if either is true, else unknown if either is unknown, else false.
 *   - `not a`   swaps true and false; **not of unknown is unknown**.
 * The result is `value: true` only when the whole expression is true: unknown means "does not
 * hold", and `not` cannot turn missing data into evidence. (`not gap_before >= 240s` is
 * therefore false, not true, when gap_before is unknown.)
 *
 * Witnesses are the values that decided the result, formatted for people: for a true `and`
 * every part; for a false `and` the part that failed; for `or` the reverse.
 */
import type { CountRef, Expr, Operand } from './ast.js';
import { lookupVariable } from './variables.js';

export interface ValueOrigin {
  source: string;
  line: number;
  text: string;
}

export interface ExprValue {
  /** Durations are milliseconds. */
  value: number | string | boolean;
  origin?: ValueOrigin;
  /**
   * Set when `value` is a duration in ms, so witnesses print `312 s` rather than `312000`.
   * Optional: the built-in duration variables (gap_before, server.*timeout, pool.recycle) and
   * values compared with a duration literal are shown as durations anyway.
   */
  duration?: boolean;
}

export interface ExprContext {
  /** gap_before, config.x, server.x, pool.x ... (see variables.ts); undefined when not known. */
  value(path: string[]): ExprValue | undefined;
  /** Incidents (sessions) failing within ±window of this one, including it. */
  countIncidents(windowMs: number): number;
  /** Records matched by that rule within ±window of this incident's failure. */
  countRule(ruleId: string, windowMs: number): number;
  /** The record matched by that rule closest to the failure within ±window, if any. */
  nearestRule(ruleId: string, windowMs: number): ValueOrigin | undefined;
}

export interface Witness {
  name: string;
  value: string;
  origin?: ValueOrigin;
}

export interface EvaluateResult {
  value: boolean;
  witnesses: Witness[];
}

/** `true`, `false` or `unknown`. */
export type Truth = 'true' | 'false' | 'unknown';

interface Outcome {
  truth: Truth;
  witnesses: Witness[];
}

export function evaluate(ast: Expr, ctx: ExprContext): EvaluateResult {
  const out = evalExpr(ast, ctx);
  return { value: out.truth === 'true', witnesses: dedupe(out.witnesses) };
}

/** The three-valued result, for callers that want to tell "false" from "unknown". */
export function evaluateTruth(ast: Expr, ctx: ExprContext): { truth: Truth; witnesses: Witness[] } {
  const out = evalExpr(ast, ctx);
  return { truth: out.truth, witnesses: dedupe(out.witnesses) };
}

function evalExpr(e: Expr, ctx: ExprContext): Outcome {
  switch (e.kind) {
    case 'and': {
      const parts = e.items.map((i) => evalExpr(i, ctx));
      const falsy = parts.find((p) => p.truth === 'false');
      if (falsy) return { truth: 'false', witnesses: falsy.witnesses };
      const unknown = parts.filter((p) => p.truth === 'unknown');
      if (unknown.length) return { truth: 'unknown', witnesses: unknown.flatMap((p) => p.witnesses) };
      return { truth: 'true', witnesses: parts.flatMap((p) => p.witnesses) };
    }
    case 'or': {
      const parts = e.items.map((i) => evalExpr(i, ctx));
      const truthy = parts.find((p) => p.truth === 'true');
      if (truthy) return { truth: 'true', witnesses: truthy.witnesses };
      const unknown = parts.filter((p) => p.truth === 'unknown');
      if (unknown.length) return { truth: 'unknown', witnesses: unknown.flatMap((p) => p.witnesses) };
      return { truth: 'false', witnesses: parts.flatMap((p) => p.witnesses) };
    }
    case 'not': {
      const inner = evalExpr(e.item, ctx);
      const truth: Truth = inner.truth === 'true' ? 'false' : inner.truth === 'false' ? 'true' : 'unknown';
      return { truth, witnesses: inner.witnesses };
    }
    case 'near': {
      const origin = ctx.nearestRule(e.rule, e.windowMs);
      const window = formatDuration(e.windowMs);
      if (origin) return { truth: 'true', witnesses: [{ name: `rule:${e.rule}`, value: `within ${window}`, origin }] };
      return { truth: 'false', witnesses: [{ name: `rule:${e.rule}`, value: `none within ${window}` }] };
    }
    case 'truthy': {
      const v = operandValue(e.operand, ctx);
      const witnesses = witnessOf(e.operand, v, false);
      if (!v) return { truth: 'unknown', witnesses };
      const x = v.value;
      return { truth: x === 0 || x === false || x === '' ? 'false' : 'true', witnesses };
    }
    case 'compare': {
      const l = operandValue(e.left, ctx);
      const r = operandValue(e.right, ctx);
      const asDuration = isDurationLike(e.left, l) || isDurationLike(e.right, r);
      const witnesses = [...witnessOf(e.left, l, asDuration), ...witnessOf(e.right, r, asDuration)];
      return { truth: compare(e.op, l?.value, r?.value), witnesses };
    }
  }
}

function compare(op: string, a: number | string | boolean | undefined, b: number | string | boolean | undefined): Truth {
  if (a === undefined || b === undefined) return 'unknown';
  if (typeof a !== typeof b) return 'unknown';
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return 'unknown';
    return bool(op === '>=' ? a >= b : op === '>' ? a > b : op === '<=' ? a <= b : op === '<' ? a < b : op === '==' ? a === b : a !== b);
  }
  if (op !== '==' && op !== '!=') return 'unknown';
  // Strings compare without regard to case: logs and config files disagree on `Transaction`.
  const same = typeof a === 'string' ? a.toLowerCase() === (b as string).toLowerCase() : a === b;
  return bool(op === '==' ? same : !same);
}

function bool(x: boolean): Truth {
  return x ? 'true' : 'false';
}

interface Resolved extends ExprValue {
  name?: string;
}

function operandValue(o: Operand, ctx: ExprContext): Resolved | undefined {
  switch (o.kind) {
    case 'number':
      return { value: o.value };
    case 'duration':
      return { value: o.ms, duration: true };
    case 'string':
      return { value: o.value };
    case 'boolean':
      return { value: o.value };
    case 'path': {
      const v = ctx.value(o.path.slice());
      if (!v || v.value === undefined || v.value === null) return undefined;
      return v;
    }
    case 'count':
      return { value: countValue(o, ctx) };
  }
}

function countValue(o: CountRef, ctx: ExprContext): number {
  return o.target.kind === 'incidents' ? ctx.countIncidents(o.windowMs) : ctx.countRule(o.target.rule, o.windowMs);
}

function isDurationLike(o: Operand, v: Resolved | undefined): boolean {
  if (o.kind === 'duration') return true;
  if (o.kind === 'path') return v?.duration === true || lookupVariable(o.path)?.type === 'duration';
  return false;
}

/** Literals are in the rule text already; only looked-up values are witnesses. */
function witnessOf(o: Operand, v: Resolved | undefined, asDuration: boolean): Witness[] {
  if (o.kind === 'path') {
    const name = o.path.join('.');
    if (!v) return [{ name, value: 'unknown (not seen in the inputs)' }];
    const duration = (asDuration || v.duration === true || lookupVariable(o.path)?.type === 'duration') && typeof v.value === 'number';
    const w: Witness = { name, value: duration ? formatDuration(v.value as number) : formatPlain(v.value) };
    if (v.origin) w.origin = v.origin;
    return [w];
  }
  if (o.kind === 'count') {
    const target = o.target.kind === 'incidents' ? 'sessions failed' : `rule:${o.target.rule}`;
    return [{ name: `count(${target} within ${formatDuration(o.windowMs)})`, value: String(v?.value ?? 0) }];
  }
  return [];
}

function formatPlain(v: number | string | boolean): string {
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}

/**
 * A duration for people: `850 ms`, `42 s`, `312 s`, `3600 s`, `90 min`, `2.5 h`, `3 d`. Seconds are
 * kept up to an hour because timeouts are usually configured (and logged) in seconds.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${trim(a)} ms`;
  const s = a / 1000;
  if (s <= 3600) return `${sign}${trim(s)} s`;
  if (s < 7200) return `${sign}${trim(s / 60)} min`;
  const h = s / 3600;
  if (h < 48) return `${sign}${trim(h)} h`;
  return `${sign}${trim(h / 24)} d`;
}

function trim(x: number): string {
  return String(Math.round(x * 10) / 10);
}

function dedupe(ws: Witness[]): Witness[] {
  const seen = new Set<string>();
  return ws.filter((w) => {
    const key = `${w.name}\u0000${w.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
