import { StringDecoder } from 'node:string_decoder';

/** Limits applied while splitting bytes into lines. Documented in the README. */
export interface LineLimits {
  /** Characters kept of one physical line; the rest is dropped and counted. */
  maxLineChars: number;
}

export const DEFAULT_LINE_LIMITS: LineLimits = { maxLineChars: 1 << 20 };

export interface LineCounters {
  lines: number;
  bytes: number;
  linesTruncated: number;
  invalidUtf8Lines: number;
  /** Lines holding C0 control characters other than TAB, CR, FF and ESC (quoted escaped). */
  controlCharLines: number;
}

/** The control characters the binary sniffer counts as suspicious (NUL included). */
const CONTROL = /[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]/;

export type LineSink = (text: string, lineNo: number) => void;

/**
 * Splits a byte stream into lines without ever holding more than one (capped) line.
 * CRLF is normalized; invalid UTF-8 becomes U+FFFD and the line is counted.
 */
export class LineSplitter {
  readonly counters: LineCounters = { lines: 0, bytes: 0, linesTruncated: 0, invalidUtf8Lines: 0, controlCharLines: 0 };
  private readonly decoder = new StringDecoder('utf8');
  private tail = '';
  /** True while the rest of an over-long line is being discarded. */
  private discarding = false;
  private lineNo = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly limits: LineLimits = DEFAULT_LINE_LIMITS,
  ) {}

  /** Number of the next line to be emitted. */
  get nextLine(): number {
    return this.lineNo + 1;
  }

  /**
   * Continues numbering at `lineNo` after lines were skipped without being split here (the
   * prefilter counted them). Only valid between lines, when no partial line is held.
   */
  jumpTo(lineNo: number, skippedBytes = 0): void {
    this.counters.lines += lineNo - 1 - this.lineNo;
    this.counters.bytes += skippedBytes;
    this.lineNo = lineNo - 1;
  }

  /** True while part of a line is held back waiting for its end. */
  get holdsPartialLine(): boolean {
    return this.tail.length > 0 || this.discarding;
  }

  push(chunk: Buffer): void {
    this.counters.bytes += chunk.length;
    this.pushText(this.decoder.write(chunk));
  }

  end(): void {
    this.pushText(this.decoder.end());
    if (this.tail.length > 0 || this.discarding) this.emitLine(this.tail);
    this.tail = '';
    this.discarding = false;
  }

  private pushText(text: string): void {
    if (text.length === 0) return;
    let start = 0;
    const cap = this.limits.maxLineChars;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      if (this.discarding) {
        this.discarding = false;
        this.emitLine(this.tail);
      } else if (this.tail.length > 0) {
        const joined = this.tail + text.slice(start, nl);
        this.emitCapped(joined, cap);
      } else {
        this.emitCapped(text.slice(start, nl), cap);
      }
      this.tail = '';
      start = nl + 1;
    }
    if (start < text.length && !this.discarding) {
      this.tail += text.slice(start);
      if (this.tail.length > cap) {
        this.tail = this.tail.slice(0, cap);
        this.discarding = true;
        this.counters.linesTruncated++;
      }
    }
  }

  private emitCapped(line: string, cap: number): void {
    if (line.length > cap) {
      this.counters.linesTruncated++;
      this.emitLine(line.slice(0, cap));
    } else {
      this.emitLine(line);
    }
  }


  private emitLine(line: string): void {
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line.includes('\uFFFD')) this.counters.invalidUtf8Lines++;
    if (CONTROL.test(line)) this.counters.controlCharLines++;
    this.lineNo++;
    this.counters.lines++;
    this.sink(line, this.lineNo);
  }
}
