/**
 * Every kind of input as one Source: files (plain, gzip, FIFOs opened without blocking), stdin,
 * and texts given to the library. Over 300 lines because this is the one place that touches
 * node:fs and node:zlib, and each kind's opening, sniffing and error wording must stay beside
 * the others so that every input fails and is counted the same way.
 */
import fsCb, { promises as fs, readSync } from 'node:fs';
import path from 'node:path';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { SkippedEntry, WalkOptions } from './walk.js';

/** A readable input: a file, stdin, or an in-memory text given to the library. */
export interface Source {
  name: string;
  open(): AsyncIterable<Buffer>;
  /**
   * For small plain files: the whole content in one read (undefined when the file is large,
   * compressed or not a regular file, and must be streamed). Lets many small files be read
   * ahead in parallel without a stream and a 1 MiB buffer each.
   */
  readSmall?(): Promise<Buffer | undefined>;
  /** Ctrl-C: stop waiting for data now (a pipe nobody writes to would keep the process alive). */
  interrupt?(): void;
}

/**
 * Reads a file whole when it is a small regular file, else resolves undefined. Plain callback
 * calls (open, fstat, read, close) cost far less per file than FileHandle promises, which
 * matters when a directory holds thousands of small logs.
 */
function readSmallFile(file: string): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    fsCb.open(file, 'r', (openError, fd) => {
      if (openError) return reject(openError);
      const finish = (error: Error | null, value?: Buffer) => fsCb.close(fd, () => (error ? reject(error) : resolve(value)));
      fsCb.fstat(fd, (statError, stat) => {
        if (statError) return finish(statError);
        if (!stat.isFile() || stat.size > SMALL_FILE_BYTES) return finish(null, undefined);
        const buf = Buffer.allocUnsafe(stat.size);
        const readFrom = (got: number) => {
          if (got >= buf.length) return done(got);
          fsCb.read(fd, buf, got, buf.length - got, got, (readError, n) => {
            if (readError) return finish(readError);
            if (n === 0) return done(got);
            readFrom(got + n);
          });
        };
        const done = (got: number) => {
          const bytes = buf.subarray(0, got);
          // Compressed files go through the streaming path, which decompresses them.
          finish(null, bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? undefined : bytes);
        };
        readFrom(0);
      });
    });
  });
}

/** Files up to this size are read in one go (the size of one stream chunk anyway). */
const SMALL_FILE_BYTES = 1 << 20;
/**
 * Large files are read in chunks of this size. Each chunk is a fresh buffer that lives while it
 * is analysed, long enough under a busy log's allocation rate to be promoted and wait for a major
 * GC: with 1 MiB chunks a file run's peak RSS was 40 MB above the same input's from a pipe
 * (64 KiB chunks). Smaller reads cost no measurable time next to the analysis.
 */
const READ_CHUNK_BYTES = 64 << 10;

/** Why an input could not be used; reported per path, never fatal for the others. */
export interface SourceProblem {
  input: string;
  message: string;
}

const GLOB_CHARS = /[*?[\]{}!]/;

/**
 * Turns CLI arguments into sources: `-` is stdin, a file is itself, a directory is walked
 * recursively, anything with glob characters goes through fast-glob. Order is stable.
 */
