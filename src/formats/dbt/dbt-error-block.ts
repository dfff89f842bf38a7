/**
 * Reading dbt's node error text, shared by the dbt console/log, JSON log and run_results
 * formats. The text has the shape (lines may carry extra indentation or a time prefix):
 *
 *   Database Error in model NAME (PATH)         <- or Runtime/Compilation Error, Failure in
 *     server closed the connection unexpectedly <- the database message we want
 *     	This probably means ...
 *     compiled code at target/run/...           <- `compiled Code at` up to dbt 1.7
 */
import { codesInText } from '../common/client-sqlstate.js';

export const ERROR_HEADER =
  /^\s*(?:(Database|Runtime|Compilation|Dependency|Parsing|Validation|Internal|Unhandled|Dbt \w+) Error|(Failure|Warning)|ERROR(?: (\d+) of (\d+))?) in (model|test|seed|snapshot|analysis|operation|source|unit_test|exposure|sql operation|hook|macro|semantic_model|saved_query|function) ([^\s()]+)(?: \(([^)\n]*)\))?\s*:?\s*$/;
/**
 * dbt's adapters log the database error they are about to raise (`Postgres adapter: Postgres
 * error: <driver text>`) at debug level, often as the only line of the failing thread that
 * quotes the driver: it is an error report whatever level it was written at.
 */
export const ADAPTER_ERROR = /^\w+ adapter: \w+ error: (.+)$/;
const COMPILED_AT = /^\s*compiled (?:code|Code|SQL) at (\S.*)$/;

export interface DbtErrorInfo {
  /** `Database`, `Runtime`, `Failure`, ... of the innermost header seen. */
  kind?: string;
  resourceType?: string;
  model?: string;
  modelPath?: string;
  compiledPath?: string;
  /** First database message line and the lines after it. */
  message?: string;
  detail?: string;
  sqlstates: string[];
}

/**
 * Reads the error block from `lines` (already stripped of any log prefix). Header lines and the
 * `compiled code at` line are structure; everything else is message.
 */
export function readDbtError(lines: readonly string[]): DbtErrorInfo {
  const info: DbtErrorInfo = { sqlstates: [] };
  const msg: string[] = [];
  for (const raw of lines) {
    const h = ERROR_HEADER.exec(raw);
    if (h) {
      info.kind = h[1] ?? h[2] ?? 'ERROR';
      info.resourceType = h[5];
      info.model = h[6];
      if (h[7]) info.modelPath = h[7];
      continue;
    }
    const c = COMPILED_AT.exec(raw);
    if (c) {
      info.compiledPath = c[1].trim();
      continue;
    }
    const t = raw.trim();
    if (t.length > 0) msg.push(t);
  }
  if (msg.length > 0) info.message = msg[0];
  if (msg.length > 1) info.detail = msg.slice(1).join('\n');
  codesInText(msg.join('\n'), info.sqlstates);
  return info;
}
