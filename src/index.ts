/**
 * pgtriage as a library: explain SQLSTATE 08003 ("connection does not exist") and its family
 * from logs. `triage` analyses inputs in one call; `createTriage` is a streaming session for
 * log processors (push chunks, receive incidents as they are concluded).
 */
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Source } from './input/sources.js';
import type { RulePack } from './rules/types.js';
import type { SessionOptions } from './session.js';
import type { ZoneShift } from './records/alignment.js';
import type { Incident, Report } from './report-types.js';
import { describeValue, TriageAbortError, TriageInputError } from './library/errors.js';
import { IncidentStream, type TriageStream } from './library/stream.js';

export type * from './report-types.js';
export type { LogEvent, EventFields, Origin, FormatId } from './events.js';
export type { RulePack, Rule, CauseDef } from './rules/types.js';
export { RulePackError, RuleError } from './rules/errors.js';
export { TriageError, TriageInputError, TriageStateError, TriageAbortError, type TriageErrorCode } from './library/errors.js';
export type { TriageStream } from './library/stream.js';

// The pipeline (grammars, the YAML reader, the rule compiler, the input layer) is imported on
// the first call that needs it, so `import('pgtriage')` itself stays cheap (a test checks which
// packages the bare import loads).
const pipeline = () =>
  Promise.all([
    import('./session.js'),
    import('./input/feed.js'),
    import('./input/sources.js'),
    import('./input/rule-files.js'),
    import('./rules/read.js'),
  ]).then(([session, feed, sources, files, read]) => ({ ...session, ...feed, ...sources, ...files, ...read }));

/** The bundled rule pack's directory. */
export const DEFAULT_RULES_DIR = fileURLToPath(new URL('../rules', import.meta.url));

/** Loads rule packs (directories or files) with validation; see docs/rules.md. */
export async function loadRulePacks(dirs: string[], options: { cache?: boolean } = {}): Promise<RulePack> {
  return (await pipeline()).loadRulePacks(dirs, options);
}

/** Loads a pack from in-memory YAML texts (asynchronous since the loader is imported on use). */
export async function loadRuleTexts(files: Array<{ file: string; text: string }>): Promise<RulePack> {
  return (await pipeline()).loadRuleTexts(files);
}
export { reporters, reporterNames, renderReport, shouldColor, type ReporterName } from './report/index.js';
export { canStream, renderOptions, type RenderOptions, type Reporter } from './report/reporter.js';
export { redactReport, redactText } from './report/redact.js';
export { VERSION } from './version.js';

/** One input: text, bytes, a stream, an async iterable of chunks, or a file path. */
export type TriageInput =
  | string
  | Buffer
  | Uint8Array
  | Readable
  | AsyncIterable<Buffer | Uint8Array | string>
  | { path: string }
  | { name: string; content: string | Buffer | Uint8Array | Readable | AsyncIterable<Buffer | Uint8Array | string> };

export interface TriageOptions extends Omit<SessionOptions, 'onIncident'> {
  /** Extra rule pack directories, loaded after the default pack (same ids override). */
  rules?: string[];
  /** Skip the bundled pack (use only `rules`/`pack`). */
  noDefaultRules?: boolean;
  /** A pack already loaded (takes precedence over `rules`). */
  pack?: RulePack;
  /**
   * Stops the run: `triage()` rejects with a TriageAbortError (reading stops at once, also
   * while a stream is waiting for data); a `createTriage()` session's iterator rejects with it
   * and further calls throw it.
   */
  signal?: AbortSignal;
}

async function resolvePack(options: TriageOptions): Promise<RulePack> {
  if (options.pack) return options.pack;
  const dirs = [...(options.noDefaultRules ? [] : [DEFAULT_RULES_DIR]), ...(options.rules ?? [])];
  return loadRulePacks(dirs);
}

type SourceMakers = Pick<typeof import('./input/sources.js'), 'fileSource' | 'streamSource'>;

/** Streams and iterables being read by a `triage()` call: a second reader would get half of each. */
const inUse = new WeakSet<object>();

const isIterable = (x: object): x is AsyncIterable<unknown> => typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

/** Checks one input before anything is read; throws a TriageInputError naming it. */
function checkInput(input: unknown, index: number): void {
  const what = `triage(): input ${index + 1}`;
  if (typeof input === 'string' || input instanceof Uint8Array) return;
  if (input === null || typeof input !== 'object') throw new TriageInputError('ERR_TRIAGE_INPUT', `${what} is ${describeValue(input)}; expected a string, a Buffer, a Readable, an async iterable of chunks, { path } or { name, content }`);
  const o = input as Record<string, unknown>;
  if (input instanceof Readable || isIterable(input)) {
    if (input instanceof Readable && (input.readableEnded || input.destroyed)) throw new TriageInputError('ERR_TRIAGE_INPUT', `${what}: the stream has already been read or destroyed`);
    if (inUse.has(input)) throw new TriageInputError('ERR_TRIAGE_INPUT_IN_USE', `${what}: another triage() call is reading this stream`);
    return;
  }
  if ('path' in o) {
    if (typeof o.path !== 'string' || o.path === '') throw new TriageInputError('ERR_TRIAGE_INPUT', `${what}: path must be a non-empty string, got ${describeValue(o.path)}`);
    return;
  }
  if ('content' in o) {
    if (typeof o.name !== 'string' || o.name === '') throw new TriageInputError('ERR_TRIAGE_INPUT', `${what}: name must be a non-empty string, got ${describeValue(o.name)}`);
    const c = o.content;
    if (typeof c === 'string' || c instanceof Uint8Array) return;
    if (c !== null && typeof c === 'object' && (c instanceof Readable || isIterable(c))) return checkInput(c, index);
    throw new TriageInputError('ERR_TRIAGE_INPUT', `${what}: content is ${describeValue(c)}; expected a string, a Buffer, a Readable or an async iterable`);
  }
  throw new TriageInputError('ERR_TRIAGE_INPUT', `${what} is ${describeValue(input)} without path or content`);
}