export async function expandInputs(
  inputs: string[],
  stdin: () => Readable,
  walk: Omit<WalkOptions, 'exclude'> = {},
): Promise<{ sources: Source[]; problems: SourceProblem[]; skipped: SkippedEntry[] }> {
  const sources: Source[] = [];
  const problems: SourceProblem[] = [];
  const skipped: SkippedEntry[] = [];
  const seen = new Set<string>();
  const addFile = (file: string, regular: boolean) => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    sources.push(fileSource(file, regular));
  };

  // The glob and ignore matchers are loaded when an input needs them: not by library calls, nor
  // for plain file names (loading fast-glob was a tenth of the CLI's start-up).
  const negations = inputs.filter((i) => i.startsWith('!')).map((i) => i.slice(1));
  for (const input of inputs) {
    if (input.startsWith('!')) continue;
    if (input === '-') {
      sources.push(streamSource('<stdin>', stdin));
      continue;
    }
    let stat: import('node:fs').Stats | undefined;
    try {
      stat = await fs.stat(input);
    } catch (error) {
      if (!GLOB_CHARS.test(input)) {
        problems.push({ input, message: describeFsError(error) });
        continue;
      }
    }
    if (stat?.isFIFO()) {
      // A named pipe is read like stdin (`pgtriage <(zcat old.log.gz)`, `mkfifo`).
      const key = path.resolve(input);
      if (!seen.has(key)) {
        seen.add(key);
        sources.push(fifoSource(input));
      }
    } else if (stat?.isFile()) {
      addFile(input, true);
    } else if (stat?.isDirectory()) {
      const { walkDirectory } = await import('./walk.js');
      const walked = await walkDirectory(input, { ...walk, exclude: negations });
      skipped.push(...walked.skipped);
      if (walked.files.length === 0) {
        const why = walked.skipped.length ? ` to read (${walked.skipped.length} skipped; --explain lists them, --no-ignore reads them)` : '';
        problems.push({ input, message: `directory contains no files${why}` });
      }
      // The walk lists regular files only (pipes and devices are skipped and counted).
      for (const f of walked.files) addFile(f, true);
    } else if (stat) {
      problems.push({ input, message: 'not a regular file, directory or pipe' });
    } else {
      const { default: fg } = await import('fast-glob');
      const files = await fg(input, {
        onlyFiles: true,
        followSymbolicLinks: false,
        suppressErrors: true,
        ignore: negations,
      });
      files.sort();
      if (files.length === 0) problems.push({ input, message: 'no file matches this pattern' });
      for (const f of files) addFile(f, true);
    }
  }
  return { sources, problems, skipped };
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    default:
      return (error as Error)?.message ?? String(error);
  }
}

/** A file read as a stream; gzip is recognized by its magic bytes, not its name. */
/** `regular`: the caller already knows the path is a regular file (no pipe), so no extra stat is needed. */
export function fileSource(file: string, regular = false): Source {
  return {
    name: file,
    open: () => maybeGunzip(readFileChunks(file)),
    async readSmall() {
      // Unless it is known to be a regular file, stat by path first: opening a FIFO here would
      // consume its writer.
      if (!regular) {
        const before = await fs.stat(file);
        if (!before.isFile() || before.size > SMALL_FILE_BYTES) return undefined;
      }
      return readSmallFile(file);
    },
  };
}

/** Chunks read between two turns of the event loop (1 MiB). */
const CHUNKS_PER_TURN = 16;

/**
 * A file's bytes in READ_CHUNK_BYTES chunks. A regular file is read with readSync on the
 * descriptor: a stream hands every 64 KiB read to libuv's thread pool and back, which cost about
 * twice the CPU of the read itself and, on a loaded machine, waits for that thread to be
 * scheduled. Every CHUNKS_PER_TURN chunks the event loop gets a turn, so signals, timers and the
 * output's `drain` are served as before. Anything else (a FIFO named as a file, a device) is
 * read as a stream.
 */
