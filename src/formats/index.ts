import type { FormatId } from '../events.js';
import { clientFormats } from './client-formats.js';
import { genericFormat } from './generic.js';
import { serverFormats } from './server-formats.js';
import type { FormatOptions, FormatParser } from './types.js';

export type { FormatParser, FormatOptions } from './types.js';
export { genericFormat };

/**
 * Every format in trial order: the server and pooler layouts (precise prefixes) first, then the
 * client layouts, then configuration last so a logged `pool_recycle=...` line stays the client's.
 * The generic fallback is kept apart.
 */
export function createFormats(options: FormatOptions = {}): FormatParser[] {
  const server = serverFormats(options);
  return [...server.filter((f) => f.id !== 'config'), ...clientFormats(options), ...server.filter((f) => f.id === 'config')];
}

/** Format ids accepted by `--input-format` (besides `auto`). */
export function formatIds(options: FormatOptions = {}): FormatId[] {
  return [...createFormats(options).map((f) => f.id), 'generic'];
}

/**
 * The formats a source is read with: all of them (auto-detection per record), or the one named
 * by `--input-format`. The generic fallback always stays, so a known message is never lost.
 */
export function selectFormats(name: string | undefined, options: FormatOptions = {}): FormatParser[] {
  const all = createFormats(options);
  if (!name || name === 'auto') return all;
  const chosen = all.filter((f) => f.id === name);
  if (chosen.length === 0 && name !== 'generic') {
    throw new Error(`unknown input format "${name}" (known: auto, ${formatIds(options).join(', ')})`);
  }
  return chosen;
}
