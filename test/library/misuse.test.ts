/**
 * The library's promises on misuse: typed errors with a `code` instead of bare TypeErrors or
 * hangs, and an AbortSignal that stops `triage()` and `createTriage()`.
 */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTriage, triage, TriageAbortError, type TriageError, TriageInputError, TriageStateError, triageStream } from '../../src/index.js';
import { KNOWN } from '../hostile/helpers.js';

const LOG = `${KNOWN}\n`;
const later = (text: string, seconds: number) => text.replace('02:00:00', `02:${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`);

describe('createTriage()', () => {
  it('yields every incident to its one iterator, and the report holds them too', async () => {
    const session = await createTriage();
    const seen: number[] = [];
    const loop = (async () => {
      for await (const incident of session) seen.push(incident.line);
    })();
    session.push(LOG + later(KNOWN, 1800) + '\n', 'app.log');
    const report = session.end();
    await loop;
    expect(seen).toEqual([1, 2]);
    expect(report.incidents.map((i) => i.line)).toEqual([1, 2]);
  });

  it('refuses a second iterator with ERR_TRIAGE_ITERATOR instead of splitting or hanging', async () => {
    const session = await createTriage();
    session[Symbol.asyncIterator]();
    let error: unknown;
    try {
      for await (const _ of session) break;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TriageStateError);
    expect((error as TriageError).code).toBe('ERR_TRIAGE_ITERATOR');
    session.end();
  });

  it('answers concurrent next() calls in order', async () => {
    const session = await createTriage();
    const it = session[Symbol.asyncIterator]();
    const a = it.next();
    const b = it.next();
    const c = it.next();
    session.push(LOG + later(KNOWN, 1800) + '\n');
    session.end();
    expect((await a).value?.line).toBe(1);
    expect((await b).value?.line).toBe(2);
    expect((await c).done).toBe(true);
  });

  it('push, flush and end after end() throw ERR_TRIAGE_ENDED', async () => {
    const session = await createTriage();
    session.end();
    for (const call of [() => session.push('x\n'), () => session.flush(), () => session.end()]) {
      expect(call).toThrow(TriageStateError);
      try {
        call();
      } catch (e) {
        expect((e as TriageError).code).toBe('ERR_TRIAGE_ENDED');
      }
    }
  });

  it('a chunk that is not text or bytes is a TriageInputError, and the session goes on', async () => {
    const session = await createTriage();
    for (const bad of [42, null, undefined, { text: 'x' }, ['a']]) {
      expect(() => session.push(bad as never)).toThrow(TriageInputError);
    }
    expect(() => session.push('x\n', '' as string)).toThrow(/source must be a non-empty string/);
    session.push(new Uint8Array(Buffer.from(LOG)));
    expect(session.end().incidents).toHaveLength(1);
  });

  it('an abort rejects the waiting iterator and makes every later call throw', async () => {
    const controller = new AbortController();
    const session = await createTriage({ signal: controller.signal });
    const it = session[Symbol.asyncIterator]();
    const waiting = it.next();
    controller.abort(new Error('shutting down'));
    const error = await waiting.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TriageAbortError);
    expect((error as TriageAbortError).code).toBe('ABORT_ERR');
    expect((error as TriageAbortError).name).toBe('AbortError');
    expect(((error as Error).cause as Error).message).toBe('shutting down');
    expect(() => session.push(LOG)).toThrow(TriageAbortError);
    expect(() => session.end()).toThrow(TriageAbortError);
  });

  it('an already aborted signal rejects at once', async () => {
    await expect(createTriage({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(TriageAbortError);
  });
});

describe('triage()', () => {
  it.each([
    ['a number', 42],
    ['null', null],
    ['an object without path or content', { file: 'x.log' }],
    ['an empty path', { path: '' }],
    ['content of the wrong type', { name: 'x', content: 7 }],
  ])('refuses %s with ERR_TRIAGE_INPUT before reading anything', async (_what, input) => {
    const error = await triage(input as never).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TriageInputError);
    expect((error as TriageError).code).toBe('ERR_TRIAGE_INPUT');
    expect((error as Error).message).toMatch(/^triage\(\): input 1/);
  });

  it('refuses a chunk that is not text or bytes inside an iterable (a number would read as zero bytes)', async () => {
    async function* chunks() {
      yield LOG;
      yield 5 as unknown as string;
    }
    await expect(triage(chunks())).rejects.toThrow(/yielded a number/);
  });

  it('refuses one stream read by two concurrent calls, and a stream already read', async () => {
    const stream = new PassThrough();
    const first = triage(stream);
    const second = await triage(stream).then(() => undefined, (e: unknown) => e);
    expect((second as TriageError).code).toBe('ERR_TRIAGE_INPUT_IN_USE');
    stream.end(LOG);
    expect((await first).incidents).toHaveLength(1);
    await expect(triage(stream)).rejects.toThrow(/already been read/);
  });

  it('an abort stops a triage waiting on a stream that never ends', async () => {
    const controller = new AbortController();
    let reading!: () => void;
    const started = new Promise<void>((resolve) => (reading = resolve));
    async function* forever() {
      yield LOG;
      reading(); // the first chunk was taken: the feed now waits for the next one
      await new Promise(() => undefined);
    }
    const run = triage(forever(), { signal: controller.signal });
    await started;
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(TriageAbortError);
  });

  it('accepts strings, Buffers, Uint8Arrays, Readables and { name, content }', async () => {
    const report = await triage([LOG, Buffer.from(LOG), new Uint8Array(Buffer.from(LOG)), Readable.from([LOG]), { name: 'named.log', content: LOG }]);
    expect(report.incidents).toHaveLength(5);
  });
});

describe('triageStream()', () => {
  it('refuses a chunk that is not text or bytes', async () => {
    async function* chunks() {
      yield {} as unknown as string;
    }
    const gen = triageStream(chunks());
    await expect(gen.next()).rejects.toBeInstanceOf(TriageInputError);
  });
});
