/**
 * Lexer and parser of the `when:` expression language.
 *
 *   expression := orExpr
 *   orExpr     := andExpr ( "or" andExpr )*
 *   andExpr    := notExpr ( "and" notExpr )*
 *   notExpr    := "not"* primary
 *   primary    := "(" orExpr ")"
 *               | "within" DURATION "of" RULE_REF
 *               | comparison
 *   comparison := operand ( COMPARE_OP operand )? ( "within" DURATION )?
 *   operand    := NUMBER | DURATION | STRING | "true" | "false" | path | count
 *   path       := IDENTIFIER ( "." NAME )*
 *   count      := "count" "(" ( RULE_REF | IDENTIFIER IDENTIFIER? ) ( "within" DURATION )? ")"
 *
 * Following chevrotain's own examples: tokens are named constants in one ordered list, the
 * lexer and one CstParser instance are built when the module loads (the parser runs
 * `performSelfAnalysis()` once) and are reused for every expression. Turning the CST into the
 * typed AST lives in convert.ts, the checks that need meaning (units, operator spelling, rule
 * ids) in parse.ts and convert.ts. Over 300 lines as a grammar is: tokens, their order and the
 * parser's rules belong in one file read top to bottom.
 *
 * Tokens are deliberately lenient where a precise message helps more than a lexer error: a
 * number followed by any word is one DURATION token (so `5x` can be reported as an unknown
 * unit), any run of `=<>!` is one COMPARE_OP (so `=>` is reported as an unknown operator), an
 * opening quote without its closing one is an UNTERMINATED_STRING token.
 */
import { chevrotain, grammarConfig } from '../../vendor/chevrotain.js';
import type { CstNode, ILexerConfig, IParserErrorMessageProvider, IToken, Lexer as LexerType, TokenType } from 'chevrotain';

// Loaded with this module: only reading rule files (and `rules` commands) parses a `when:`; a run
// on the bundled pack's compiled copy never imports it.
const { CstParser, EOF, Lexer, createToken } = chevrotain();

/** Category of every token that may follow a `.` in a path (names and keywords alike). */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
/** `rule:ID` as one token: rule ids contain `-` and `.`, which are no operators here. */
export const RuleRef = createToken({ name: 'RuleRef', pattern: /rule:[A-Za-z0-9._-]*/, label: 'a rule reference (rule:ID)' });
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Name],
  label: 'a name',
});

function keyword(name: string, word: string): TokenType {
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, categories: [Name], label: `"${word}"` });
}

export const And = keyword('And', 'and');
export const Or = keyword('Or', 'or');
export const Not = keyword('Not', 'not');
export const Within = keyword('Within', 'within');
export const Of = keyword('Of', 'of');
export const Count = keyword('Count', 'count');
export const True = keyword('True', 'true');
export const False = keyword('False', 'false');

/** A number with a unit; the unit is checked in parse.ts. */
export const Duration = createToken({
  name: 'Duration',
  pattern: /[0-9]+(?:\.[0-9]+)?[A-Za-z_][A-Za-z0-9_]*/,
  label: 'a duration',
});
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /[0-9]+(?:\.[0-9]+)?/, label: 'a number' });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /'[^'\n]*'|"[^"\n]*"/, label: 'a string' });
/** An opening quote with no closing quote on the same line; always reported as an error. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /'[^'\n]*|"[^"\n]*/,
  label: 'a string',
});
/** Any run of comparison characters; the spelling is checked in parse.ts. */
export const CompareOp = createToken({ name: 'CompareOp', pattern: /[=<>!]+/, label: 'a comparison operator' });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: '"("' });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: '")"' });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: '"."' });

/** Lexing order matters: the first pattern that matches wins (keywords use `longer_alt`). */
export const EXPR_TOKENS: TokenType[] = [
  WhiteSpace,
  RuleRef,
  And,
  Or,
  Not,
  Within,
  Of,
  Count,
  True,
  False,
  Identifier,
  Duration,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
  CompareOp,
  LParen,
  RParen,
  Dot,
  Name,
];

/**
 * `ensureOptimizations` makes the constructor throw if a token pattern ever defeats the
 * lexer's first-character dispatch, so such a regression fails when the module loads.
 */
export const EXPR_LEXER_CONFIG: ILexerConfig = {
  positionTracking: 'full',
  ensureOptimizations: true,
};

let lexer: LexerType | undefined;
/**
 * The one lexer, built on first use: the bundled pack's expressions come parsed from its
 * compiled copy, so most runs never lex one, and building it is a good part of start-up.
 */
export function exprLexer(): LexerType {
  return (lexer ??= new Lexer(EXPR_TOKENS, EXPR_LEXER_CONFIG));
}

// ---------------------------------------------------------------------------------------------
// Error messages: short, in the user's terms, naming the token the parser stopped after.

function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

export function isEof(t: IToken | undefined): boolean {
  return !t || t.tokenType === EOF || Number.isNaN(t.startOffset);
}

