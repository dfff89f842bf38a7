import type { FormatParser, FormatOptions } from './types.js';

/** Client and orchestrator formats, in the order they are tried for a new record. */
export function clientFormats(_options: FormatOptions): FormatParser[] {
  return [];
}
