/**
 * Errors the library throws on misuse, each with a stable `code` to branch on (the message
 * may be reworded). A report's own problems (unreadable inputs, binary files) are never
 * thrown: they are in `report.warnings` and `report.sources[].error`.
 */

export type TriageErrorCode =
  /** An input or chunk of a type the library does not read. */
  | 'ERR_TRIAGE_INPUT'
  /** A stream or iterable that another triage call is still reading. */
  | 'ERR_TRIAGE_INPUT_IN_USE'
  /** push(), flush() or end() on a session that has ended or was aborted. */
  | 'ERR_TRIAGE_ENDED'
  /** A second iterator asked of one streaming session. */
  | 'ERR_TRIAGE_ITERATOR'
  /** The AbortSignal given in the options fired. */
  | 'ABORT_ERR';

export class TriageError extends Error {
  readonly code: TriageErrorCode;
  constructor(code: TriageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A value the library cannot read as log input. */
export class TriageInputError extends TriageError {}

/** A call that the session's state does not allow (after end, a second iterator). */
export class TriageStateError extends TriageError {}

/**
 * The run was stopped by its AbortSignal; `cause` is the signal's reason. Its `name` is
 * `AbortError`, as for Node's own aborted operations.
 */
export class TriageAbortError extends TriageError {
  constructor(reason: unknown) {
    super('ABORT_ERR', 'the triage was aborted', { cause: reason });
    this.name = 'AbortError';
  }
}

/** How a value is named in an error message: `a number`, `null`, `an object (Map)`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') {
    const ctor = (value as object).constructor?.name;
    return ctor && ctor !== 'Object' ? `an object (${ctor})` : 'an object';
  }
  return `a ${typeof value}`;
}
