/**
 * re2js (the linear-time engine rule regexes run on), required on the first regex compiled
 * rather than imported at start-up: the bundled pack's regexes are compiled lazily, and a run
 * that never reaches one (an empty input, `--help`) should not compile the 300 KB engine. The
 * package publishes a one-file CommonJS build, so the synchronous load costs one file.
 */
import { createRequire } from 'node:module';

type Re2js = typeof import('re2js');

let loaded: Re2js | undefined;

export function re2js(): Re2js {
  return (loaded ??= createRequire(import.meta.url)('re2js') as Re2js);
}
