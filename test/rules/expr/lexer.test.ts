import { chevrotain } from '../../../src/vendor/chevrotain.js';
import { describe, expect, it, vi } from 'vitest';
import { EXPR_LEXER_CONFIG, EXPR_TOKENS, exprLexer } from '../../../src/rules/expr/grammar.js';

const { Lexer, createToken } = chevrotain();

describe('the expression lexer', () => {
  it('is built with full position tracking and required optimizations', () => {
    expect(EXPR_LEXER_CONFIG.ensureOptimizations).toBe(true);
    expect(EXPR_LEXER_CONFIG.positionTracking).toBe('full');
    // Building it again with the same config must not throw: every token keeps the
    // first-character optimization.
    expect(() => new Lexer(EXPR_TOKENS, EXPR_LEXER_CONFIG)).not.toThrow();
    // chevrotain 11 records per mode whether it could be optimized.
    const modes = (exprLexer() as unknown as { canModeBeOptimized?: Record<string, boolean> }).canModeBeOptimized;
    if (modes) expect(Object.values(modes).every(Boolean)).toBe(true);
  });

  it('would fail at construction if a token defeated the optimization', () => {
    // Control: a custom matcher without start_chars_hint cannot be optimized.
    const Opaque = createToken({ name: 'Opaque', pattern: { exec: () => null }, line_breaks: false });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => new Lexer([Opaque, ...EXPR_TOKENS], EXPR_LEXER_CONFIG)).toThrow(/cannot be optimized/);
    } finally {
      quiet.mockRestore();
    }
  });

  it('tracks lines and columns', () => {
    const { tokens, errors } = exprLexer().tokenize('tx_open\n  and gap_before >= 240s');
    expect(errors).toEqual([]);
    const and = tokens.find((t) => t.image === 'and')!;
    expect([and.startLine, and.startColumn, and.startOffset]).toEqual([2, 3, 10]);
    expect(tokens.map((t) => t.tokenType.name)).toEqual(['Identifier', 'And', 'Identifier', 'CompareOp', 'Duration']);
  });

  it('keeps keywords apart from names that start with them', () => {
    const { tokens } = exprLexer().tokenize('android order notable within_x counter rule:a.b-c');
    expect(tokens.map((t) => t.tokenType.name)).toEqual(['Identifier', 'Identifier', 'Identifier', 'Identifier', 'Identifier', 'RuleRef']);
  });
});
