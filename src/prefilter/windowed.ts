import type { LineSplitter } from '../bytes/lines.js';
import type { MultiLiteralScanner } from './multi-literal.js';

const EMPTY = Buffer.alloc(0);

/** Lines kept before a hit, so the record around it (a traceback, a DETAIL block) is assembled whole. */
const LOOKBEHIND_LINES = 60;
const LOOKBEHIND_BYTES = 64 * 1024;
/** Lines analysed after the last hit before going back to skipping (once no record is open). */
const LOOKAHEAD_LINES = 12;

/** What the windowed feeder needs from the rest of the pipeline. */
export interface WindowHost {
  /** A record is still open in the assembler: keep analysing. */
  pending(): boolean;
  /** An analysed stretch ended: complete what is open. */
  closeWindow(): void;
}

/**
 * The prefilter stage between raw bytes and lines. Bytes are searched for the rules' literals
 * at close to memory speed; stretches with no hit are only counted (lines and bytes) and
 * remembered as a short look-behind; around a hit, the look-behind and the following lines go
 * through the full line splitter, record assembly and parsing. Memory stays bounded: at most
 * one partial line, the look-behind and the open record are held.
 */
export class WindowedFeeder {
  /** Bytes after the last newline, waiting for the rest of their line. */
  private carry: Buffer = Buffer.alloc(0);
  /** Skipped lines just before the current position, and the number of the first one. */
  private ring: Buffer = Buffer.alloc(0);
  private ringLines = 0;
  /** Number of the next line to come. */
  private nextLine = 1;
  /**
   * The first lines of every source are always analysed: they tell whether the source carries
   * timestamps at all (a dbt.log dates its lines only in the invocation header), which decides
   * how its failures are joined with other sources.
   */
  private active = false;
  private sinceHit = 0;
  /**
   * Whether some skipped line starts like a timestamped record. Skipped lines are never parsed,
   * yet whether a source carries times at all decides how its failures are joined with other
   * sources; this cheap look at the first bytes of each skipped line answers it.
   */
  sawTimedLine = false;
  /** Inside a line longer than the cap, which the splitter is cutting. */
  private inLongLine = false;
  linesSkipped = 0;

  constructor(
    private readonly scanner: MultiLiteralScanner,
    private readonly splitter: LineSplitter,
    private readonly host: WindowHost,
    private readonly maxLineBytes: number,
  ) {}

  push(chunk: Buffer): void {
    if (this.inLongLine) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.splitter.push(chunk);
        return;
      }
      this.splitter.push(chunk.subarray(0, nl + 1));
      this.nextLine = this.splitter.nextLine;
      this.inLongLine = false;
      chunk = chunk.subarray(nl + 1);
    }
    if (this.carry.length) {
      // Complete the held line with a small join instead of copying the whole chunk.
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        if (this.carry.length > this.maxLineBytes) this.startLongLine();
        return;
      }
      const joined = Buffer.concat([this.carry, chunk.subarray(0, nl + 1)]);
      this.carry = Buffer.alloc(0);
      this.process(joined);
      chunk = chunk.subarray(nl + 1);
      if (this.inLongLine) return this.push(chunk);
    }
    const lastNl = chunk.lastIndexOf(10);
    if (lastNl < 0) {
      this.carry = Buffer.from(chunk);
      if (this.carry.length > this.maxLineBytes) this.startLongLine();
      return;
    }
    // Copy the rest so the (possibly large) chunk is not kept alive by a small slice.
    this.carry = lastNl + 1 === chunk.length ? EMPTY : Buffer.from(chunk.subarray(lastNl + 1));
    this.process(chunk.subarray(0, lastNl + 1));
    if (this.carry.length > this.maxLineBytes) this.startLongLine();
  }

  /** End of input: the last line without a newline, then whatever is open; buffers are released. */
  end(): void {
    this.finishInput();
    // Small copies share 8 KiB pool slabs: keeping them would hold memory per ended source.
    this.ring = EMPTY;
    this.carry = EMPTY;
    this.ringLines = 0;
  }

  private finishInput(): void {
    if (this.inLongLine) {
      this.splitter.end();
      this.nextLine = this.splitter.nextLine;
      this.inLongLine = false;
    }
    if (this.carry.length) {
      const rest = this.carry;
      this.carry = Buffer.alloc(0);
      this.analyseFrom(rest, 0, rest.length, true);
    }
  }

  /** A line longer than the cap goes to the splitter, which keeps its head and counts the cut. */
  private startLongLine(): void {
    this.openWindowAtCurrentLine();
    this.splitter.push(this.carry);
    this.carry = Buffer.alloc(0);
    this.inLongLine = true;
  }

  private process(body: Buffer): void {
    let pos = 0;
    while (pos < body.length) {
      if (this.active) {
        pos = this.analyseLines(body, pos);
        continue;
      }
      let hit = -1;
      this.scanner.scan(body, pos, body.length, (offset) => {
        hit = offset;
        return body.length; // stop at the first hit
      });
      if (hit < 0) {
        this.skip(body, pos, body.length);
        return;
      }
      const lineStart = hit === 0 ? 0 : Math.max(pos, body.lastIndexOf(10, hit - 1) + 1);
      this.skip(body, pos, lineStart);
      this.openWindowAtCurrentLine();
      pos = lineStart;
    }
  }

  /** Feeds whole lines from `pos` while the window is open; returns where it stopped. */
  private analyseLines(body: Buffer, pos: number): number {
    while (pos < body.length && this.active) {
      const nl = body.indexOf(10, pos);
      const end = nl < 0 ? body.length : nl + 1;
      pos = this.analyseFrom(body, pos, end, false);
    }
    return pos;
  }

  /** Analyses one line `body[from, end)`; returns `end`. */
  private analyseFrom(body: Buffer, from: number, end: number, last: boolean): number {
    if (!this.active) this.openWindowAtCurrentLine();
    let hit = false;
    this.scanner.scan(body, from, end, () => {
      hit = true;
      return end;
    });
    this.sinceHit = hit ? 0 : this.sinceHit + 1;
    this.splitter.push(body.subarray(from, end));
    if (last) this.splitter.end();
    this.nextLine = this.splitter.nextLine;
    if (this.sinceHit >= LOOKAHEAD_LINES && !this.host.pending()) {
      this.active = false;
      this.host.closeWindow();
    }
    return end;
  }

  /** Starts analysing: the look-behind first, so the record around the hit is complete. */
  private openWindowAtCurrentLine(): void {
    if (this.active) return;
    this.active = true;
    this.sinceHit = 0;
    const { ring, lines } = trimToRecordStarts(this.ring, this.ringLines);
    const firstLine = this.nextLine - lines;
    // The look-behind was counted when skipped; the splitter counts it again as it reads it.
    this.splitter.jumpTo(firstLine, -ring.length);
    if (ring.length) this.splitter.push(ring);
    this.linesSkipped -= lines;
    this.ring = EMPTY;
    this.ringLines = 0;
  }

  /** Counts `body[from, to)` (whole lines) as skipped and keeps its tail as look-behind. */
  private skip(body: Buffer, from: number, to: number): void {
    if (to <= from) return;
    let lines = 0;
    let timed = this.sawTimedLine || (from === 0 && this.nextLine === 1 && startsTimed(body, 0));
    for (let i = body.indexOf(10, from); i !== -1 && i < to; i = body.indexOf(10, i + 1)) {
      lines++;
      if (!timed && i + 1 < to) timed = startsTimed(body, i + 1);
    }
    this.sawTimedLine = timed;
    this.nextLine += lines;
    this.linesSkipped += lines;
    this.splitter.jumpTo(this.nextLine, to - from);
    // The look-behind: the last lines of this stretch (joined to the previous ones if it is short).
    let tailStart = to;
    let tailLines = 0;
    while (tailStart > from && tailLines < LOOKBEHIND_LINES && to - tailStart < LOOKBEHIND_BYTES) {
      // (a negative offset would make lastIndexOf search from the end of the buffer)
      tailStart = tailStart - 2 < from ? from : Math.max(from, body.lastIndexOf(10, tailStart - 2) + 1);
      tailLines++;
    }
    if (tailStart > from) {
      this.ring = Buffer.from(body.subarray(tailStart, to));
      this.ringLines = tailLines;
    } else {
      this.ring = Buffer.concat([this.ring, body.subarray(from, to)]);
      this.ringLines += lines;
      while (this.ringLines > LOOKBEHIND_LINES || this.ring.length > LOOKBEHIND_BYTES) {
        const nl = this.ring.indexOf(10);
        if (nl < 0) break;
        this.ring = this.ring.subarray(nl + 1);
        this.ringLines--;
      }
      this.ring = Buffer.from(this.ring);
    }
  }
}

