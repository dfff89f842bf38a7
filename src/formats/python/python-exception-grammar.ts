/**
 * Grammar for the header line of a printed Python exception:
 *
 *   Outer.Class: (driver.Class) message
 *   Outer.Class: (adapter.Error) <class 'asyncpg.exceptions.Name'>: message
 *   Outer.Class: message
 *   Outer.Class
 *
 * Only the prefix is structured; the message is whatever follows, recovered from the line by
 * offset. One lexer and one parser instance are built on first use (not at load, which every
 * start-up paid for) and reused.
 */
import { chevrotain, grammarConfig } from '../../vendor/chevrotain.js';
import type { IToken, TokenType } from 'chevrotain';

interface HeaderParts {
  cls: string;
  hasColon: boolean;
  driver?: string;
  repr?: string;
  restStart?: number;
}

/** The lexer and parser, built (and chevrotain loaded) on the first header parsed. */
let grammar: ReturnType<typeof buildGrammar> | undefined;

function buildGrammar() {
  const { createToken, EmbeddedActionsParser, Lexer } = chevrotain();
  const Spaces = createToken({ name: 'Spaces', pattern: /[ \t]+/, group: Lexer.SKIPPED });
  const ClassRepr = createToken({ name: 'ClassRepr', pattern: /<class '[^'\n]*'>/ });
  const DottedName = createToken({ name: 'DottedName', pattern: /[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/ });
  const Colon = createToken({ name: 'Colon', pattern: /:/ });
  const LParen = createToken({ name: 'LParen', pattern: /\(/ });
  const RParen = createToken({ name: 'RParen', pattern: /\)/ });
  /** Any other run of characters; makes the lexer total so free message text never fails to lex. */
  const Other = createToken({
    name: 'Other',
    // Positive ranges (every char except letters, `_`, `(`, `)`, `:` and space) keep the
    // lexer's first-char optimization possible.
    pattern: /[\x00-\x1f!-'*-/0-9;-@[-^`{-\x7f\u0080-\uffff]+/,
    line_breaks: true,
  });

  const ALL_TOKENS: TokenType[] = [Spaces, ClassRepr, DottedName, Colon, LParen, RParen, Other];

  class ExceptionHeaderParser extends EmbeddedActionsParser {
    constructor() {
      super(ALL_TOKENS, grammarConfig({ maxLookahead: 3, recoveryEnabled: false }));
      this.performSelfAnalysis();
    }

    public header = this.RULE('header', (): HeaderParts => {
      const parts: HeaderParts = { cls: this.CONSUME(DottedName).image, hasColon: false };
      this.OPTION(() => {
        this.CONSUME(Colon);
        parts.hasColon = true;
        this.OPTION2(() => {
          this.CONSUME(LParen);
          parts.driver = this.CONSUME2(DottedName).image;
          this.CONSUME(RParen);
        });
        this.OPTION3(() => {
          parts.repr = this.CONSUME(ClassRepr).image;
          this.CONSUME2(Colon);
        });
        this.MANY(() => {
          const t: IToken = this.SUBRULE(this.anyToken);
          if (parts.restStart === undefined) parts.restStart = t.startOffset;
        });
      });
      return parts;
    });

    private anyToken = this.RULE('anyToken', (): IToken =>
      this.OR([
        { ALT: () => this.CONSUME3(DottedName) },
        { ALT: () => this.CONSUME3(Colon) },
        { ALT: () => this.CONSUME2(LParen) },
        { ALT: () => this.CONSUME2(RParen) },
        { ALT: () => this.CONSUME2(ClassRepr) },
        { ALT: () => this.CONSUME(Other) },
      ]),
    );
  }

  return { lexer: new Lexer(ALL_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: true }), parser: new ExceptionHeaderParser() };
}


export interface ExceptionHeader {
  /** Outermost printed class, e.g. `sqlalchemy.exc.OperationalError`. */
  exception: string;
  /** Class in parentheses, e.g. `psycopg2.OperationalError` or the asyncpg adapter class. */
  wrapped?: string;
  /** Class named by an asyncpg `<class '...'>` repr. */
  reprClass?: string;
  /** Message text after the structured prefix (may be empty). */
  message: string;
}

export type HeaderResult = { ok: true; value: ExceptionHeader } | { ok: false; errors: string[] };

/** Parses one exception header line. Never throws; failures come back as data. */
export function parseExceptionHeader(line: string): HeaderResult {
  grammar ??= buildGrammar();
  const { lexer, parser } = grammar;
  try {
    const lexed = lexer.tokenize(line);
    if (lexed.errors.length > 0) return { ok: false, errors: lexed.errors.map((e) => e.message) };
    parser.input = lexed.tokens;
    const parts = parser.header();
    if (parser.errors.length > 0) return { ok: false, errors: parser.errors.map((e) => e.message) };
    // A bare name followed by text without a colon is not an exception header.
    if (!parts.hasColon && lexed.tokens.length > 1) return { ok: false, errors: ['no colon after class'] };
    const value: ExceptionHeader = {
      exception: parts.cls,
      message: parts.restStart === undefined ? '' : line.slice(parts.restStart).trim(),
    };
    if (parts.driver) value.wrapped = parts.driver;
    if (parts.repr) value.reprClass = parts.repr.slice("<class '".length, -"'>".length);
    return { ok: true, value };
  } catch (e) {
    return { ok: false, errors: [String(e)] };
  }
}
