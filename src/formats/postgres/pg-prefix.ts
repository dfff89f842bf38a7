/**
 * PostgreSQL `log_line_prefix` compiler.
 *
 * A chevrotain lexer splits the prefix setting into literal text and `%` escapes (with optional
 * padding such as `%-10u`); a small chevrotain parser turns the tokens into items; `compilePrefix`
 * turns the items into one anchored regular expression with named groups that matches a whole
 * stderr log line: the expanded prefix, the severity word, `:  `, an optional SQLSTATE (verbose
 * error mode) and the message.
 *
 * The escape meanings follow PostgreSQL's `log_line_prefix` documentation (elog.c). Unknown
 * escapes expand to nothing, as the server does. `%q` makes everything after it optional,
 * because non-session processes (postmaster, checkpointer, ...) stop printing there.
 */
import { chevrotain, grammarConfig } from '../../vendor/chevrotain.js';
import type { IToken } from 'chevrotain';

export type PrefixItem =
  | { kind: 'literal'; text: string }
  | { kind: 'escape'; char: string; pad: number };

/**
 * The lexer and parser, built on the first prefix parsed (chevrotain itself loads then): most
 * runs never read a server log, and start-up should not pay for grammars it may not need.
 */
let grammar: ReturnType<typeof buildGrammar> | undefined;

function buildGrammar() {
  const { createToken, EmbeddedActionsParser, Lexer } = chevrotain();
  const Escape = createToken({ name: 'Escape', pattern: /%-?\d*[\s\S]/ });
  /** A `%` (with padding digits) at the very end of the setting: the server prints nothing. */
  const Dangling = createToken({ name: 'Dangling', pattern: /%-?\d*/ });
  const Literal = createToken({ name: 'Literal', pattern: /[^%]+/, line_breaks: true });
  const allTokens = [Escape, Dangling, Literal];

  class PrefixParser extends EmbeddedActionsParser {
    constructor() {
      super(allTokens, grammarConfig({ recoveryEnabled: false }));
      this.performSelfAnalysis();
    }

    public prefix = this.RULE('prefix', () => {
      const items: PrefixItem[] = [];
      this.MANY(() => {
        this.OR([
          { ALT: () => items.push(escapeItem(this.CONSUME(Escape))) },
          { ALT: () => void this.CONSUME(Dangling) },
          { ALT: () => items.push({ kind: 'literal', text: this.CONSUME(Literal).image }) },
        ]);
      });
      return items;
    });
  }
  return { lexer: new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false }), parser: new PrefixParser() };
}

function escapeItem(tok: IToken): PrefixItem {
  const image = tok.image ?? '';
  const char = image.slice(-1);
  const padText = image.slice(1, -1);
  const pad = padText === '' || padText === '-' ? 0 : Number(padText);
  if (char === '%') return { kind: 'literal', text: '%' };
  return { kind: 'escape', char, pad: Number.isFinite(pad) ? pad : 0 };
}

/** Split a `log_line_prefix` value into literal text and escapes. Never throws. */
export function parsePrefix(prefix: string): PrefixItem[] {
  grammar ??= buildGrammar();
  try {
    const lexed = grammar.lexer.tokenize(prefix);
    grammar.parser.input = lexed.tokens;
    const items = grammar.parser.prefix() ?? [];
    if (grammar.parser.errors.length > 0 || lexed.errors.length > 0) return [{ kind: 'literal', text: prefix }];
    return mergeLiterals(items);
  } catch {
    return [{ kind: 'literal', text: prefix }];
  }
}

function mergeLiterals(items: PrefixItem[]): PrefixItem[] {
  const out: PrefixItem[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (item.kind === 'literal' && last?.kind === 'literal') last.text += item.text;
    else out.push(item.kind === 'literal' ? { ...item } : item);
  }
  return out;
}

/** Zone as `%m`/`%t` print it: an abbreviation (`UTC`, `CEST`) or a numeric offset (`+02`). */
const ZONE = '(?:[A-Za-z]{1,6}|[+-]\\d{2}(?::?\\d{2})?)';
export const PG_TS_MS = `\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}(?: ${ZONE})?`;
export const PG_TS_S = `\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?: ${ZONE})?`;

/** Severity words, plus the labels of secondary lines (which repeat the prefix). */
export const SEVERITY_WORDS =
  'DEBUG[1-5]?|LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DETAIL|HINT|QUERY|CONTEXT|LOCATION|STATEMENT';
/** What follows the prefix: `SEVERITY:  [SQLSTATE: ]message`. */
export const SEVERITY_TAIL = `(?<severity>${SEVERITY_WORDS}):  (?:(?<vstate>(?=[0-9A-Z]{0,4}\\d)[0-9A-Z]{5}): )?(?<message>.*)$`;

