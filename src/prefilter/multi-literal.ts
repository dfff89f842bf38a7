/**
 * Multi-literal search over raw bytes (Wu-Manber with 3-byte hashed blocks), ASCII case folded.
 * It answers "where might a rule match?" at close to memory speed, so bytes that no rule can
 * match are never decoded, split into lines or parsed. Every literal is found wherever it
 * occurs in any ASCII case: the tables are built from folded literals and the text is folded
 * byte by byte as it is read.
 *
 * Each literal is keyed by the window of m bytes (m: the shortest literal) whose 3-byte blocks
 * the other literals share least, not by its first m bytes: many literals begin with the same
 * common words ("connection ...", "could not ..."), which logs repeat on every line, and each
 * such word in the text was a full check of a long bucket. Occurrences are still exact; they are
 * reported in the order their windows end, which keeps line order (a literal and its window are
 * on one line).
 */

const FOLD = new Uint8Array(256);
for (let i = 0; i < 256; i++) FOLD[i] = i >= 65 && i <= 90 ? i + 32 : i;
/** Letters, digits and `_`: what `\b` in the readers' regexes calls a word character. */
const WORD = new Uint8Array(256);
for (let i = 0; i < 256; i++) WORD[i] = (i >= 48 && i <= 57) || (i >= 65 && i <= 90) || (i >= 97 && i <= 122) || i === 95 ? 1 : 0;

const BITS = 18;
const MASK = (1 << BITS) - 1;
const hash3 = (a: number, b: number, c: number) => (a * 1031 + b * 37 + c) & MASK;

/** A literal to look for; `word`: only where no word character touches it on either side. */
export interface ScanLiteral {
  text: string;
  word?: boolean;
}

interface Pattern {
  bytes: Uint8Array;
  word: boolean;
  /** Index into the literals given to the constructor (the first one, for duplicates). */
  index: number;
  /** Where the keyed window of m bytes starts in the literal. */
  off: number;
}

/**
 * The offset of the window of `m` bytes of `p` whose blocks are rarest among all literals'
 * blocks (`shared`: how many literal positions hold each block hash); the window's last block,
 * which picks the bucket, counts most. Ties go to the earliest window.
 */
function rarestWindow(p: Uint8Array, m: number, shared: Uint32Array): number {
  let best = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let o = 0; o + m <= p.length; o++) {
    let score = 0;
    for (let q = o + 2; q < o + m; q++) score += shared[hash3(p[q - 2], p[q - 1], p[q])];
    score += 4 * shared[hash3(p[o + m - 3], p[o + m - 2], p[o + m - 1])];
    if (score < bestScore) {
      bestScore = score;
      best = o;
    }
  }
  return best;
}

export class MultiLiteralScanner {
  /** Shortest pattern length: the window the shift table looks at. */
  private readonly m: number;
  private readonly shift: Uint8Array;
  /**
   * Patterns grouped by the hash of the last block of their first m bytes: an array indexed by
   * the hash, as a Map lookup at every shift-0 position was a large part of a scan.
   */
  private readonly bucketOf = new Int32Array(1 << BITS).fill(-1);
  private readonly buckets: Pattern[][] = [];
  readonly patterns: number;
  /** False when some literal is shorter than a block: then nothing may be skipped. */
  readonly usable: boolean;
  /** Per literal (constructor index): where its keyed window starts in it. */
  private readonly offOf: Int32Array;
  /** The longest distance from a literal's start to the end of its keyed window. */
  private reach = 0;

  constructor(literals: Array<string | ScanLiteral>) {
    const seen = new Map<string, number>();
    const encoded: Pattern[] = [];
    literals.forEach((l, index) => {
      const lit = typeof l === 'string' ? { text: l } : l;
      const text = lit.text.toLowerCase();
      if (!text) return;
      const key = `${lit.word ? 'w' : '-'}${text}`;
      if (seen.has(key)) return;
      seen.set(key, index);
      encoded.push({ bytes: Uint8Array.from(Buffer.from(text, 'utf8'), (b) => FOLD[b]), word: !!lit.word, index, off: 0 });
    });
    this.patterns = encoded.length;
    this.offOf = new Int32Array(literals.length);
    this.usable = encoded.every((p) => p.bytes.length >= 3);
    const m = (this.m = encoded.length && this.usable ? Math.min(...encoded.map((p) => p.bytes.length)) : 3);
    this.shift = new Uint8Array(1 << BITS).fill(Math.min(255, m - 2));
    if (!this.usable) return;
    const shared = new Uint32Array(1 << BITS);
    for (const { bytes: p } of encoded) for (let q = 2; q < p.length; q++) shared[hash3(p[q - 2], p[q - 1], p[q])]++;
    for (const pat of encoded) {
      const p = pat.bytes;
      const o = (pat.off = rarestWindow(p, m, shared));
      this.offOf[pat.index] = o;
      if (o + m - 1 > this.reach) this.reach = o + m - 1;
      for (let q = 2; q < m; q++) {
        const h = hash3(p[o + q - 2], p[o + q - 1], p[o + q]);
        const s = m - 1 - q;
        if (s < this.shift[h]) this.shift[h] = s;
      }
      const h = hash3(p[o + m - 3], p[o + m - 2], p[o + m - 1]);
      if (this.bucketOf[h] >= 0) this.buckets[this.bucketOf[h]].push(pat);
      else {
        this.bucketOf[h] = this.buckets.length;
        this.buckets.push([pat]);
      }
    }
  }

