/**
 * `parseExpression`: text → typed AST, or an error as data. Never throws.
 *
 * Stages, each reporting the first problem it finds:
 *   1. limits (length) and lexing, plus the token-level checks the lexer left open on purpose
 *      (operator spelling, duration units, rule ids, unterminated strings);
 *   2. the nesting-depth limit, checked on the token vector before any recursion happens;
 *   3. the chevrotain parse;
 *   4. CST → AST with the checks that need meaning (count targets and windows, `within` after a
 *      comparison, comparisons that can never be true, unknown variables).
 *
 * Stage 4 is convert.ts.
 */
import type { IToken } from 'chevrotain';
import type { CompareOp, Expr } from './ast.js';
import { COMPARE_OPS } from './ast.js';
import { Converter, durationMs, Problem } from './convert.js';
import { And, CompareOp as CompareOpToken, Duration, LParen, Not, NumberLiteral, Or, RParen, RuleRef, UnterminatedString, exprLexer, parseTokens } from './grammar.js';
import { lookupVariable } from './variables.js';

/** Longest accepted expression, in characters. */
export const MAX_EXPRESSION_LENGTH = 2000;
/** Deepest accepted nesting of parentheses and `not`. */
export const MAX_NESTING_DEPTH = 32;

export interface ExprError {
  /** Readable message that ends with (or contains) `at column N`. */
  message: string;
  /** 0-based offset into the expression string. */
  offset: number;
  /** 1-based column within the expression string (within its line, if it spans lines). */
  column: number;
  /** 1-based line within the expression string; 1 unless the text contains line breaks. */
  line: number;
}

export type ParseResult = { ok: true; ast: Expr } | { ok: false; error: ExprError };

export interface ParseOptions {
  /**
   * Which variable names are accepted. Default: the built-in list (variables.ts). Pass
   * `() => true` to accept any name (unknown values then evaluate as "unknown").
   */
  isKnownVariable?: (path: readonly string[]) => boolean;
}

const RULE_ID = /^[a-z0-9][a-z0-9._-]*$/;

export function parseExpression(text: string, options: ParseOptions = {}): ParseResult {
  try {
    return parseUnsafe(text, options);
  } catch (error) {
    if (error instanceof Problem) return fail(String(text), error);
    // A bug or an exhausted stack must not take the rule loader down with it.
    return fail(typeof text === 'string' ? text : '', new Problem(`cannot parse the expression: ${(error as Error)?.message ?? error}`, 0));
  }
}

function parseUnsafe(text: string, options: ParseOptions): ParseResult {
  if (typeof text !== 'string') throw new Problem('the expression must be a string', 0);
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new Problem(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, MAX_EXPRESSION_LENGTH);
  }
  if (text.trim() === '') throw new Problem('the expression is empty', 0);

  const lexed = exprLexer().tokenize(text);
  const problems: Problem[] = [];
  const lexError = lexed.errors[0];
  if (lexError) problems.push(unexpectedCharacter(text, lexError.offset));
  const tokenProblem = checkTokens(lexed.tokens);
  if (tokenProblem) problems.push(tokenProblem);
  if (problems.length) throw problems.sort((a, b) => a.offset - b.offset)[0];

  checkDepth(lexed.tokens);

  const { cst, error } = parseTokens(lexed.tokens);
  if (error || !cst) {
    const [message, hint] = (error?.message ?? 'cannot parse the expression').split('\n');
    throw new Problem(message, error?.offset ?? text.length, hint);
  }
  const ast = new Converter(options.isKnownVariable ?? ((p) => lookupVariable(p) !== undefined)).expression(cst);
  return { ok: true, ast };
}

function fail(text: string, problem: Problem): ParseResult {
  const offset = Math.max(0, Math.min(problem.offset, text.length));
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const where = line > 1 ? `at line ${line}, column ${column}` : `at column ${column}`;
  const message = `${problem.message} ${where}${problem.hint ? ` (${problem.hint})` : ''}`;
  return { ok: false, error: { message, offset, column, line } };
}

function unexpectedCharacter(text: string, offset: number): Problem {
  const ch = String.fromCodePoint(text.codePointAt(offset) ?? 0);
  const two = text.slice(offset, offset + 2);
  const hint =
    two === '&&' ? 'write "and"' : two === '||' ? 'write "or"' : ch === ',' ? 'combine conditions with "and" or "or"' : undefined;
  const shown = /[\x00-\x1f\x7f]/.test(ch) ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : ch;
  return new Problem(`unexpected character "${shown}"`, offset, hint);
}

/** Checks left open by the lexer on purpose, so the message can name the exact problem. */
function checkTokens(tokens: IToken[]): Problem | undefined {
  for (const t of tokens) {
    const type = t.tokenType;
    if (type === UnterminatedString) return new Problem('unterminated string', t.startOffset, `no closing ${t.image[0]} on the same line`);
    if (type === CompareOpToken && !COMPARE_OPS.includes(t.image as CompareOp)) {
      const hint = t.image === '=' ? 'write == to compare' : t.image === '!' ? 'write "not" to negate' : 'use >=, >, <=, <, == or !=';
      return new Problem(`unknown operator "${t.image}"`, t.startOffset, hint);
    }
    if ((type === NumberLiteral || type === Duration) && !Number.isFinite(Number(/^[0-9.]+/.exec(t.image)![0]) * 86_400_000)) {
      return new Problem(`the number "${t.image}" is too large`, t.startOffset);
    }
    if (type === Duration && durationMs(t.image) === undefined) {
      const unit = /[A-Za-z_].*$/.exec(t.image)![0];
      return new Problem(`unknown duration unit "${unit}" in "${t.image}"`, t.startOffset, 'use ms, s, m or min, h, d');
    }
    if (type === RuleRef) {
      const id = t.image.slice('rule:'.length);
      if (id === '') return new Problem('expected a rule id after "rule:"', t.startOffset + 'rule:'.length);
      if (!RULE_ID.test(id)) return new Problem(`rule id "${id}" must be lower-case letters, digits, ".", "_" or "-"`, t.startOffset + 5);
    }
  }
  return undefined;
}

/**
 * Nesting depth = open parentheses + pending `not`s, tracked per parenthesis level. Checked
 * on tokens so a pathological rule is refused before the parser recurses into it.
 */
function checkDepth(tokens: IToken[]): void {
  const notsPerLevel = [0];
  let depth = 0;
  for (const t of tokens) {
    const type = t.tokenType;
    if (type === LParen) {
      notsPerLevel.push(0);
      depth++;
    } else if (type === RParen) {
      if (notsPerLevel.length > 1) depth -= 1 + notsPerLevel.pop()!;
    } else if (type === Not) {
      notsPerLevel[notsPerLevel.length - 1]++;
      depth++;
    } else if (type === And || type === Or) {
      depth -= notsPerLevel[notsPerLevel.length - 1];
      notsPerLevel[notsPerLevel.length - 1] = 0;
    }
    if (depth > MAX_NESTING_DEPTH) {
      throw new Problem(`the expression is nested more than ${MAX_NESTING_DEPTH} levels deep (parentheses and "not")`, t.startOffset);
    }
  }
}

export { durationMs };
