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
import type { Incident, Report } from './report-types.js';

export type * from './report-types.js';
export type { LogEvent, EventFields, Origin, FormatId } from './events.js';
export type { RulePack, Rule, CauseDef } from './rules/types.js';
export { RulePackError, RuleError } from './rules/errors.js';

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
  | Readable
  | AsyncIterable<Buffer | string>
  | { path: string }
  | { name: string; content: string | Buffer | Readable | AsyncIterable<Buffer | string> };

export interface TriageOptions extends Omit<SessionOptions, 'onIncident'> {
  /** Extra rule pack directories, loaded after the default pack (same ids override). */
  rules?: string[];
  /** Skip the bundled pack (use only `rules`/`pack`). */
  noDefaultRules?: boolean;
  /** A pack already loaded (takes precedence over `rules`). */
  pack?: RulePack;
}

async function resolvePack(options: TriageOptions): Promise<RulePack> {
  if (options.pack) return options.pack;
  const dirs = [...(options.noDefaultRules ? [] : [DEFAULT_RULES_DIR]), ...(options.rules ?? [])];
  return loadRulePacks(dirs);
}

type SourceMakers = Pick<typeof import('./input/sources.js'), 'fileSource' | 'streamSource'>;

function toSource(input: TriageInput, index: number, { fileSource, streamSource }: SourceMakers): Source {
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    return streamSource(`<input${index + 1}>`, () => Readable.from([bytes]));
  }
  if ('path' in input && typeof input.path === 'string' && !(input instanceof Readable)) return fileSource(input.path);
  if ('content' in input && 'name' in input) {
    const c = input.content;
    if (typeof c === 'string' || Buffer.isBuffer(c)) return streamSource(input.name, () => Readable.from([typeof c === 'string' ? Buffer.from(c) : c]));
    return streamSource(input.name, () => c);
  }
  return streamSource(`<stream${index + 1}>`, () => input as AsyncIterable<Buffer | string>);
}

/** Analyses the inputs and resolves with the full report. */
export async function triage(input: TriageInput | TriageInput[], options: TriageOptions = {}): Promise<Report> {
  const { TriageSession, feedSources, fileSource, streamSource } = await pipeline();
  const pack = await resolvePack(options);
  const session = new TriageSession(pack, options);
  const inputs = Array.isArray(input) ? input : [input];
  await feedSources(session, inputs.map((x, i) => toSource(x, i, { fileSource, streamSource })));
  return session.finish();
}

/** A streaming triage: push chunks (per source name), read incidents as they conclude. */
export interface TriageStream extends AsyncIterable<Incident> {
  /** Feeds a chunk of a source (default source name `<stream>`). */
  push(chunk: Buffer | string, source?: string): void;
  /** Nothing more for now: conclude the pending incidents (call it on a quiet stream). */
  flush(): void;
  /** End of all input; resolves with the report. The iterator ends after the last incident. */
  end(): Report;
}

/**
 * Creates a streaming session. Incidents are yielded by the async iterator as soon as they are
 * concluded: when later log lines move past their context window, on `flush()`, or at `end()`.
 */
export async function createTriage(options: TriageOptions = {}): Promise<TriageStream> {
  const { TriageSession } = await pipeline();
  const pack = await resolvePack(options);
  const queue: Incident[] = [];
  let waiting: ((r: IteratorResult<Incident>) => void) | undefined;
  let ended = false;
  const deliver = (incident: Incident) => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w({ value: incident, done: false });
    } else queue.push(incident);
  };
  const session = new TriageSession(pack, { ...options, onIncident: deliver });
  return {
    push(chunk, source = '<stream>') {
      if (ended) throw new Error('createTriage: push() after end()');
      session.write(source, typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    },
    flush() {
      session.quiet();
    },
    end() {
      const report = session.finish();
      ended = true;
      if (waiting && queue.length === 0) {
        const w = waiting;
        waiting = undefined;
        w({ value: undefined, done: true });
      }
      return report;
    },
    [Symbol.asyncIterator]() {
      return {
        next(): Promise<IteratorResult<Incident>> {
          if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
          if (ended) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => (waiting = resolve));
        },
      };
    },
  };
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
  for await (const chunk of chunks) {
    session.write(source, typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    while (ready.length) yield ready.shift()!;
  }
  const report = session.finish();
  while (ready.length) yield ready.shift()!;
  return report;
}