/** Named groups a compiled prefix may define. */
export type PrefixGroup =
  | 'ts' | 'tsNoMs' | 'epoch' | 'pid' | 'lineNum' | 'user' | 'database' | 'application'
  | 'host' | 'hostPort' | 'sessionId' | 'sqlstate' | 'backendType' | 'commandTag';

interface EscapeSpec {
  re: string;
  group?: PrefixGroup;
}

// Variable-width values are bounded (names are at most 63 bytes in PostgreSQL) so that a
// stated prefix with several adjacent free-text escapes cannot backtrack without limit.
const ESCAPES: Record<string, EscapeSpec> = {
  m: { re: PG_TS_MS, group: 'ts' },
  t: { re: PG_TS_S, group: 'tsNoMs' },
  n: { re: '\\d+\\.\\d{3}', group: 'epoch' },
  s: { re: PG_TS_S },
  p: { re: '\\d+', group: 'pid' },
  P: { re: '\\d*' },
  l: { re: '\\d+', group: 'lineNum' },
  u: { re: '\\S{0,100}?', group: 'user' },
  d: { re: '\\S{0,100}?', group: 'database' },
  a: { re: '.{0,100}?', group: 'application' },
  h: { re: '\\S{0,100}?', group: 'host' },
  r: { re: '\\S{0,110}?', group: 'hostPort' },
  L: { re: '\\S{0,100}?' },
  c: { re: '[0-9a-f]+\\.[0-9a-f]+', group: 'sessionId' },
  v: { re: '\\S{0,40}?' },
  x: { re: '\\d*' },
  e: { re: '[0-9A-Z]{5}', group: 'sqlstate' },
  i: { re: '.{0,64}?', group: 'commandTag' },
  b: { re: '.{0,64}?', group: 'backendType' },
  Q: { re: '-?\\d*' },
};

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export interface CompiledPrefix {
  /** The setting as given. */
  prefix: string;
  /** Anchored regex for a full line: prefix + severity + message. */
  line: RegExp;
  /** Which named groups exist in `line`. */
  groups: Set<PrefixGroup>;
}

/**
 * Compile a `log_line_prefix` into an anchored line regex. Never throws: anything the regex
 * engine would reject falls back to a literal match of the setting.
 */
export function compilePrefix(prefix: string): CompiledPrefix {
  const items = parsePrefix(prefix);
  const groups = new Set<PrefixGroup>();
  const parts: string[] = [];
  let optionalFrom = -1;
  for (const item of items) {
    if (item.kind === 'literal') {
      parts.push(escapeRegex(item.text));
      continue;
    }
    if (item.char === 'q') {
      if (optionalFrom < 0) optionalFrom = parts.length;
      continue;
    }
    const spec = ESCAPES[item.char];
    if (!spec) continue; // the server ignores unknown escapes
    let re = spec.re;
    if (spec.group && !groups.has(spec.group)) {
      groups.add(spec.group);
      re = `(?<${spec.group}>${re})`;
    }
    if (item.pad > 0) re = ` *${re}`;
    else if (item.pad < 0) re = `${re} *`;
    parts.push(re);
  }
  let body: string;
  if (optionalFrom >= 0) {
    body = parts.slice(0, optionalFrom).join('') + `(?:${parts.slice(optionalFrom).join('')})?`;
  } else {
    body = parts.join('');
  }
  try {
    return { prefix, line: new RegExp(`^${body}${SEVERITY_TAIL}`), groups };
  } catch {
    return { prefix, line: new RegExp(`^${escapeRegex(prefix)}${SEVERITY_TAIL}`), groups: new Set() };
  }
}

/**
 * Prefixes tried, in order, when none is stated. More specific shapes come first so that a
 * looser one does not swallow their fields; `%q` keeps postmaster lines matching too.
 */
export const COMMON_PREFIXES: readonly string[] = [
  '%m [%p] %q%u@%d ', // Debian/Ubuntu packages
  '%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ', // pgBadger recommendation
  '%t [%p]: [%l-1] user=%u,db=%d ',
  '%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ',
  '%t:%r:%u@%d:[%p]:', // Amazon RDS / Aurora
  '%m:%r:%u@%d:[%p]:',
  '%t-%c-', // Azure Database for PostgreSQL flexible server
  '%m-%c-',
  '%t [%p-%l] %q%u@%d ', // older Ubuntu default
  '%m [%p] %q%u@%d/%a ',
  '%m [%p] %q[%l] %u@%d ',
  '%m [%p] ',
  '%t [%p] ',
  '%n [%p] ',
];

let commonCache: CompiledPrefix[] | undefined;
export function commonPrefixes(): CompiledPrefix[] {
  commonCache ??= COMMON_PREFIXES.map(compilePrefix);
  return commonCache;
}
