/**
 * The one normalized event shape every format parser emits. Everything downstream
 * (detection, rules, timing, correlation, scoring, reporting) reads only this.
 */

/** Which side of the socket wrote the record. */
export type Origin = 'client' | 'orchestrator' | 'server' | 'pooler' | 'config' | 'unknown';

/** A format's id: a key of the format registry (`src/formats/index.ts`), or the generic fallback. */
export type FormatId = import('./formats/index.js').RegisteredFormatId | 'generic';

/** Normalized fields a format may extract. All optional: formats fill what they see. */
export interface EventFields {
  /** Outer exception class as printed, e.g. `sqlalchemy.exc.OperationalError`. */
  exception?: string;
  /** Driver exception in parentheses, e.g. `psycopg2.OperationalError`. */
  driver?: string;
  /** SQLSTATE codes printed in the record (pgcode, `ERROR [08003]`, server `%e`...). */
  sqlstates?: string[];
  /** The main human message (first line of the error, without class prefixes). */
  message?: string;
  /** Continuation lines of the message (libpq's tab-indented lines, DETAIL/HINT). */
  detail?: string;
  hint?: string;
  sql?: string;
  parameters?: string;
  /** sqlalche.me background code, e.g. `e3q8`. */
  backgroundCode?: string;
  /** Server/pooler severity such as FATAL, LOG, ERROR; client log level such as ERROR. */
  severity?: string;
  logger?: string;
  /** dbt model / node name and path. */
  model?: string;
  modelPath?: string;
  /** ADF activity, pipeline, error code, failure type. */
  activity?: string;
  pipeline?: string;
  errorCode?: string;
  failureType?: string;
  durationMs?: number;
  /** Session identity: server pid, pooler client/server connection ids, app thread/process. */
  pid?: number;
  user?: string;
  database?: string;
  application?: string;
  clientAddr?: string;
  sessionId?: string;
  thread?: string;
  /** Server/pooler event recognized by the format (e.g. `disconnection`, `admin-terminate`, `pooler-close`). */
  serverEvent?: string;
  /** Qualifier of `serverEvent`: the shutdown mode, the pooler's closing reason, the crash signal... */
  serverEventKind?: string;
  /** Another backend named by the record: the crashed process, or the sender of a termination signal. */
  relatedPid?: number;
  /** Client TCP port, when printed (PgBouncer reuses connection ids, so the port tells clients apart). */
  clientPort?: number;
  /** Session length from a disconnection line, ms. */
  sessionMs?: number;
  /**
   * Time of day printed without a date (`12:07:43.791`, dbt's console and dbt.log lines); the
   * pipeline dates it from the source's last dated record (dbt.log's invocation header).
   */
  timeOfDay?: string;
  /** What a client record's socket talked to, from the library that reported it (`records/peer.ts`). */
  peer?: 'database' | 'http';
  /** Socket errno classes the record names, whatever the platform's wording (`formats/common/socket-errors.ts`). */
  errno?: string[];
  /** `connect` when the record failed while setting up a connection (an unreachable server, not a lost session). */
  phase?: 'connect';
  /** `lost` when a driver's own wording says the session is gone (`formats/common/driver-wording.ts`). */
  driverFailure?: 'lost';
  /** Configuration key/values found in a config file or a logged engine config. */
  config?: Record<string, string>;
}

export interface LogEvent {
  /** File path as given (or `<stdin>`). */
  source: string;
  /** 1-based first and last physical line of the record. */
  line: number;
  endLine: number;
  /** The record text (lines joined with `\n`, possibly capped). */
  text: string;
  format: FormatId;
  origin: Origin;
  /** Epoch milliseconds. */
  ts?: number;
  /** True when the printed timestamp had no zone; it was read as UTC. */
  tsNaive?: boolean;
  /**
   * Time of the previous timed record of the same source, set by the pipeline: the failure's
   * idle gap (`gap_before`) is `ts - prevTs`.
   */
  prevTs?: number;
  /**
   * How long the failing session's connection sat unused before the work that failed, when the
   * session's own lines tell it (a dbt thread re-using a connection from dbt's pool, the gap
   * between a run_results.json node and the previous node of its thread). `gap_before` prefers
   * it to `ts - prevTs`, which in an interleaved log measures other sessions' lines.
   */
  idleMs?: number;
  /**
   * The text rules match when it differs from `text`: decoded JSON string fields (no escaped
   * quotes, real line breaks), or the lines without their transport prefixes.
   */
  matchText?: string;
  /** The time was taken from the nearest header above (a bare traceback under its log line). */
  tsInherited?: boolean;
  /** Normalized level: debug | info | warning | error | fatal | panic | log. */
  level?: string;
  fields: EventFields;
  /** The record could not be parsed as its format (truncated JSON...); fields were salvaged. */
  malformed?: boolean;
}

/** A physical-line range handed from the assembler to a format parser. */
export interface RawRecord {
  source: string;
  line: number;
  endLine: number;
  lines: string[];
  /** True when a line or the record was cut at a cap. */
  truncated: boolean;
  /**
   * The lines as they were read, aligned with `lines`, when a transport prefix was removed from
   * some of them (`lines` holds what the formats read; quotes use these).
   */
  original?: string[];
  /** The time a transport prefix printed on the record's first line (syslog, container runtime). */
  prefixTime?: string;
}
