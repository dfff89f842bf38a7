/**
 * Where a report goes: stdout, or `--output-file PATH` written atomically.
 *
 * Both sinks honour backpressure: `drained()` is awaited by the input loop, so a slow reader
 * slows pgtriage down instead of letting written text pile up in memory. Both report a write
 * failure once, as an OutputError with a one-line message, and then drop further text:
 * - stdout: EPIPE (the reader went away, `| head`) is a normal end and stays quiet; any other
 *   error (ENOSPC on `> /dev/full`, EIO, EACCES) is a failure.
 * - a file: the report is written to a temporary file in the same directory, synced and renamed
 *   over PATH only when complete, so PATH always holds either the previous file or the whole new
 *   report, never a partial one. On failure the temporary file is removed.
 */
import { once } from 'node:events';
import { rename, unlink } from 'node:fs/promises';
import { createWriteStream, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { sanitizeLine } from '../report/sanitize.js';
import { EXIT_OK } from './args.js';

export class OutputError extends Error {}

/** `no space left on device (ENOSPC)` from a Node error. */
export function describeWriteError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EIO: 'input/output error',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOENT: 'no such directory',
    ENOTDIR: 'not a directory',
    EISDIR: 'is a directory',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'file too large',
  };
  const text = (e?.code && known[e.code]) ?? String(e?.message ?? error).replace(/^[A-Z]+: /, '').replace(/, \w+ '.*$/, '');
  return e?.code ? `${text} (${e.code})` : text;
}

export interface Output {
  /** Queue text; never throws (a failure is kept and reported by `drained`/`close`). */
  write(text: string): void;
  /** True once the reader is gone (EPIPE) or writing failed: more text is pointless. */
  readonly stopped: boolean;
  /** Resolves when the sink can take more text; rejects with the write failure. */
  drained(): Promise<void> | undefined;
  /** Everything written and (for a file) in place. Rejects with the write failure. */
  close(): Promise<void>;
}

abstract class StreamOutput implements Output {
  protected failure: OutputError | undefined;
  protected gone = false;
  private waiting: Promise<void> | undefined;
  protected abstract readonly stream: Writable;
  protected abstract readonly label: string;

  protected watch(): void {
    this.stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' && this.allowEpipe) this.gone = true;
      else this.failure ??= new OutputError(`cannot write ${this.label}: ${describeWriteError(error)}`);
    });
  }

  protected abstract readonly allowEpipe: boolean;

  get stopped(): boolean {
    return this.gone || this.failed() !== undefined;
  }

  /** The failure, also when the stream has errored but its 'error' event is still queued. */
  protected failed(): OutputError | undefined {
    const errored = (this.stream as Writable & { errored?: NodeJS.ErrnoException | null }).errored;
    if (!this.failure && errored && !(errored.code === 'EPIPE' && this.allowEpipe)) {
      this.failure = new OutputError(`cannot write ${this.label}: ${describeWriteError(errored)}`);
    }
    if (errored?.code === 'EPIPE' && this.allowEpipe) this.gone = true;
    return this.failure;
  }

  write(text: string): void {
    if (!text || this.stopped) return;
    if (!this.stream.write(text) && !this.waiting) this.waiting = this.untilDrained();
  }

  /**
   * 'close' and 'error' also end the wait, so a dead reader cannot hang the run. All three
   * listeners go once one fires: a run waits thousands of times, and listeners left behind by
   * `once()` races would pile up on the stream (and in memory) with every wait.
   */
  private untilDrained(): Promise<void> {
    const stream = this.stream;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('close', done);
        stream.off('error', done);
        this.waiting = undefined;
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
      stream.on('error', done);
    });
  }

  drained(): Promise<void> | undefined {
    const failure = this.failed();
    if (failure) return Promise.reject(failure);
    if (!this.waiting) return undefined;
    return this.waiting.then(() => {
      const f = this.failed();
      if (f) throw f;
    });
  }

  /** Waits until every queued write has been handed to the system (or failed). */
  protected async flushed(): Promise<void> {
    if (!this.stopped && this.stream.writable) {
      await new Promise<void>((resolve) => this.stream.write('', () => resolve()));
    }
    const failure = this.failed();
    if (failure) throw failure;
  }

  abstract close(): Promise<void>;
}

class StdoutOutput extends StreamOutput {
  protected readonly label = 'to stdout';
  protected readonly allowEpipe = true;
  constructor(protected readonly stream: Writable) {
    super();
    this.watch();
  }
  close(): Promise<void> {
    return this.flushed();
  }
}

class FileOutput extends StreamOutput {
  protected readonly allowEpipe = false;
  protected readonly label: string;
  private done = false;
  private constructor(
    protected readonly stream: Writable,
    private readonly temp: string,
    private readonly target: string,
  ) {
    super();
    this.label = target;
    this.watch();
    // A crash or kill between start and rename must not leave the temporary file behind.
    process.once('exit', this.cleanup);
  }

  private readonly cleanup = (): void => {
    if (this.done) return;
    try {
      unlinkSync(this.temp);
    } catch {
      // already gone
    }
  };

  static async create(target: string): Promise<FileOutput> {
    const dir = path.dirname(path.resolve(target));
    // node:crypto only when writing a file (--output), not on every start.
    const { randomBytes } = await import('node:crypto');
    const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    // `flush`: the data is on disk before the rename makes it the report
    const stream = createWriteStream(temp, { flags: 'wx', mode: 0o666, flush: true });
    try {
      await once(stream, 'open');
    } catch (error) {
      throw new OutputError(`cannot write ${target}: ${describeWriteError(error)}`);
    }
    return new FileOutput(stream, temp, target);
  }

  async close(): Promise<void> {
    try {
      await this.flushed();
      this.stream.end();
      await once(this.stream, 'close');
      const failure = this.failed();
      if (failure) throw failure;
      await rename(this.temp, this.target);
      this.done = true;
    } catch (error) {
      this.stream.destroy();
      await unlink(this.temp).catch(() => undefined);
      this.done = true;
      if (error instanceof OutputError) throw error;
      throw new OutputError(`cannot write ${this.target}: ${describeWriteError(error)}`);
    } finally {
      process.off('exit', this.cleanup);
    }
  }
}

/** The sink for a run: stdout, or an atomically written file. Fails early if the file cannot be created. */
export async function openOutput(file: string | undefined, stdout: Writable): Promise<Output> {
  return file === undefined ? new StdoutOutput(stdout) : FileOutput.create(file);
}

/**
 * One message per line on stderr, through the same terminal sanitizer as the reports: file
 * names, rule-pack text and error messages come from outside and may hold escape sequences.
 */
export function say(...lines: string[]): void {
  process.stderr.write(lines.map((l) => `${sanitizeLine(l)}\n`).join(''));
}

/** Help, version, completion and settings go through an Output too: `--help > /dev/full` is exit 2. */
export async function writeAll(text: string): Promise<number> {
  const out = await openOutput(undefined, process.stdout);
  out.write(text);
  await out.close();
  return EXIT_OK;
}
