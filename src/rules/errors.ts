import type { SourcePos } from './types.js';

/** A problem in a rule pack, located precisely. Loading collects all of them before failing. */
export class RuleError extends Error {
  constructor(
    readonly pos: SourcePos,
    readonly detail: string,
  ) {
    super(`${pos.file}:${pos.line}:${pos.column}: ${detail}`);
    this.name = 'RuleError';
  }
}

/** Thrown when a pack has one or more errors; `errors` lists each with its position. */
export class RulePackError extends Error {
  constructor(readonly errors: RuleError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'RulePackError';
  }
}
