/**
 * The streaming session behind `createTriage()`: chunks are pushed in, incidents come out of
 * one async iterator as the session concludes them. Misuse is a typed error rather than a
 * hang: one iterator per session (a second one would silently split the incidents between two
 * loops, or wait forever), nothing after `end()`, chunks must be strings or bytes.
 */
import type { Incident, Report } from '../report-types.js';
import type { TriageSession } from '../session.js';
import { describeValue, TriageAbortError, TriageInputError, TriageStateError } from './errors.js';

/** A streaming triage: push chunks (per source name), read incidents as they conclude. */
export interface TriageStream extends AsyncIterable<Incident> {
  /** Feeds a chunk of a source (default source name `<stream>`). */
  push(chunk: Buffer | Uint8Array | string, source?: string): void;
  /** Nothing more for now: conclude the pending incidents (call it on a quiet stream). */
  flush(): void;
  /** End of all input; returns the report. The iterator ends after the last incident. */
  end(): Report;
}

type Waiter = { resolve: (r: IteratorResult<Incident>) => void; reject: (e: unknown) => void };

/** The session's side of the stream: what the library's `onIncident` calls. */
export class IncidentStream implements TriageStream {
  private readonly queue: Incident[] = [];
  /** Pending `next()` calls, oldest first (a caller may ask again before the first resolves). */
  private readonly waiters: Waiter[] = [];
  private state: 'open' | 'ended' | 'aborted' = 'open';
  private abortError: TriageAbortError | undefined;
  private iterator: 'none' | 'reading' | 'closed' = 'none';
  private session!: TriageSession;
  private readonly onAbort: () => void;

  constructor(private readonly signal?: AbortSignal) {
    this.onAbort = () => this.abort(signal?.reason);
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Set once the session exists (it needs `deliver` as its `onIncident`). */
  attach(session: TriageSession): void {
    this.session = session;
  }

  /** Called by the session for each concluded incident. */
  readonly deliver = (incident: Incident): void => {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve({ value: incident, done: false });
    // After the loop has stopped (`break`), nobody will read the queue: the report keeps them.
    else if (this.iterator !== 'closed') this.queue.push(incident);
  };

  push(chunk: Buffer | Uint8Array | string, source = '<stream>'): void {
    this.assertOpen('push');
    if (typeof source !== 'string' || source === '') throw new TriageInputError('ERR_TRIAGE_INPUT', `push(chunk, source): source must be a non-empty string, got ${describeValue(source)}`);
    let bytes: Buffer;
    if (typeof chunk === 'string') bytes = Buffer.from(chunk, 'utf8');
    else if (Buffer.isBuffer(chunk)) bytes = chunk;
    else if (chunk instanceof Uint8Array) bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else throw new TriageInputError('ERR_TRIAGE_INPUT', `push(chunk): a chunk is a string, a Buffer or a Uint8Array, got ${describeValue(chunk)}`);
    this.session.write(source, bytes);
  }

  flush(): void {
    this.assertOpen('flush');
    this.session.quiet();
  }

  end(): Report {
    this.assertOpen('end');
    const report = this.session.finish();
    this.state = 'ended';
    this.signal?.removeEventListener('abort', this.onAbort);
    for (const w of this.waiters.splice(0)) w.resolve({ value: undefined, done: true });
    return report;
  }

  [Symbol.asyncIterator](): AsyncIterator<Incident> {
    if (this.iterator !== 'none') {
      throw new TriageStateError(
        'ERR_TRIAGE_ITERATOR',
        'createTriage(): this session already has an incident iterator; each incident is delivered once, so read them in one loop (or use report.incidents from end())',
      );
    }
    this.iterator = 'reading';
    return {
      next: () => {
        if (this.queue.length) return Promise.resolve({ value: this.queue.shift()!, done: false });
        if (this.state === 'aborted') return Promise.reject(this.abortError);
        if (this.state === 'ended' || this.iterator === 'closed') return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
      },
      return: () => {
        this.iterator = 'closed';
        this.queue.length = 0;
        for (const w of this.waiters.splice(0)) w.resolve({ value: undefined, done: true });
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private abort(reason: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    this.abortError = new TriageAbortError(reason);
    this.queue.length = 0;
    for (const w of this.waiters.splice(0)) w.reject(this.abortError);
  }

  private assertOpen(call: string): void {
    if (this.state === 'aborted') throw this.abortError;
    if (this.state === 'ended') throw new TriageStateError('ERR_TRIAGE_ENDED', `createTriage(): ${call}() after end()`);
  }
}
