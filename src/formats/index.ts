import { adfText } from './adf/adf-text.js';
import { adfCsvFormat } from './adf/adf-csv.js';
import { adfDialog } from './adf/adf-dialog.js';
import { configFormat } from './config/config.js';
import { dbtJson } from './dbt/dbt-json.js';
import { dbtRunResults } from './dbt/dbt-run-results.js';
import { dbtText } from './dbt/dbt-text.js';
import { genericFormat } from './generic/generic.js';
import { jsonDocument } from './json/json-document.js';
import { pgbouncerFormat } from './pgbouncer/pgbouncer.js';
import { pgCsvFormat } from './postgres/pg-csv.js';
import { pgJsonFormat } from './postgres/pg-json.js';
import { pgStderrFormat } from './postgres/pg-stderr.js';
import { pythonLogging } from './python/python-logging.js';
import { pythonTraceback } from './python/python-traceback.js';
import { appLog } from './app/app-log.js';
import { appJson } from './app/app-json-format.js';
import type { FormatOptions, FormatParser } from './types.js';

export type { FormatParser, FormatOptions } from './types.js';
export { genericFormat };

/** Every registry entry is the same kind of value: it builds the format for a run's options. */
export type FormatFactory = (options: FormatOptions) => FormatParser;

/**
 * The one name→format map. Its insertion order is the trial order for a new record:
 * - an ADF Log Analytics CSV export first: it claims nothing until its own header row was seen
 *   in the source, and then every row of it;
 * - server and pooler layouts first (strict shapes: jsonlog, csvlog, PgBouncer's `[pid] LEVEL`
 *   lines, then stderr text whose prefix inference is looser);
 * - client and orchestrator layouts: the two narrow JSON starts (dbt JSON log lines, one-line
 *   run_results.json, one-line application JSON records) before the broad JSON-document reader (`adf-json`, which takes any other
 *   `{`/`[` opening and dispatches by shape); the text layouts have disjoint first lines, so
 *   their order only matters for speed (except a lone `Error code: 2200`, which the ADF Studio
 *   dialog block takes before `adf-text` would make it a one-line record), and the traceback reader is last among them because its
 *   exception-line test is the broadest;
 * - any other application layout (`app-log`, read field by field around its timestamp); it is
 *   `broad`, so the assembler tries it only after every format above declined the line;
 * - configuration last, so a logged `pool_recycle=...` line stays the client's.
 * The generic fallback is not in the map: it reads whatever no format claims.
 */
export const FORMATS = {
  'adf-csv': () => adfCsvFormat(),
  'pg-json': () => pgJsonFormat(),
  'pg-csv': () => pgCsvFormat(),
  pgbouncer: () => pgbouncerFormat(),
  'pg-stderr': (options) => pgStderrFormat(options),
  'dbt-json': () => dbtJson,
  'dbt-run-results': () => dbtRunResults,
  'app-json': () => appJson,
  'adf-json': () => jsonDocument,
  'python-logging': () => pythonLogging,
  'dbt-text': () => dbtText,
  'adf-dialog': () => adfDialog,
  'adf-text': () => adfText,
  'python-traceback': () => pythonTraceback,
  'app-log': () => appLog,
  config: () => configFormat(),
} satisfies Record<string, FormatFactory>;

/** A format found in the registry (every id but the generic fallback). */
export type RegisteredFormatId = keyof typeof FORMATS;

/** Every format in trial order (the generic fallback is kept apart). */
export function createFormats(options: FormatOptions = {}): FormatParser[] {
  return Object.values(FORMATS).map((create: FormatFactory) => create(options));
}

/** Server, pooler and configuration formats, in trial order. */
export function serverFormats(options: FormatOptions = {}): FormatParser[] {
  return createFormats(options).filter((f) => f.origin === 'server' || f.origin === 'pooler' || f.origin === 'config');
}

/** Client and orchestrator formats, in trial order. */
export function clientFormats(options: FormatOptions = {}): FormatParser[] {
  return createFormats(options).filter((f) => f.origin === 'client' || f.origin === 'orchestrator');
}

/** Format ids accepted by `--input-format` (besides `auto`). */
export function formatIds(): Array<RegisteredFormatId | 'generic'> {
  return [...(Object.keys(FORMATS) as RegisteredFormatId[]), 'generic'];
}

/**
 * The formats a source is read with: all of them (auto-detection per record), or the one named
 * by `--input-format`. The generic fallback always stays, so a known message is never lost.
 */
export function selectFormats(name: string | undefined, options: FormatOptions = {}): FormatParser[] {
  if (!name || name === 'auto') return createFormats(options);
  if (name === 'generic') return [];
  if (!Object.hasOwn(FORMATS, name)) {
    throw new Error(`unknown input format "${name}" (known: auto, ${formatIds().join(', ')})`);
  }
  return [(FORMATS[name as RegisteredFormatId] as FormatFactory)(options)];
}
