import type { FormatParser, FormatOptions } from './types.js';
import { pgJsonFormat } from './pg-json.js';
import { pgCsvFormat } from './pg-csv.js';
import { pgbouncerFormat } from './pgbouncer.js';
import { pgStderrFormat } from './pg-stderr.js';
import { configFormat } from './config.js';

/**
 * PostgreSQL server, PgBouncer and configuration formats, in the order they are tried.
 * Strict shapes first (jsonlog, csvlog, PgBouncer's `[pid] LEVEL` lines), then stderr text
 * whose inference is looser, then configuration lines, which should also come after any
 * client log format in the overall registry so a logged setting does not take a client line.
 */
export function serverFormats(options: FormatOptions): FormatParser[] {
  return [pgJsonFormat(), pgCsvFormat(), pgbouncerFormat(), pgStderrFormat(options), configFormat()];
}
