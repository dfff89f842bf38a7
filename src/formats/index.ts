import type { FormatId } from '../events.js';
import { clientFormats } from './client-formats.js';
import { genericFormat } from './generic.js';
import { serverFormats } from './server-formats.js';
import type { FormatOptions, FormatParser } from './types.js';

export type { FormatParser, FormatOptions } from './types.js';
export { genericFormat };

/** Every format in trial order: the more specific layouts first, the generic fallback apart. */
export function createFormats(options: FormatOptions = {}): FormatParser[] {
  return [...serverFormats(options), ...clientFormats(options)];
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
