import { RE2JS } from 're2js';

/**
 * Rule regexes run on RE2JS, a linear-time engine: a user's `(a+)+$` cannot make matching
 * super-linear on an untrusted log line. RE2 syntax has no backreferences or lookaround,
 * so those are refused at load time with the engine's own message.
 */
export function compileRegex(source: string): { test: (text: string) => boolean } | { error: string } {
  try {
    const re = RE2JS.compile(source);
    return { test: (text: string) => re.matcher(text).find() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * A regex already validated (the bundled pack's compiled copy was checked at build time),
 * compiled only when a record first reaches it: most runs touch a few of the pack's regexes.
 */
export function lazyRegex(source: string): (text: string) => boolean {
  let test: ((text: string) => boolean) | undefined;
  return (text) => {
    if (!test) {
      const compiled = compileRegex(source);
      if ('error' in compiled) throw new Error(`cached regex does not compile: ${compiled.error}`);
      test = compiled.test;
    }
    return test(text);
  };
}
