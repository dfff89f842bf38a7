import type { FormatId, LogEvent, Origin, RawRecord } from '../events.js';

/**
 * How strongly a line belongs to the record that is currently open:
 * - `must`: it cannot be anything else (indented traceback frame, inside an open JSON value);
 * - `may`: it belongs unless another format claims the line as the start of a new record;
 * - `no`: the open record is finished before this line.
 */
export type Continuation = 'must' | 'may' | 'no';

/** Per-record scratch state owned by a format (e.g. JSON nesting depth). */
export interface RecordState {
  /** Set by the format when the record is known to be complete (lets streams conclude early). */
  complete?: boolean;
  [key: string]: unknown;
}

/**
 * One log format. A format is pure: it never does I/O and keeps no state between records
 * other than what it returns in `RecordState`.
 */
export interface FormatParser {
  readonly id: FormatId;
  readonly origin: Origin;
  /** One line for `--help`/detection reasons: what this format recognizes. */
  readonly describe: string;
  /**
   * Does `line` start a record of this format? Return the record's initial state, or undefined.
   * Called for many lines, so it must be cheap (anchored regex or a few char checks).
   */
  start(line: string): RecordState | undefined;
  /** Does `line` continue the open record (whose state `start`/earlier calls returned)? */
  continues(state: RecordState, line: string, lineCount: number): Continuation;
  /** Parse an assembled record into zero or more normalized events. Never throws on bad input. */
  parse(record: RawRecord, state: RecordState): LogEvent[];
  /**
   * A broad format overlaps the others (it reads any header-shaped line): it is tried only after
   * every other format declined the line, and never moved ahead of them.
   */
  readonly broad?: boolean;
  /**
   * Every event parsed from this format's records has `origin` and `format` equal to this
   * format's (no event falls back to another origin): the prefilter may then leave out, on a
   * line this format starts, the wording of rules that cannot apply to that origin.
   */
  readonly fixedOrigin?: boolean;
  /** A format that learns from a source's own lines returns a fresh instance for each source. */
  perSource?(): FormatParser;
}

/** Options a source may pass to formats that need them (e.g. a stated log_line_prefix). */
export interface FormatOptions {
  pgPrefix?: string;
}
