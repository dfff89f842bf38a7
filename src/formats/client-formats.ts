import type { FormatParser, FormatOptions } from './types.js';
import { dbtJson } from './dbt-json.js';
import { dbtRunResults } from './dbt-run-results.js';
import { jsonDocument } from './json-document.js';
import { pythonLogging } from './python-logging.js';
import { dbtText } from './dbt-text.js';
import { adfText } from './adf-text.js';
import { pythonTraceback } from './python-traceback.js';

/**
 * Client and orchestrator formats, in the order they are tried for a new record.
 *
 * Order: the two narrow JSON starts (dbt JSON log lines, one-line run_results.json) come before
 * the broad JSON-document parser, which takes any other `{`/`[` opening and dispatches by shape.
 * The text formats have disjoint first lines (timestamped logging layouts, dbt time prefixes and
 * node/summary lines, ADF pipe lines, Python tracebacks/exception lines), so their relative order
 * only matters for speed; the traceback parser is last because its exception-line test is the
 * broadest.
 */
export function clientFormats(_options: FormatOptions): FormatParser[] {
  return [dbtJson, dbtRunResults, jsonDocument, pythonLogging, dbtText, adfText, pythonTraceback];
}
