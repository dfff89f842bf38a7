import type { FormatParser, FormatOptions } from './types.js';

/** PostgreSQL server, PgBouncer and configuration formats, in the order they are tried. */
export function serverFormats(_options: FormatOptions): FormatParser[] {
  return [];
}