/**
 * The look-behind only needs to reach back to the start of the record around the hit and the
 * record before it (whose time gives the idle gap). Records start at column 0 with a time
 * (`2024-...`, `12:00:00`), a bracket (`[2024-...]`, `[0m` colour codes), a JSON object or a
 * traceback header; continuation lines (frames, DETAIL, indented messages) do not. Keep the
 * lines from the third-last such start (a logged error and its traceback header count as two);
 * with fewer than three, keep all of it.
 */
function trimToRecordStarts(ring: Buffer, lines: number): { ring: Buffer; lines: number } {
  if (lines <= 2) return { ring, lines };
  let starts = 0;
  let end = ring.length; // exclusive end of the line being looked at
  let kept = 0;
  while (end > 0) {
    const start = end >= 2 ? ring.lastIndexOf(10, end - 2) + 1 : 0;
    kept++;
    if (looksLikeRecordStart(ring, start)) {
      starts++;
      if (starts === 3) return { ring: ring.subarray(start), lines: kept };
    }
    end = start;
  }
  return { ring, lines };
}

function looksLikeRecordStart(buf: Buffer, at: number): boolean {
  const c = buf[at];
  if (c >= 48 && c <= 57) return true; // a digit: a timestamp or an epoch
  if (c === 91 || c === 123 || c === 27) return true; // '[', '{', ESC (dbt colour reset)
  // "Traceback (most recent call last):"
  return c === 84 && buf[at + 1] === 114 && buf[at + 2] === 97 && buf[at + 3] === 99 && buf[at + 4] === 101;
}

/**
 * Does the line at `at` start like a dated record: `2024-05-01 ...`, `[2024-05-01 ...`, the same
 * after an ANSI colour code or dbt's `=====` header rule? Only a date counts, as for the parsers: a bare time of day
 * (dbt's `12:00:00`) gives no timestamp.
 */
function startsTimed(buf: Buffer, at: number): boolean {
  let i = at;
  if (buf[i] === 27) {
    // ESC [ ... m
    const m = buf.indexOf(109, i);
    if (m < 0 || m - i > 12) return false;
    i = m + 1;
  }
  // dbt.log's invocation header: `============================== 2024-05-01 12:00:00.123456 | ...`
  if (buf[i] === 61) {
    const limit = i + 40;
    while (i < limit && buf[i] === 61) i++;
    if (buf[i] === 32) i++;
  }
  if (buf[i] === 91) i++; // '['
  const isDigit = (k: number) => buf[k] >= 48 && buf[k] <= 57;
  return isDigit(i) && isDigit(i + 1) && isDigit(i + 2) && isDigit(i + 3) && buf[i + 4] === 45; // YYYY-
}