  /**
   * Calls `onHit(offset, literal)` for literal occurrences in `buf[from, to)`, in the order their
   * keyed windows end: in line order (a literal and its window are on one line), on one line not
   * necessarily by offset. The callback returns where to resume: an offset past the hit's own
   * means no occurrence starting before it is reported any more (callers stop at the first hit,
   * or skip to the next line). `literal` is the index into the constructor's list.
   */
  scan(buf: Uint8Array, from: number, to: number, onHit: (offset: number, literal: number) => number): void {
    if (this.patterns === 0) return;
    const m = this.m;
    const shift = this.shift;
    let i = from + m - 1;
    /** Occurrences starting before this are no longer reported (the callback skipped past them). */
    let minStart = from;
    while (i < to) {
      const h = hash3(FOLD[buf[i - 2]], FOLD[buf[i - 1]], FOLD[buf[i]]);
      const s = shift[h];
      if (s !== 0) {
        i += s;
        continue;
      }
      const windowStart = i - m + 1;
      const b = this.bucketOf[h];
      let skipTo = -1;
      if (b >= 0) {
        const bucket = this.buckets[b];
        for (const p of bucket) {
          const start = windowStart - p.off;
          if (start < minStart || !matchAt(buf, start, from, to, p)) continue;
          const next = onHit(start, p.index);
          if (next > start) {
            minStart = skipTo = next;
            break;
          }
        }
      }
      i = skipTo > 0 && skipTo + m - 1 > i ? skipTo + m - 1 : i + 1;
    }
  }

  /**
   * The earliest offset at which an occurrence reported after this one (`literal` at `offset`)
   * may start: hits come in the order their windows end, so one that starts before this hit ends
   * its window no sooner. A search that stopped at a hit resumes from here to miss nothing.
   */
  earliestAfter(offset: number, literal: number): number {
    return offset + this.offOf[literal] + this.m - 1 - this.reach;
  }

  /** True when every literal is ASCII, so `scanText` finds what `scan` finds in the UTF-8 bytes. */
  get asciiOnly(): boolean {
    for (const list of this.buckets) for (const p of list) for (const b of p.bytes) if (b >= 128) return false;
    return true;
  }

  /**
   * Every literal occurrence in a decoded string, several per offset all reported; only for
   * ASCII literals (`asciiOnly`): a character outside ASCII folds to 255, which no ASCII literal
   * holds, as none of its UTF-8 bytes would match. Saves encoding each record again.
   * `onHit` returning true ends the search.
   */
  scanText(text: string, onHit: (offset: number, literal: number) => boolean | void): void {
    if (this.patterns === 0 || !this.usable) return;
    const m = this.m;
    const shift = this.shift;
    const to = text.length;
    const at = (k: number) => {
      const c = text.charCodeAt(k);
      return c < 128 ? FOLD[c] : 255;
    };
    for (let i = m - 1; i < to; ) {
      const h = hash3(at(i - 2), at(i - 1), at(i));
      const s = shift[h];
      if (s !== 0) {
        i += s;
        continue;
      }
      const windowStart = i - m + 1;
      const k0 = this.bucketOf[h];
      if (k0 >= 0) {
        outer: for (const p of this.buckets[k0]) {
          const b = p.bytes;
          const start = windowStart - p.off;
          if (start < 0 || start + b.length > to) continue;
          for (let k = 0; k < b.length; k++) if (at(start + k) !== b[k]) continue outer;
          if (onHit(start, p.index) === true) return;
        }
      }
      i++;
    }
  }
}

function matchAt(buf: Uint8Array, start: number, from: number, to: number, pat: Pattern): boolean {
  const p = pat.bytes;
  const end = start + p.length;
  if (start < from || end > to) return false;
  for (let k = 0; k < p.length; k++) if (FOLD[buf[start + k]] !== p[k]) return false;
  if (pat.word && ((start > from && WORD[buf[start - 1]]) || (end < to && WORD[buf[end]]))) return false;
  return true;
}

/** Case-folded search for one literal in `buf[from, to)` (a line: short, so a plain loop). */
export function containsFolded(buf: Uint8Array, from: number, to: number, lit: Uint8Array, word: boolean): boolean {
  const last = to - lit.length;
  const first = lit[0];
  outer: for (let i = from; i <= last; i++) {
    if (FOLD[buf[i]] !== first) continue;
    for (let k = 1; k < lit.length; k++) if (FOLD[buf[i + k]] !== lit[k]) continue outer;
    if (word && ((i > from && WORD[buf[i - 1]]) || (i + lit.length < to && WORD[buf[i + lit.length]]))) continue;
    return true;
  }
  return false;
}

/** A literal as folded bytes, for `containsFolded`. */
export function foldedBytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.toLowerCase(), 'utf8'), (b) => FOLD[b]);
}
