import { re2js } from '../vendor/re2js.js';
import { regexLiteralGroups } from './regex-literals.js';

const NON_ASCII = /[^\x00-\x7f]/;

/** A compiled rule regex; `lower` is the text lower-cased, when the caller has it already. */
export type RegexTest = (text: string, lower?: string) => boolean;

/**
 * Rule regexes run on RE2JS, a linear-time engine: a user's `(a+)+$` cannot make matching
 * super-linear on an untrusted log line. RE2 syntax has no backreferences or lookaround,
 * so those are refused at load time with the engine's own message.
 */
export function compileRegex(source: string): { test: RegexTest } | { error: string } {
  try {
    const re = re2js().RE2JS.compile(source);
    return { test: gated(source, (text) => re.matcher(text).find()) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * The engine only runs on text holding the literals every match must contain (the same reading
 * of the pattern the byte prefilter uses): RE2JS costs far more per call than a substring
 * search, and most records a rule is offered hold none of its regex's words. ASCII case
 * folding decides containment, so text with a non-ASCII character (which a `(?i)` pattern may
 * fold onto an ASCII letter) always goes to the engine.
 */
function gated(source: string, run: (text: string) => boolean): RegexTest {
  const groups = regexLiteralGroups(source)?.map((g) => g.map((l) => l.text.toLowerCase()));
  if (!groups || groups.some((g) => g.some((l) => NON_ASCII.test(l)))) return run;
  return (text, lower) => {
    if (NON_ASCII.test(text)) return run(text);
    const folded = lower ?? text.toLowerCase();
    return groups.some((g) => g.every((l) => folded.includes(l))) && run(text);
  };
}

/**
 * A regex already validated (the bundled pack's compiled copy was checked at build time),
 * compiled only when a record first reaches it: most runs touch a few of the pack's regexes.
 */
export function lazyRegex(source: string): RegexTest {
  let test: RegexTest | undefined;
  return (text, lower) => {
    if (!test) {
      const compiled = compileRegex(source);
      if ('error' in compiled) throw new Error(`cached regex does not compile: ${compiled.error}`);
      test = compiled.test;
    }
    return test(text, lower);
  };
}
