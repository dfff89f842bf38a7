/**
 * pgtriage as a library: explain SQLSTATE 08003 ("connection does not exist") and its family
 * from logs. `triage` analyses inputs in one call; `createTriage` is a streaming session for
 * log processors (push chunks, receive incidents as they are concluded).
 */
import { Readable } from 'node:stream';
import { feedSources } from './input/feed.js';
import { fileSource, streamSource, type Source } from './input/sources.js';
import { DEFAULT_RULES_DIR, loadRulePacks, loadRuleTexts } from './rules/load.js';
import type { RulePack } from './rules/types.js';
import { TriageSession, type SessionOptions } from './session.js';
import type { Incident, Report } from './report-types.js';

export type * from './report-types.js';
export type { LogEvent, EventFields, Origin, FormatId } from './events.js';
export type { RulePack, Rule, CauseDef } from './rules/types.js';
export { RulePackError, RuleError } from './rules/errors.js';
export { loadRulePacks, loadRuleTexts, DEFAULT_RULES_DIR };
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

function toSource(input: TriageInput, index: number): Source {
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
  const pack = await resolvePack(options);
  const session = new TriageSession(pack, options);
  const inputs = Array.isArray(input) ? input : [input];
  await feedSources(session, inputs.map(toSource));
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
