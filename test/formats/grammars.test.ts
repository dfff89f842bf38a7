/**
 * The fixed grammars skip chevrotain's self-checks at run time (`grammarConfig`); here they are
 * built with the checks on, so an ambiguity or a left recursion added to one fails this test.
 * (Vitest gives each test file its own modules: no grammar was built before the switch.)
 */
import { describe, expect, it } from 'vitest';
import { parsePipeLine } from '../../src/formats/adf/adf-pipe-grammar.js';
import { parsePrefix } from '../../src/formats/postgres/pg-prefix.js';
import { parseExceptionHeader } from '../../src/formats/python/python-exception-grammar.js';
import { parseExpression } from '../../src/rules/expr/parse.js';
import { chevrotain, grammarConfig, setGrammarChecks } from '../../src/vendor/chevrotain.js';

setGrammarChecks(true);

/** A grammar whose two alternatives start alike: only the self-checks notice. */
function ambiguousParser() {
  const { createToken, EmbeddedActionsParser } = chevrotain();
  const A = createToken({ name: 'A', pattern: /a/ });
  class Ambiguous extends EmbeddedActionsParser {
    constructor() {
      super([A], grammarConfig({ maxLookahead: 1 }));
      this.performSelfAnalysis();
    }
    top = this.RULE('top', () => {
      this.OR([{ ALT: () => this.CONSUME(A) }, { ALT: () => this.CONSUME2(A) }]);
    });
  }
  return new Ambiguous();
}

describe('the fixed grammars, with their self-checks on', () => {
  it('the checks are what grammarConfig turns on and off', () => {
    expect(() => ambiguousParser()).toThrow(/ambigu/i);
    setGrammarChecks(false);
    try {
      expect(() => ambiguousParser()).not.toThrow();
    } finally {
      setGrammarChecks(true);
    }
  });

  it('every grammar builds and reads its kind of text', () => {
    expect(parseExceptionHeader('psycopg2.OperationalError: server closed the connection unexpectedly').ok).toBe(true);
    expect(parsePrefix('%m [%p] %q%u@%d ').length).toBeGreaterThan(3);
    expect(parsePipeLine('2024-05-01T12:09:58Z Activity failed: Copy orders | ErrorCode: 2200 | Pipeline: nightly').ok).toBe(true);
    expect(parseExpression('gap_before >= 240s and not inputs.server').ok).toBe(true);
  });
});