async function* readFileChunks(file: string): AsyncIterable<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    if (!(await handle.stat()).isFile()) {
      for await (const chunk of handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES, autoClose: false })) yield chunk as Buffer;
      return;
    }
    for (let reads = 1; ; reads++) {
      const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      const got = readSync(handle.fd, buf, 0, buf.length, null);
      if (got === 0) return;
      yield got === buf.length ? buf : buf.subarray(0, got);
      if (reads % CHUNKS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * A named pipe. Opened for reading the usual way, a FIFO blocks in open(2) until a writer comes,
 * and that open runs on libuv's thread pool, where nothing can cancel it: Ctrl-C ended the
 * analysis but the blocked open kept the process alive. Opened with O_NONBLOCK the open returns
 * at once, and the descriptor is read as a pipe (epoll, like stdin): it still waits for a
 * writer and reads to its end, and `interrupt` (Ctrl-C) closes it at once.
 */
export function fifoSource(file: string): Source {
  let socket: Socket | undefined;
  let interrupted = false;
  async function* read(): AsyncIterable<Buffer> {
    // node:net is loaded for pipes only; a run over plain files does not need it.
    const { Socket } = await import('node:net');
    const fd = await new Promise<number>((resolve, reject) =>
      fsCb.open(file, fsCb.constants.O_RDONLY | fsCb.constants.O_NONBLOCK, (error, fd) => (error ? reject(error) : resolve(fd))),
    );
    socket = new Socket({ fd, readable: true, writable: false });
    if (interrupted) socket.destroy();
    try {
      for await (const chunk of socket) yield chunk as Buffer;
    } catch (error) {
      // A socket destroyed by `interrupt` ends early; that is the end of the input, not a failure.
      if (!interrupted) throw error;
    }
  }
  return {
    name: file,
    open: () => maybeGunzip(read()),
    interrupt() {
      interrupted = true;
      socket?.destroy();
    },
  };
}

export function streamSource(name: string, stream: () => Readable | AsyncIterable<Buffer | string>): Source {
  return { name, open: () => maybeGunzip(stream()) };
}

/**
 * Yields the bytes of a stream, decompressed when they start with the gzip magic. On damaged
 * gzip data everything decompressed before the damage is yielded first (a truncated file is
 * flushed to its last complete block), then the zlib error is thrown. Stopping early (the
 * consumer returns) closes the underlying stream.
 */
async function* maybeGunzip(input: AsyncIterable<Buffer | string>): AsyncIterable<Buffer> {
  const iterator = input[Symbol.asyncIterator]();
  try {
    // The magic needs two bytes; a stream may deliver them one at a time.
    const headParts: Buffer[] = [];
    let headLength = 0;
    while (headLength < 2) {
      const next = await iterator.next();
      if (next.done) break;
      const b = toBuffer(next.value);
      headParts.push(b);
      headLength += b.length;
    }
    if (headLength === 0) return;
    const head = headParts.length === 1 ? headParts[0] : Buffer.concat(headParts);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      yield* gunzipStream(head, iterator);
      return;
    }
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield toBuffer(next.value);
    }
  } finally {
    // Closes a file stream whose reading was abandoned (binary, corrupt, aborted).
    await iterator.return?.()?.catch(() => undefined);
  }
}

async function* gunzipStream(head: Buffer, rest: AsyncIterator<Buffer | string>): AsyncIterable<Buffer> {
  // Loaded for gzip input only: a plain log never needs zlib.
  const { constants: zlibConstants, createGunzip } = await import('node:zlib');
  const gunzip = createGunzip();
  const queue: Buffer[] = [];
  let failure: Error | undefined;
  let ended = false;
  let stopped = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  gunzip.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    // Backpressure: a gzip bomb must not fill memory faster than lines are analysed.
    if (queue.length >= 16) gunzip.pause();
    signal();
  });
  gunzip.on('error', (error: Error) => {
    failure ??= error;
    signal();
  });
  gunzip.on('end', () => {
    ended = true;
    signal();
  });
  const feed = (async () => {
    try {
      const write = async (b: Buffer) => {
        if (failure) throw failure;
        if (!gunzip.write(b)) await drainOrFail(gunzip);
      };
      await write(head);
      for (;;) {
        if (failure || stopped) return;
        const next = await rest.next();
        if (next.done) break;
        await write(toBuffer(next.value));
      }
      if (failure || stopped) return;
      // Decompress what the input holds before end() reports a truncated stream.
      await new Promise<void>((resolve) => gunzip.flush(zlibConstants.Z_SYNC_FLUSH, () => resolve()));
      gunzip.end();
    } catch (error) {
      failure ??= error as Error;
      signal();
    }
  })();
  try {
    for (;;) {
      if (queue.length > 0) {
        const chunk = queue.shift()!;
        if (queue.length < 4 && gunzip.isPaused()) gunzip.resume();
        yield chunk;
        continue;
      }
      if (failure) throw failure;
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    await feed;
  } finally {
    stopped = true;
    if (!ended) gunzip.destroy();
  }
}

function drainOrFail(stream: NodeJS.ReadWriteStream & { destroyed?: boolean }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

function toBuffer(chunk: Buffer | string | Uint8Array): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
}
