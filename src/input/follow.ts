import fsCb, { promises as fs, type FSWatcher } from 'node:fs';
import path from 'node:path';

/**
 * `--follow PATH...`: reads files as they grow, like `tail -F`, each under its own source name.
 * A file is tracked by path; each poll compares the path's inode with the open file's:
 *   - another inode (or none): rotation by rename (or deletion); the old file is read to its
 *     end, closed, and the new file at the path is read from its start;
 *   - same inode, smaller than what was read: copytruncate; reading restarts at 0;
 *   - same inode, larger: the new bytes are read.
 * Globs are expanded again on every poll, so files that appear later are followed too.
 * fs.watch on the parent folders wakes a poll at once; the poll timer is the fallback where
 * watching is unsupported or misses events (network and container file systems). chokidar
 * would add the watching but not the part that matters here (offsets, inodes, rotation).
 * A copytruncate followed by writes past the old size before the next poll would look like
 * growth (`tail -F` misses it); the last bytes read are compared with what the file now holds
 * there, so a refilled file is read again from its start.
 */

export interface FollowSink {
  /** New bytes of a source; false stops following it (binary). */
  data(name: string, chunk: Buffer): boolean;
  /** A path that cannot be read (said once per path until it can be read again). */
  problem(name: string, message: string): void;
}

interface Tracked {
  name: string;
  fd?: number;
  ino?: number;
  dev?: number;
  offset: number;
  /** Last byte handed on, so a rotated file's unterminated last line is not glued to the next. */
  lastByte?: number;
  stopped?: boolean;
  problem?: string;
  /** The bytes just before `offset`, to notice a file truncated and refilled between two polls. */
  tail?: Buffer;
}

/** At most this much is read from one file per poll, so one busy file cannot starve the rest. */
const MAX_BYTES_PER_POLL = 8 << 20;
const CHUNK = 1 << 20;
const GLOB_CHARS = /[*?[\]{}]/;
/** How much of what was read is kept to recognise the file again (a line or a few, with their times). */
const TAIL_BYTES = 512;

export class Follower {
  private readonly tracked = new Map<string, Tracked>();
  private readonly watchers = new Map<string, FSWatcher>();
  private wake?: () => void;
  private readonly buffer = Buffer.allocUnsafe(CHUNK);

  constructor(
    private readonly patterns: readonly string[],
    private readonly sink: FollowSink,
    private readonly options: { watch?: boolean } = {},
  ) {}

  /** The names followed so far, in the order they were first seen. */
  get names(): string[] {
    return [...this.tracked.keys()];
  }

  /** One round: finds new files, reads what each has gained. Returns the bytes delivered. */
  async poll(): Promise<number> {
    for (const name of await this.expand()) {
      if (!this.tracked.has(name)) {
        this.tracked.set(name, { name, offset: 0 });
        if (this.options.watch !== false) this.watch(path.dirname(name));
      }
    }
    let total = 0;
    for (const t of this.tracked.values()) if (!t.stopped) total += await this.pollOne(t);
    return total;
  }

