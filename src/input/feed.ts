import type { TriageSession } from '../session.js';
import type { Follower } from './follow.js';
import type { Source } from './sources.js';

export interface FeedOptions {
  /** On a live stream, conclude pending incidents after this many ms without new data. */
  quietMs?: number;
  signal?: AbortSignal;
  /**
   * Called after each chunk is analysed; a returned promise is awaited before the next chunk is
   * read. The CLI waits here for its output to drain, so a slow reader slows the input down
   * instead of letting the report pile up in memory. Must not reject.
   */
  pace?: () => Promise<void> | undefined;
}

/**
 * Pumps sources into a session one after the other. A source that fails to open or breaks
 * mid-way is recorded as failed and the next one is read.
 */
export async function feedSources(session: TriageSession, sources: Source[], options: FeedOptions = {}): Promise<void> {
  // Small files are read a few ahead while the current one is analysed, so many small inputs
  // do not wait on one file system round trip after another. Analysis stays in input order.
  const ahead = new Map<number, Promise<Buffer | undefined>>();
  // Incidents wait for every source of their case, also those not opened yet.
  session.expect(sources.map((s) => s.name));
  const prefetch = (i: number) => {
    const source = sources[i];
    if (!source?.readSmall || ahead.has(i)) return;
    const p = source.readSmall();
    p.catch(() => undefined); // reported when its turn comes
    ahead.set(i, p);
  };
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i];
    if (options.signal?.aborted) break;
    for (let k = i; k < i + READ_AHEAD; k++) prefetch(k);
    const interrupt = () => source.interrupt?.();
    options.signal?.addEventListener('abort', interrupt, { once: true });
    try {
      const whole = await ahead.get(i);
      ahead.delete(i);
      if (whole !== undefined) await writePaced(session, source.name, whole, options);
      else await feedOne(session, source, options);
    } catch (error) {
      // What was read before the error is analysed; the source is still reported as failed.
      session.failSource(source.name, describeReadError(error));
    } finally {
      options.signal?.removeEventListener('abort', interrupt);
    }
    session.endSource(source.name);
  }
}

/**
 * With a `pace`, chunks are analysed in slices: one 1 MiB chunk of a busy log can conclude
 * thousands of incidents, and their output must be able to drain in between.
 */
const PACED_SLICE = 64 * 1024;

/** `session.write` with the pace awaited after every slice; false when the source turned out binary. */
async function writePaced(session: TriageSession, name: string, chunk: Buffer, options: FeedOptions): Promise<boolean> {
  if (!options.pace || chunk.length === 0) return session.write(name, chunk);
  for (let at = 0; at < chunk.length; at += PACED_SLICE) {
    if (!session.write(name, chunk.subarray(at, at + PACED_SLICE))) return false;
    await options.pace();
  }
  return true;
}

/** Small files read ahead of the one being analysed. */
const READ_AHEAD = 8;

async function feedOne(session: TriageSession, source: Source, options: FeedOptions): Promise<void> {
  const iterator = source.open()[Symbol.asyncIterator]();
  const quietMs = options.quietMs;
  for (;;) {
    if (options.signal?.aborted) return;
    const next = iterator.next();
    let result: IteratorResult<Buffer>;
    if (quietMs === undefined) {
      // An abort ends the wait too: a stream that never ends (a pipe, a library caller's
      // iterable) must not keep an aborted run waiting for its next chunk.
      result = await raceAbort(next, options.signal);
    } else {
      // Wait for data; when the stream stays quiet, conclude what is pending, then keep waiting.
      let timer: NodeJS.Timeout | undefined;
      const quiet = new Promise<'quiet'>((resolve) => {
        timer = setTimeout(() => resolve('quiet'), quietMs);
      });
      // Ctrl-C while waiting ends the wait at once (the summary follows). The listener is removed
      // after each wait: a promise that outlives the race would keep every chunk it resolved to.
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<'aborted'>((resolve) => {
        onAbort = () => resolve('aborted');
        if (options.signal?.aborted) resolve('aborted');
        else options.signal?.addEventListener('abort', onAbort, { once: true });
      });
      const first = await Promise.race([next, quiet, aborted]);
      if (onAbort) options.signal?.removeEventListener('abort', onAbort);
      if (first === 'aborted') {
        clearTimeout(timer);
        return;
      }
      clearTimeout(timer);
      if (first === 'quiet') {
        session.quiet();
        result = await raceAbort(next, options.signal);
      } else {
        result = first;
      }
    }
    if (result.done) return;
    if (!(await writePaced(session, source.name, result.value, options))) {
      // Binary: nothing more to analyse; stop reading (and close the file).
      await iterator.return?.();
      return;
    }
  }
}

function raceAbort<T>(promise: Promise<IteratorResult<T>>, signal?: AbortSignal): Promise<IteratorResult<T>> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve({ done: true, value: undefined });
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve({ done: true, value: undefined });
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export function describeReadError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'cannot read: no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read: permission denied';
    case 'EISDIR':
      return 'cannot read: is a directory';
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return `gzip data is corrupt or truncated (${e.message}); the part before the damage was analysed`;
    default:
      return `cannot read: ${e?.message ?? String(error)}`;
  }
}

/**
 * `--follow`: polls the follower until Ctrl-C, feeding what each file gained under its name and
 * concluding pending incidents once the files have been quiet for `quietMs` (as on stdin).
 */
export async function followInto(
  session: TriageSession,
  follower: Follower,
  options: { quietMs: number; pollMs?: number; signal: AbortSignal },
): Promise<void> {
  let quietSince = Date.now();
  let concluded = true;
  try {
    while (!options.signal.aborted) {
      const got = await follower.poll();
      const now = Date.now();
      if (got > 0) {
        quietSince = now;
        concluded = false;
      } else if (!concluded && now - quietSince >= options.quietMs) {
        session.quiet();
        concluded = true;
      }
      await follower.wait(concluded ? (options.pollMs ?? 1000) : Math.min(options.pollMs ?? 1000, options.quietMs), options.signal);
    }
  } finally {
    follower.close();
    for (const name of follower.names) session.endSource(name);
  }
}
