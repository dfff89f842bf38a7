/**
 * Grammar for the one-line, pipe-separated rendering of an ADF activity failure:
 *
 *   [timestamp] Activity failed: CopyData | ErrorCode: X | Message: ... | Pipeline: P | Duration: 00:02:14
 *
 * A segment is `Key: value` or bare text; keys are free words, so unknown and missing fields are
 * tolerated. Two lexer modes: keys in the default mode, the value text up to the next pipe in
 * `value` mode. One lexer and one parser instance, built on first use, are reused.
 */
import { chevrotain, grammarConfig } from '../../vendor/chevrotain.js';
import type { TokenType } from 'chevrotain';

export interface PipeSegment {
  key?: string;
  value: string;
}

export interface PipeLine {
  stamp?: string;
  segments: PipeSegment[];
}

/**
 * The lexer and parser, built on the first line parsed (chevrotain itself loads then): building
 * them at load was 16 % of every start-up, and most runs read no ADF pipe line.
 */
let grammar: ReturnType<typeof buildGrammar> | undefined;

function buildGrammar() {
  const { createToken, EmbeddedActionsParser, Lexer } = chevrotain();
  const Blank = createToken({ name: 'Blank', pattern: /[ \t]+/, group: Lexer.SKIPPED });
  const Stamp = createToken({
    name: 'Stamp',
    pattern: /\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}| ?UTC)?\]?/,
  });
  const Key = createToken({
    name: 'Key',
    pattern: /[A-Za-z][\w .-]{0,40}?:/,
    push_mode: 'value',
  });
  const Pipe = createToken({ name: 'Pipe', pattern: /\|/ });
  const PipeOut = createToken({ name: 'PipeOut', pattern: /\|/, pop_mode: true, categories: [Pipe] });
  /** Bare segment text in the default mode (no `Key:` in front). */
  const Bare = createToken({ name: 'Bare', pattern: /[\x00-\x08\x0a-\x1f!-{}~\x7f\u0080-\uffff][\x00-{}~\x7f\u0080-\uffff]*/, line_breaks: true });
  const Value = createToken({ name: 'Value', pattern: /[\x00-{}~\x7f\u0080-\uffff]+/, line_breaks: true });

  const modes = {
    modes: {
      default: [Blank, Stamp, Key, Pipe, Bare],
      value: [Blank, PipeOut, Value],
    },
    defaultMode: 'default',
  };
  const ALL: TokenType[] = [Blank, Stamp, Key, Pipe, PipeOut, Bare, Value];

  class PipeParser extends EmbeddedActionsParser {
    constructor() {
      super(ALL, grammarConfig({ recoveryEnabled: false }));
      this.performSelfAnalysis();
    }

    public line = this.RULE('line', (): PipeLine => {
      const out: PipeLine = { segments: [] };
      this.OPTION(() => {
        out.stamp = this.CONSUME(Stamp).image.replace(/^\[|\]$/g, '');
      });
      this.OPTION2(() => out.segments.push(this.SUBRULE(this.segment)));
      this.MANY(() => {
        this.CONSUME(Pipe);
        this.OPTION3(() => out.segments.push(this.SUBRULE2(this.segment)));
      });
      return out;
    });

    private segment = this.RULE('segment', (): PipeSegment =>
      this.OR([
        {
          ALT: () => {
            const key = this.CONSUME(Key).image.slice(0, -1).trim();
            let value = '';
            this.OPTION4(() => {
              value = this.CONSUME(Value).image.trim();
            });
            return { key, value };
          },
        },
        { ALT: () => ({ value: this.CONSUME(Bare).image.trim() }) },
      ]),
    );
  }

  return { lexer: new Lexer(modes, { positionTracking: 'onlyOffset', ensureOptimizations: true }), parser: new PipeParser() };
}


export type PipeResult = { ok: true; value: PipeLine } | { ok: false; errors: string[] };

/** Parses one pipe-separated line. Never throws; failures come back as data. */
export function parsePipeLine(line: string): PipeResult {
  grammar ??= buildGrammar();
  const { lexer, parser } = grammar;
  try {
    const lexed = lexer.tokenize(line);
    if (lexed.errors.length > 0) return { ok: false, errors: lexed.errors.map((e) => e.message) };
    parser.input = lexed.tokens;
    const value = parser.line();
    if (parser.errors.length > 0) return { ok: false, errors: parser.errors.map((e) => e.message) };
    return { ok: true, value };
  } catch (e) {
    return { ok: false, errors: [String(e)] };
  }
}