  /** Resolves on a file-system event, after `ms`, or when `signal` aborts, whichever is first. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      if (signal?.aborted) done();
      else this.wake = done;
    });
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    for (const t of this.tracked.values()) this.closeFile(t);
  }

  private async expand(): Promise<string[]> {
    const plain = this.patterns.filter((p) => !GLOB_CHARS.test(p));
    const globs = this.patterns.filter((p) => GLOB_CHARS.test(p));
    const out = [...plain];
    if (globs.length) {
      const { default: fg } = await import('fast-glob');
      const found = await fg(globs, { onlyFiles: true, dot: false, followSymbolicLinks: true, suppressErrors: true });
      out.push(...found.sort());
      for (const g of globs) if (this.options.watch !== false) this.watch(globBase(g));
    }
    return out;
  }

  private async pollOne(t: Tracked): Promise<number> {
    let st: fsCb.Stats | undefined;
    try {
      st = await fs.stat(t.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return this.fail(t, error);
    }
    let total = 0;
    if (t.fd !== undefined && (!st || st.ino !== t.ino || st.dev !== t.dev)) {
      // Renamed away or deleted: what was written to it before the move is still ours.
      total += this.drain(t, Infinity);
      this.closeFile(t);
    }
    if (!st) {
      if (t.problem === undefined) this.say(t, 'no such file yet; following the path until it appears');
      return total;
    }
    if (!st.isFile()) return total + this.fail(t, Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' }));
    if (t.fd === undefined) {
      try {
        t.fd = fsCb.openSync(t.name, 'r');
      } catch (error) {
        return total + this.fail(t, error);
      }
      t.ino = st.ino;
      t.dev = st.dev;
      t.offset = 0;
      t.tail = undefined;
      this.separate(t);
    } else if (st.size < t.offset || !this.sameTail(t)) {
      // Truncated in place (logrotate's copytruncate): the file starts over.
      t.offset = 0;
      t.tail = undefined;
      this.separate(t);
    }
    t.problem = undefined;
    const got = this.drain(t, MAX_BYTES_PER_POLL);
    if (got > 0) this.keepTail(t);
    return total + got;
  }

  /** Reads from the open file up to its current end (or `limit` bytes) and hands it on. */
  private drain(t: Tracked, limit: number): number {
    let total = 0;
    while (t.fd !== undefined && total < limit && !t.stopped) {
      let n: number;
      try {
        n = fsCb.readSync(t.fd, this.buffer, 0, CHUNK, t.offset);
      } catch (error) {
        this.fail(t, error);
        break;
      }
      if (n === 0) break;
      t.offset += n;
      total += n;
      t.lastByte = this.buffer[n - 1];
      // The sink gets a copy: the read buffer is reused.
      if (!this.sink.data(t.name, Buffer.from(this.buffer.subarray(0, n)))) {
        t.stopped = true;
        this.closeFile(t);
      }
    }
    return total;
  }

  /** Whether the file still holds, just before `offset`, the bytes read there last time. */
  private sameTail(t: Tracked): boolean {
    if (!t.tail?.length || t.fd === undefined) return true;
    const now = Buffer.allocUnsafe(t.tail.length);
    try {
      const n = fsCb.readSync(t.fd, now, 0, now.length, t.offset - t.tail.length);
      return n === now.length && now.equals(t.tail);
    } catch {
      return false;
    }
  }

  private keepTail(t: Tracked): void {
    if (t.fd === undefined || t.offset === 0) return void (t.tail = undefined);
    const length = Math.min(TAIL_BYTES, t.offset);
    const tail = Buffer.allocUnsafe(length);
    try {
      t.tail = tail.subarray(0, fsCb.readSync(t.fd, tail, 0, length, t.offset - length));
    } catch {
      t.tail = undefined;
    }
  }

  /** A new file at the path (or the same one truncated) begins on a line of its own. */
  private separate(t: Tracked): void {
    if (t.lastByte !== undefined && t.lastByte !== 0x0a) this.sink.data(t.name, Buffer.from('\n'));
    t.lastByte = undefined;
  }

  private fail(t: Tracked, error: unknown): number {
    const e = error as NodeJS.ErrnoException;
    this.say(t, e.code === 'EACCES' || e.code === 'EPERM' ? 'cannot read: permission denied' : `cannot read: ${e.message}`);
    this.closeFile(t);
    return 0;
  }

  private say(t: Tracked, message: string): void {
    if (t.problem === message) return;
    t.problem = message;
    this.sink.problem(t.name, message);
  }

  private closeFile(t: Tracked): void {
    if (t.fd === undefined) return;
    try {
      fsCb.closeSync(t.fd);
    } catch {
      // already closed
    }
    t.fd = undefined;
  }

  private watch(dir: string): void {
    if (this.watchers.has(dir)) return;
    try {
      const w = fsCb.watch(dir, { persistent: false }, () => this.wake?.());
      // A watcher that breaks (folder removed, too many watches) leaves the poll timer in charge.
      w.on('error', () => {
        w.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, w);
    } catch {
      // Unsupported here (or the folder does not exist yet): polling covers it.
    }
  }
}

/** The folder a glob starts from: its leading segments without glob characters. */
function globBase(glob: string): string {
  const parts = glob.split('/');
  const i = parts.findIndex((p) => GLOB_CHARS.test(p));
  const base = parts.slice(0, i < 0 ? parts.length - 1 : i).join('/');
  return base === '' ? (glob.startsWith('/') ? '/' : '.') : base;
}