function found(t: IToken | undefined): string {
  return isEof(t) ? 'the end of the expression' : `"${t!.image}"`;
}

function after(previous: IToken | undefined): string {
  return isEof(previous) || !previous!.image ? '' : ` after "${previous!.image}"`;
}

function alternatives(paths: TokenType[][]): string {
  const firsts = [...new Set(paths.map((p) => p[0]).filter(Boolean).map(label))];
  if (firsts.length <= 1) return firsts[0] ?? 'something else';
  return `${firsts.slice(0, -1).join(', ')} or ${firsts[firsts.length - 1]}`;
}

const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous }) {
    let hint = '';
    if (expected === Duration && actual.tokenType === NumberLiteral) hint = '\na duration needs a unit: ms, s, m, h or d';
    return `expected ${label(expected)}${after(previous)}, found ${found(actual)}${hint}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${found(firstRedundant)}: expected "and", "or" or the end of the expression`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, customUserDescription }) {
    const expected = customUserDescription ?? alternatives(expectedPathsPerAlt.flat());
    return `expected ${expected}${after(previous)}, found ${found(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, previous, customUserDescription }) {
    const expected = customUserDescription ?? alternatives(expectedIterationPaths);
    return `expected ${expected}${after(previous)}, found ${found(actual[0])}`;
  },
};

// ---------------------------------------------------------------------------------------------

class ExprParser extends CstParser {
  constructor() {
    super(EXPR_TOKENS, grammarConfig({ maxLookahead: 2, recoveryEnabled: false, errorMessageProvider }));
    this.performSelfAnalysis();
  }

  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.orExpr);
  });

  private orExpr = this.RULE('orExpr', () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(Or);
      this.SUBRULE2(this.andExpr);
    });
  });

  private andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(And);
      this.SUBRULE2(this.notExpr);
    });
  });

  /** `not` is a prefix list rather than a recursive rule: a chain of nots costs no stack. */
  private notExpr = this.RULE('notExpr', () => {
    this.MANY(() => this.CONSUME(Not));
    this.SUBRULE(this.primary);
  });

  private primary = this.RULE('primary', () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.group) },
        { ALT: () => this.SUBRULE(this.near) },
        { ALT: () => this.SUBRULE(this.comparison) },
      ],
      ERR_MSG: 'a condition',
    });
  });

  private group = this.RULE('group', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.orExpr);
    this.CONSUME(RParen);
  });

  private near = this.RULE('near', () => {
    this.CONSUME(Within);
    this.CONSUME(Duration);
    this.CONSUME(Of);
    this.CONSUME(RuleRef);
  });

  private comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.operand);
    this.OPTION(() => {
      this.CONSUME(CompareOp);
      this.SUBRULE2(this.operand);
    });
    this.OPTION2(() => {
      this.CONSUME(Within);
      this.CONSUME(Duration);
    });
  });

  private operand = this.RULE('operand', () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(NumberLiteral) },
        { ALT: () => this.CONSUME(Duration) },
        { ALT: () => this.CONSUME(StringLiteral) },
        { ALT: () => this.CONSUME(True) },
        { ALT: () => this.CONSUME(False) },
        { ALT: () => this.SUBRULE(this.path) },
        { ALT: () => this.SUBRULE(this.count) },
      ],
      ERR_MSG: 'a value',
    });
  });

  private path = this.RULE('path', () => {
    this.CONSUME(Identifier);
    this.MANY(() => {
      this.CONSUME(Dot);
      this.CONSUME(Name);
    });
  });

  private count = this.RULE('count', () => {
    this.CONSUME(Count);
    this.CONSUME(LParen);
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(RuleRef) },
        {
          ALT: () => {
            this.CONSUME(Identifier);
            this.OPTION(() => this.CONSUME2(Identifier));
          },
        },
      ],
      ERR_MSG: 'what to count ("sessions failed", "incidents", "failures" or rule:ID)',
    });
    this.OPTION2(() => {
      this.CONSUME(Within);
      this.CONSUME(Duration);
    });
    this.CONSUME(RParen);
  });
}

/** The one parser instance, built on first use; `parseTokens` resets its state for every input. */
let parser: ExprParser | undefined;

export interface ExprSyntaxError {
  message: string;
  /** Offset of the offending token in the expression, or undefined at the end of input. */
  offset?: number;
}

/**
 * Messages from the provider above may end in `\n` + a hint; parse.ts places the column
 * between the two.
 */
/** Parses a token vector into a CST. Recovery is off: the first error ends the parse. */
export function parseTokens(tokens: IToken[]): { cst?: CstNode; error?: ExprSyntaxError } {
  parser ??= new ExprParser();
  parser.input = tokens;
  const cst = parser.expression();
  const e = parser.errors[0];
  if (e) return { error: { message: e.message, offset: isEof(e.token) ? undefined : e.token.startOffset } };
  return { cst };
}
