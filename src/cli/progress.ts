import { statSync } from 'node:fs';
import type { Source } from '../input/sources.js';

/** Inputs smaller than this finish before a progress line would help. */
export const PROGRESS_THRESHOLD_BYTES = 64 << 20;
const INTERVAL_MS = 250;

export interface ProgressTarget {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/**
 * Whether to show progress: on a terminal stderr only, never in CI (`CI` set) or on a dumb
 * terminal; `--progress`/`--no-progress` override the terminal check but never write to stdout.
 */
export function wantProgress(flag: boolean | undefined, stderr: ProgressTarget, env: NodeJS.ProcessEnv): boolean {
  if (flag !== undefined) return flag;
  return !!stderr.isTTY && !env.CI && env.TERM !== 'dumb';
}

/**
 * A one-line progress display on stderr: bytes read, MB/s, incidents so far and, when every
 * input is a plain regular file of known size, an ETA. It appears only once the bytes read pass
 * the threshold (so short runs never flash it) and is erased before the report is written.
 */
export class Progress {
  private read = 0;
  private shown = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();
  private readonly total: number | undefined;

  constructor(
    sources: Source[],
    private readonly out: ProgressTarget,
    private readonly incidents: () => number,
    private readonly threshold = PROGRESS_THRESHOLD_BYTES,
  ) {
    let total = 0;
    let known = true;
    for (const s of sources) {
      try {
        const st = statSync(s.name);
        // A compressed file's size says nothing about the bytes it decompresses to.
        if (!st.isFile() || /\.gz$/i.test(s.name)) known = false;
        else total += st.size;
      } catch {
        known = false;
      }
    }
    this.total = known ? total : undefined;
    this.timer = setInterval(() => this.draw(), INTERVAL_MS);
    this.timer.unref();
  }

  /** Wraps sources so the bytes they deliver are counted. */
  wrap(sources: Source[]): Source[] {
    return sources.map((s) => ({
      name: s.name,
      open: () => this.count(s.open()),
      ...(s.readSmall
        ? {
            readSmall: async () => {
              const b = await s.readSmall!();
              if (b) this.read += b.length;
              return b;
            },
          }
        : {}),
    }));
  }

  private async *count(chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
    for await (const chunk of chunks) {
      this.read += chunk.length;
      yield chunk;
    }
  }

  /** The text of the line (exported for tests through `line`). */
  line(now = Date.now()): string {
    const secs = Math.max(0.001, (now - this.started) / 1000);
    const mb = this.read / 1e6;
    const rate = mb / secs;
    const parts = [`pgtriage: ${mb.toFixed(0)} MB read`, `${rate.toFixed(1)} MB/s`, `${this.incidents()} incident${this.incidents() === 1 ? '' : 's'} so far`];
    if (this.total && this.read > 0 && rate > 0) {
      const left = Math.max(0, (this.total - this.read) / 1e6 / rate);
      parts.push(`${Math.round((100 * this.read) / this.total)}%`, `ETA ${left < 60 ? `${Math.ceil(left)}s` : `${Math.ceil(left / 60)}m`}`);
    }
    return parts.join(' · ');
  }

  private draw(): void {
    if (this.read < this.threshold) return;
    this.shown = true;
    const width = Math.max(20, (this.out.columns ?? 80) - 1);
    this.out.write(`\r\x1b[K${this.line().slice(0, width)}`);
  }

  /** Erases the line before other output on the terminal; the next tick draws it again. */
  clear(): void {
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }

  /** Stops and erases the line, so the report and warnings start on a clean line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }
}
