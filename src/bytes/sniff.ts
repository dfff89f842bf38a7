import { TextDecoder } from 'node:util';
import { type Said, say } from '../messages/say.js';

/**
 * The byte stage's first step: how to read a source, decided on its first bytes. A leading run
 * of NULs is dropped, a byte-order mark is removed, UTF-16 is re-encoded as UTF-8, and binary
 * content is refused; the rest passes through unchanged. Pure: bytes in, bytes out.
 */

/**
 * Bytes of a source (after any leading NUL run) looked at before deciding how to read it:
 * enough 1 KiB regions that a local burst of control bytes is outvoted by the text around it.
 */
export const SNIFF_BYTES = 32 * 1024;

export type Sniffed =
  | { kind: 'binary' }
  | { kind: 'text'; encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; bom: number; burst?: { bytes: number; regions: number } };

/**
 * Decides how to read a source from its first bytes (leading NULs already removed): UTF-16
 * (by its byte-order mark, or by the zero high bytes of ASCII text), binary, or UTF-8 text.
 */
export function sniff(head: Buffer): Sniffed {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { kind: 'text', encoding: 'utf-8', bom: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { kind: 'text', encoding: 'utf-16le', bom: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { kind: 'text', encoding: 'utf-16be', bom: 2 };
  const utf16 = utf16WithoutBom(head);
  if (utf16) return { kind: 'text', encoding: utf16, bom: 0 };
  const v = judgeBinary(head);
  if (v.binary) return { kind: 'binary' };
  // Only a burst that the whole-sample share alone would have called binary is worth a warning.
  return { kind: 'text', encoding: 'utf-8', bom: 0, ...(v.burst ? { burst: { bytes: v.dirtyBytes, regions: v.regions - v.cleanRegions } } : {}) };
}

/** ASCII-range UTF-16 without a BOM: every other byte is zero, the others printable. */
function utf16WithoutBom(head: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(head.length, SNIFF_BYTES) & ~1;
  if (n < 16) return undefined;
  let zeroOdd = 0;
  let zeroEven = 0;
  let printableOdd = 0;
  let printableEven = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    const printable = (b >= 32 && b < 127) || b === 9 || b === 10 || b === 13;
    if (i & 1) {
      if (b === 0) zeroOdd++;
      else if (printable) printableOdd++;
    } else if (b === 0) zeroEven++;
    else if (printable) printableEven++;
  }
  const half = n / 2;
  if (zeroOdd >= 0.9 * half && printableEven >= 0.9 * half) return 'utf-16le';
  if (zeroEven >= 0.9 * half && printableOdd >= 0.9 * half) return 'utf-16be';
  return undefined;
}

/** Bytes per region of the sample: a burst of control bytes is judged against its neighbours. */
export const REGION_BYTES = 1024;

/** Share of suspicious bytes above which a stretch of bytes looks binary. */
const BINARY_SHARE = 0.03;

/**
 * A region with at most this many suspicious bytes reads as clean text. Binary formats have
 * none: even their string tables are NUL-separated, dozens of NULs per KiB.
 */
const CLEAN_REGION_MAX = 2;

/**
 * Tab, LF, CR, form feed and ESC (colour) are text; a run of NULs counts once: a zero-filled
 * block in a log (a crash, a copytruncate rotation) is one damaged spot, not a binary file,
 * while executables and archives are full of short NUL runs and other control bytes.
 */
function suspiciousAt(head: Buffer, i: number): boolean {
  const b = head[i];
  if (b === 0) return i === 0 || head[i - 1] !== 0;
  return b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27;
}

export interface BinaryVerdict {
  binary: boolean;
  /** Over the share on the whole sample: binary unless the bytes sit in a burst (then text). */
  burst: boolean;
  /** Suspicious bytes in the sample (a NUL run counts once). */
  suspicious: number;
  /** Regions of the sample, and how many of them hold (almost) no suspicious byte. */
  regions: number;
  cleanRegions: number;
  /** Suspicious bytes in the regions that are not clean (a burst). */
  dirtyBytes: number;
}

/**
 * Binary when control bytes are a large share of the whole sample (over 3 %, at least four)
 * AND they are spread: fewer than three quarters of its 1 KiB regions are clean. Executables,
 * archives and compressed data carry control bytes all through; a text log with a burst of
 * them (a logged bytea value, a pasted terminal capture) has them in a region or two while
 * the rest is clean, and is read as text: the burst is quoted escaped like any control
 * character and its lines are counted.
 */
export function judgeBinary(head: Buffer): BinaryVerdict {
  const n = Math.min(head.length, SNIFF_BYTES);
  let suspicious = 0;
  let regions = 0;
  let cleanRegions = 0;
  let dirtyBytes = 0;
  for (let start = 0; start < n; start += REGION_BYTES) {
    const end = Math.min(n, start + REGION_BYTES);
    let inRegion = 0;
    for (let i = start; i < end; i++) if (suspiciousAt(head, i)) inRegion++;
    suspicious += inRegion;
    // A short last region is judged with the one before it, so a few bytes cannot tip it.
    if (end - start < REGION_BYTES / 4 && regions > 0) continue;
    regions++;
    if (inRegion <= CLEAN_REGION_MAX) cleanRegions++;
    else dirtyBytes += inRegion;
  }
  const wholeBinary = n > 0 && suspicious >= 4 && suspicious / n > BINARY_SHARE;
  return { binary: wholeBinary && cleanRegions * 4 < regions * 3, burst: wholeBinary, suspicious, regions, cleanRegions, dirtyBytes };
}

/** True when `judgeBinary` calls the sample binary. */
export function looksBinary(head: Buffer): boolean {
  return judgeBinary(head).binary;
}

/** Where a sniffer sends what it decided. */
export interface SniffSink {
  /** UTF-8 text bytes, ready for line splitting. */
  text(chunk: Buffer): void;
  /** Bytes read but not passed on (a NUL run, a BOM), or given back (-1), for the byte counter. */
  count(bytes: number): void;
  warn(message: Said): void;
}

/**
 * Holds a source's first bytes until there are SNIFF_BYTES of them (or the source ends), so the
 * decision does not depend on how the bytes were chunked, then passes text on.
 */
export class TextSniffer {
  binary = false;
  /** The held first bytes; undefined once decided. */
  private held: { parts: Buffer[]; bytes: number; leadingNul: number } | undefined = { parts: [], bytes: 0, leadingNul: 0 };
  /** Set for UTF-16 sources: their text is re-encoded as UTF-8 before line splitting. */
  private decoder: TextDecoder | undefined;

  constructor(
    private readonly name: string,
    private readonly sink: SniffSink,
  ) {}

  /** True while the first bytes are still held. */
  get deciding(): boolean {
    return this.held !== undefined;
  }

  /** Feeds bytes; false once the source is known to be binary (stop reading it). */
  write(chunk: Buffer): boolean {
    if (this.binary) return false;
    const held = this.held;
    if (!held) {
      this.pass(chunk);
      return true;
    }
    // A leading run of NULs (a log truncated by a copytruncate rotation while its writer kept
    // its offset) is dropped, not judged.
    if (held.bytes === 0) {
      let i = 0;
      while (i < chunk.length && chunk[i] === 0) i++;
      held.leadingNul += i;
      chunk = chunk.subarray(i);
    }
    if (chunk.length > 0) {
      held.parts.push(chunk);
      held.bytes += chunk.length;
    }
    if (held.bytes < SNIFF_BYTES) return true;
    return this.decide();
  }

  /** Decides on the bytes held so far (a live stream that went quiet). */
  decideEarly(): void {
    if (this.held && this.held.bytes > 0) this.decide();
  }

  /**
   * The source's bytes are all in: decide if still holding, and return what a UTF-16 decoder
   * still held (to be split without further ado).
   */
  settle(): Buffer | undefined {
    if (this.held) this.decide();
    if (!this.decoder || this.binary) return undefined;
    const rest = this.decoder.decode();
    this.decoder = new TextDecoder(this.decoder.encoding);
    return rest.length > 0 ? Buffer.from(rest, 'utf8') : undefined;
  }

  /** Drops what is held (the source ended). */
  drop(): void {
    this.held = undefined;
    this.decoder = undefined;
  }

  /** Tells text from binary on the held first bytes, then passes them on. False when binary. */
  private decide(): boolean {
    const held = this.held;
    if (!held) return !this.binary;
    this.held = undefined;
    const body = held.parts.length === 1 ? held.parts[0] : Buffer.concat(held.parts);
    if (held.bytes === 0 && held.leadingNul === 0) return true;
    this.sink.count(held.leadingNul);
    if (held.bytes === 0) {
      this.binary = true;
      this.sink.warn(say('warning.only-nul', { source: this.name }));
      return false;
    }
    // UTF-16BE text without a BOM starts with a NUL byte: keep one when the run was odd.
    const oddNul = held.leadingNul % 2 === 1;
    const probe = oddNul ? Buffer.concat([Buffer.alloc(1), body]) : body;
    const kind = sniff(probe);
    if (kind.kind === 'binary') {
      this.binary = true;
      this.sink.warn(say('warning.binary', { source: this.name }));
      return false;
    }
    let text = body;
    let nuls = held.leadingNul;
    if (kind.encoding === 'utf-8') {
      text = body.subarray(kind.bom);
      this.sink.count(kind.bom);
    } else {
      if (oddNul && kind.bom === 0 && kind.encoding === 'utf-16be') {
        text = probe;
        nuls--;
        this.sink.count(-1);
      }
      this.decoder = new TextDecoder(kind.encoding);
    }
    // Said once per source: the lines themselves are counted by the line splitter.
    if (kind.burst) this.sink.warn(say('warning.control-burst', { source: this.name, count: kind.burst.bytes, regions: kind.burst.regions, sample: SNIFF_BYTES / 1024 }));
    if (nuls > 0) this.sink.warn(say('warning.leading-nul', { source: this.name, count: nuls }));
    if (text.length > 0) this.pass(text);
    return true;
  }

  private pass(chunk: Buffer): void {
    if (this.decoder) chunk = Buffer.from(this.decoder.decode(chunk, { stream: true }), 'utf8');
    if (chunk.length > 0) this.sink.text(chunk);
  }
}
