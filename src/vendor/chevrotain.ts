/**
 * chevrotain, loaded synchronously on the first use of a grammar (`chevrotain()`), not at
 * start-up: most runs never lex a `log_line_prefix`, an exception header or a `when:`, and
 * compiling the library was a tenth of the CLI's start-up. The build writes a CommonJS copy of
 * its one-file bundle to dist/vendor/chevrotain.cjs; `../vendor/` reaches it both from
 * dist/vendor/ (tsc output) and from dist/cli/ (the bundled CLI). From the sources (tests) it is
 * not there, and the published one-file ES bundle (lib/chevrotain.mjs) is required instead,
 * which needs require(esm) (Node 20.19+, 22.12+). The package's module entry is the last
 * resort: it pulls in a few hundred lodash-es modules (about 250 ms).
 */
import { createRequire } from 'node:module';
import path from 'node:path';

type Chevrotain = typeof import('chevrotain');

let loaded: Chevrotain | undefined;

export function chevrotain(): Chevrotain {
  return (loaded ??= load());
}

/**
 * A parser's self-checks (ambiguities, left recursion, lookahead) were most of the cost of
 * building one: about 150 ms for the Python exception header grammar, paid by every run that
 * reads a traceback. The grammars are fixed, so runs skip the checks and the tests run them
 * (`test/formats/grammars.test.ts` turns them on before any grammar is built).
 */
let checkGrammars = false;

export function setGrammarChecks(on: boolean): void {
  checkGrammars = on;
}

/** `config` for a parser of one of the fixed grammars, with the self-checks on only when asked. */
export function grammarConfig<T extends object>(config: T): T & { skipValidations: boolean } {
  return { ...config, skipValidations: !checkGrammars };
}

function load(): Chevrotain {
  const require = createRequire(import.meta.url);
  try {
    return require('../vendor/chevrotain.cjs') as Chevrotain;
  } catch {
    // not built (running from the sources): try the published bundle
  }
  const entry = require.resolve('chevrotain');
  try {
    return require(path.join(path.dirname(entry), '..', 'chevrotain.mjs')) as Chevrotain;
  } catch {
    return require(entry) as Chevrotain;
  }
}
