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