const toBytes = (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/**
 * Yields the chunks of a caller's stream, refusing a chunk that is not text or bytes (a number
 * would otherwise become that many zero bytes). The refusal is kept for `triage()` to throw: a
 * read error inside the feed only marks the source as failed.
 */
async function* checkedChunks(stream: AsyncIterable<unknown>, name: string, refused: { error?: TriageInputError }): AsyncIterable<Buffer | string> {
  for await (const chunk of stream) {
    if (typeof chunk === 'string') yield chunk;
    else if (chunk instanceof Uint8Array) yield toBytes(chunk);
    else {
      refused.error ??= new TriageInputError('ERR_TRIAGE_INPUT', `triage(): ${name} yielded ${describeValue(chunk)}; chunks are strings, Buffers or Uint8Arrays`);
      throw refused.error;
    }
  }
}

function toSource(input: TriageInput, index: number, { fileSource, streamSource }: SourceMakers, refused: { error?: TriageInputError }): Source {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : toBytes(input);
    return streamSource(`<input${index + 1}>`, () => Readable.from([bytes]));
  }
  if ('path' in input && typeof input.path === 'string' && !(input instanceof Readable)) return fileSource(input.path);
  if ('content' in input && 'name' in input) {
    const c = input.content;
    if (typeof c === 'string' || c instanceof Uint8Array) return streamSource(input.name, () => Readable.from([typeof c === 'string' ? Buffer.from(c) : toBytes(c)]));
    return streamSource(input.name, () => checkedChunks(c, input.name, refused));
  }
  const name = `<stream${index + 1}>`;
  return streamSource(name, () => checkedChunks(input as AsyncIterable<unknown>, name, refused));
}

/**
 * Analyses the inputs and resolves with the full report. Unreadable inputs are in the report;
 * a value that is no input at all rejects with a TriageInputError, an abort with a TriageAbortError.
 */
export async function triage(input: TriageInput | TriageInput[], options: TriageOptions = {}): Promise<Report> {
  const inputs = Array.isArray(input) ? input : [input];
  inputs.forEach(checkInput);
  const signal = options.signal;
  if (signal?.aborted) throw new TriageAbortError(signal.reason);
  const streams = inputs.flatMap((x) => {
    const s = typeof x === 'object' && 'content' in x && !(x instanceof Readable) ? x.content : x;
    return typeof s === 'object' && !(s instanceof Uint8Array) && !('path' in s) ? [s as object] : [];
  });
  for (const s of streams) inUse.add(s);
  try {
    const { TriageSession, feedSources, fileSource, streamSource } = await pipeline();
    const pack = await resolvePack(options);
    const run = async (shifts?: ZoneShift[]) => {
      const session = new TriageSession(pack, { ...options, ...(shifts ? { shifts } : {}) });
      const refused: { error?: TriageInputError } = {};
      await feedSources(session, inputs.map((x, i) => toSource(x, i, { fileSource, streamSource }, refused)), { signal });
      if (refused.error) throw refused.error;
      if (signal?.aborted) throw new TriageAbortError(signal.reason);
      return { session, report: session.finish() };
    };
    const first = await run();
    // A naive source that lines up with the zoned ones only at a zone offset is read again at
    // that offset, when every input can be read twice (a caller's stream cannot).
    if (streams.length > 0) return first.report;
    const shifts = first.session.zoneShifts();
    return shifts.length > 0 ? (await run(shifts)).report : first.report;
  } finally {
    for (const s of streams) inUse.delete(s);
  }
}

/**
 * Creates a streaming session. Incidents are yielded by its async iterator as soon as they are
 * concluded: when later log lines move past their context window, on `flush()`, or at `end()`.
 * A session has one iterator (asking for a second throws a TriageStateError
 * `ERR_TRIAGE_ITERATOR`); `end()` also returns every incident in the report.
 */
export async function createTriage(options: TriageOptions = {}): Promise<TriageStream> {
  const { signal, ...rest } = options;
  if (signal?.aborted) throw new TriageAbortError(signal.reason);
  const { TriageSession } = await pipeline();
  const pack = await resolvePack(options);
  if (signal?.aborted) throw new TriageAbortError(signal.reason);
  const stream = new IncidentStream(signal);
  stream.attach(new TriageSession(pack, { ...rest, onIncident: stream.deliver }));
  return stream;
}

/** Convenience for log processors: async iterable of chunks in, incidents out; returns the report. */
export async function* triageStream(
  chunks: AsyncIterable<Buffer | string>,
  options: TriageOptions & { source?: string } = {},
): AsyncGenerator<Incident, Report> {
  const { TriageSession } = await pipeline();
  const pack = await resolvePack(options);
  const ready: Incident[] = [];
  const session = new TriageSession(pack, { ...options, onIncident: (i) => ready.push(i) });
  const source = options.source ?? '<stream>';
  for await (const chunk of chunks as AsyncIterable<unknown>) {
    if (options.signal?.aborted) throw new TriageAbortError(options.signal.reason);
    if (typeof chunk === 'string') session.write(source, Buffer.from(chunk, 'utf8'));
    else if (chunk instanceof Uint8Array) session.write(source, toBytes(chunk));
    else throw new TriageInputError('ERR_TRIAGE_INPUT', `triageStream(): a chunk is ${describeValue(chunk)}; chunks are strings, Buffers or Uint8Arrays`);
    while (ready.length) yield ready.shift()!;
  }
  const report = session.finish();
  while (ready.length) yield ready.shift()!;
  return report;
}
