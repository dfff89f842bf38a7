/**
 * chevrotain, loaded from the single-file ESM bundle it publishes (lib/chevrotain.mjs) instead
 * of its module entry: the entry pulls in a few hundred lodash-es modules, costing about 250 ms
 * and 30 MB of memory at every start, while the bundle is the same code in one file (about
 * 15 ms). The package's `exports` map does not expose the bundle, so it is located next to the
 * resolved entry; if it ever moves, the import fails and the regular entry is used (no `node:fs`
 * check first, so the core's import graph stays free of it).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

async function load(): Promise<Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve('chevrotain');
    const bundle = path.join(path.dirname(entry), '..', 'chevrotain.mjs');
    return (await import(pathToFileURL(bundle).href)) as Chevrotain;
  } catch {
    // no bundle there (or it failed to load): fall through to the regular entry
  }
  return import('chevrotain');
}

const chevrotain = await load();

export const { createToken, Lexer, CstParser, EmbeddedActionsParser, EOF, tokenMatcher } = chevrotain;
