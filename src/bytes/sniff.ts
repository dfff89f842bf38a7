import { TextDecoder } from 'node:util';
import { type Said, say } from '../messages/say.js';

/**
 * The byte stage's first step: how to read a source, decided on its first bytes. A leading run
 * of NULs is dropped, a byte-order mark is removed, UTF-16 is re-encoded as UTF-8, and binary
 * content is refused; the rest passes through unchanged. Pure: bytes in, bytes out.
 */

/** Bytes of a source (after any leading NUL run) looked at before deciding how to read it. */
export const SNIFF_BYTES = 8192;

export type Sniffed =
  | { kind: 'binary' }
  | { kind: 'text'; encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; bom: number };

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
  return looksBinary(head) ? { kind: 'binary' } : { kind: 'text', encoding: 'utf-8', bom: 0 };
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

/**
 * Binary when control bytes make up more than 3 % of the first 8 KiB (and there are at least
 * four). A run of NULs counts once: a zero-filled block in a log (a crash, a copytruncate
 * rotation) is one damaged spot, not a binary file, while executables and archives are full of
 * short NUL runs and other control bytes. Tab, LF, CR, form feed and ESC (colour) are text.
 */
export function looksBinary(head: Buffer): boolean {
  const n = Math.min(head.length, SNIFF_BYTES);
  if (n === 0) return false;
  let suspicious = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) {
      if (i === 0 || head[i - 1] !== 0) suspicious++;
    } else if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) suspicious++;
  }
  return suspicious >= 4 && suspicious / n > 0.03;
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
    if (nuls > 0) this.sink.warn(say('warning.leading-nul', { source: this.name, count: nuls }));
    if (text.length > 0) this.pass(text);
    return true;
  }

  private pass(chunk: Buffer): void {
    if (this.decoder) chunk = Buffer.from(this.decoder.decode(chunk, { stream: true }), 'utf8');
    if (chunk.length > 0) this.sink.text(chunk);
  }
}
