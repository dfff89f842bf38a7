/**
 * Output held back while a run may still be thrown away: a run over several files is read
 * again when a naive source lines up with the others only at a zone offset
 * (`TriageSession.zoneShifts`), and then only the second run's report may reach the output.
 * The hold is bounded: past `limit` characters everything held is written and later text goes
 * straight through, so a busy run streams as before (it is then not read again).
 */
import { stat } from 'node:fs/promises';
import type { Source } from '../input/sources.js';

/** What is held at most before the output is let through (characters). */
export const HELD_OUTPUT_CHARS = 4 * 1024 * 1024;

export class HeldOutput {
  private chunks: string[] = [];
  private size = 0;
  holding = true;

  constructor(
    private readonly limit: number,
    private readonly through: (text: string) => void,
  ) {}

  /** Keeps `text` and returns true while holding; false when the caller must write it itself. */
  hold(text: string): boolean {
    if (!this.holding) return false;
    this.size += text.length;
    if (this.size <= this.limit) {
      this.chunks.push(text);
      return true;
    }
    this.release();
    return false;
  }

  /** Writes what was held; from now on text goes straight through. */
  release(): void {
    if (!this.holding) return;
    this.holding = false;
    for (const c of this.chunks) this.through(c);
    this.chunks = [];
  }

  /** Forgets what was held (the run it came from is replaced). */
  drop(): void {
    this.holding = false;
    this.chunks = [];
  }
}

/** Every source can be read a second time: all are regular files (not stdin, FIFOs or devices). */
export async function regularFiles(sources: readonly Source[]): Promise<boolean> {
  for (const s of sources) {
    if (s.name === '<stdin>') return false;
    try {
      if (!(await stat(s.name)).isFile()) return false;
    } catch {
      return false;
    }
  }
  return true;
}
