/**
 * Multi-literal search over raw bytes (Wu-Manber with 3-byte hashed blocks), ASCII case folded.
 * It answers "where might a rule match?" at close to memory speed, so bytes that no rule can
 * match are never decoded, split into lines or parsed. Every literal is found wherever it
 * occurs in any ASCII case: the tables are built from folded literals and the text is folded
 * byte by byte as it is read.
 */

const FOLD = new Uint8Array(256);
for (let i = 0; i < 256; i++) FOLD[i] = i >= 65 && i <= 90 ? i + 32 : i;

const BITS = 18;
const MASK = (1 << BITS) - 1;
const hash3 = (a: number, b: number, c: number) => (a * 1031 + b * 37 + c) & MASK;

export class MultiLiteralScanner {
  /** Shortest pattern length: the window the shift table looks at. */
  private readonly m: number;
  private readonly shift: Uint8Array;
  /** Patterns grouped by the hash of the last block of their first m bytes. */
  private readonly buckets = new Map<number, Uint8Array[]>();
  readonly patterns: number;
  /** False when some literal is shorter than a block: then nothing may be skipped. */
  readonly usable: boolean;

  constructor(literals: string[]) {
    const encoded = [...new Set(literals.map((l) => l.toLowerCase()).filter((l) => l.length > 0))].map((l) =>
      Uint8Array.from(Buffer.from(l, 'utf8'), (b) => FOLD[b]),
    );
    this.patterns = encoded.length;
    this.usable = encoded.every((p) => p.length >= 3);
    const m = (this.m = encoded.length && this.usable ? Math.min(...encoded.map((p) => p.length)) : 3);
    this.shift = new Uint8Array(1 << BITS).fill(Math.min(255, m - 2));
    if (!this.usable) return;
    for (const p of encoded) {
      for (let q = 2; q < m; q++) {
        const h = hash3(p[q - 2], p[q - 1], p[q]);
        const s = m - 1 - q;
        if (s < this.shift[h]) this.shift[h] = s;
      }
      const h = hash3(p[m - 3], p[m - 2], p[m - 1]);
      const list = this.buckets.get(h);
      if (list) list.push(p);
      else this.buckets.set(h, [p]);
    }
  }

  /**
   * Calls `onHit(offset)` for literal occurrences in `buf[from, to)` in increasing order; the
   * callback returns where to resume (callers skip to the next line after a hit).
   */
  scan(buf: Uint8Array, from: number, to: number, onHit: (offset: number) => number): void {
    if (this.patterns === 0) return;
    const m = this.m;
    const shift = this.shift;
    let i = from + m - 1;
    while (i < to) {
      const h = hash3(FOLD[buf[i - 2]], FOLD[buf[i - 1]], FOLD[buf[i]]);
      const s = shift[h];
      if (s !== 0) {
        i += s;
        continue;
      }
      const start = i - m + 1;
      const bucket = this.buckets.get(h);
      if (bucket !== undefined && matchAt(buf, start, to, bucket)) {
        const next = onHit(start);
        i = Math.max(next, start + 1) + m - 1;
        continue;
      }
      i++;
    }
  }
}

function matchAt(buf: Uint8Array, start: number, to: number, bucket: Uint8Array[]): boolean {
  outer: for (const p of bucket) {
    if (start + p.length > to) continue;
    for (let k = 0; k < p.length; k++) if (FOLD[buf[start + k]] !== p[k]) continue outer;
    return true;
  }
  return false;
}
