/**
 * The windowed feeder: the hot loop between raw bytes and lines. Over 300 lines because its
 * three modes (skip, record, window), the look-behind that may be a view into the current chunk,
 * and the long-line cut share one position and one carry buffer; split apart, each piece would
 * have to hand those back and forth on every chunk, which is the path the speed targets measure.
 */
import type { LineSplitter } from '../bytes/lines.js';
import type { HitClass, LineSource, LiteralPlan, SourceCheck } from './plan.js';
import { lineText, looksLikeRecordStart, secondEnd, startsTimed, trimToRecordStarts } from './record-starts.js';

const EMPTY = Buffer.alloc(0);

/** Newlines in `body[from, to)`. */
function lineCount(body: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = body.indexOf(10, from); i !== -1 && i < to; i = body.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * The look-behind follows record starts: it reaches back to the third-last line that starts a
 * record (the failure's own record, its logged header, and the record before it, whose time
 * gives the idle gap), however long the record is — a 200-frame traceback keeps its header and
 * its time. These caps only bound memory on records no assembler would keep whole anyway.
 */
const LOOKBEHIND_STARTS = 3;
const LOOKBEHIND_MAX_LINES = 4096;
const LOOKBEHIND_MAX_BYTES = 4 << 20;
/** Lines analysed after the last failure wording before going back to skipping. */
const LOOKAHEAD_LINES = 12;
/** Lines read at the start of every source. */
const HEAD_LINES = 16;
/**
 * Records holding only dense context wording (`PlanEntry.dense`) read per second of log time
 * and per wording; later ones in the same second are counted in `linesThinned`, not parsed.
 * Two per second leave every wording (and, in practice, every thread that logs it) seen many
 * times in any rule window, which is minutes long.
 */
const DENSE_PER_SECOND = 2;
/**
 * Thinning starts only for wording that fills the log: seen on at least this many lines in the
 * current or the previous minute. A burst of a rare wording (three pool recycles in one second)
 * is read whole, since each of its lines may be the one witness of its session.
 */
const DENSE_PER_MINUTE = 60;

/** What the windowed feeder needs from the rest of the pipeline. */
export interface WindowHost {
  /** Would this line belong to the record that is open (so the analysis must not stop before it)? */
  continues(line: string): boolean;
  /** An analysed stretch ended: complete what is open. */
  closeWindow(): void;
  /** Records analysed so far on which a failure (incident) rule fired. */
  failureRecords(): number;
  /** First line of the record being assembled, if one is open. */
  openRecordLine(): number | undefined;
  /**
   * The format that started the last record, when every event it parses carries its origin,
   * and whether it would start a record with `line` (belonging to no open record). Lets the plan
   * leave out rules of other origins.
   */
  leadingFormat?(): LineSource | undefined;
  startsOwnRecord?(line: string): boolean;
}

type Mode = 'skip' | 'record' | 'window';

/**
 * The prefilter stage between raw bytes and lines. Bytes are searched for the rules' literals
 * at close to memory speed; stretches with no hit are only counted (lines and bytes) and
 * remembered as a look-behind back to the last record starts. A line with failure wording
 * opens a window: the look-behind and the following lines go through the full line splitter,
 * record assembly and parsing until LOOKAHEAD_LINES pass without failure wording and the open
 * record ends. A line with only context wording (evidence, settings) is parsed with the record
 * it belongs to and no more. Memory stays bounded: at most one partial line, the look-behind
 * and the open record are held.
 */
export class WindowedFeeder {
  /** Bytes after the last newline, waiting for the rest of their line. */
  private carry: Buffer = Buffer.alloc(0);
  /** Skipped lines just before the current position (from a record start on), and their count. */
  private ring: Buffer = Buffer.alloc(0);
  private ringLines = 0;
  /**
   * The look-behind may be a view into the chunk being processed (most are consumed by the next
   * hit in the same chunk, so copying each was wasted); it is copied when the chunk is done.
   */
  private ringIsView = false;
  /** Number of the next line to come. */
  private nextLine = 1;
  /**
   * The first lines of every source are always read: they tell which side wrote the source
   * (`inputs.pooler` decides whether a missing relation is an incident) and whether it carries
   * timestamps at all, whatever its later lines hold.
   */
  private mode: Mode = 'window';
  /** Lines analysed since the last failure wording (window mode). */
  private sinceTrigger = LOOKAHEAD_LINES - HEAD_LINES;
  /** The host's failure count when failure wording was last read (undefined: the head). */
  private failuresAtTrigger: number | undefined;
  /** Offset in the current chunk up to which lines are known to hold no literal (-1: none). */
  private scanFrom = -1;
  /** The line of the last failure wording. */
  private triggerLine = 0;
  /**
   * Whether some skipped line starts like a timestamped record. Skipped lines are never parsed,
   * yet whether a source carries times at all decides how its failures are joined with other
   * sources; this cheap look at the first bytes of each skipped line answers it.
   */
  sawTimedLine = false;
  /** Inside a line longer than the cap, which the splitter is cutting. */
  private inLongLine = false;
  linesSkipped = 0;
  /** Lines with only dense context wording that were counted instead of parsed (part of `linesSkipped`). */
  linesThinned = 0;
  /**
   * Numbers of the last lines thinned: a failure's look-behind may read them after all (it
   * reaches back three record starts, and a thinned line starts one), and then they are not
   * counted as thinned.
   */
  private readonly recentThinned: number[] = [];
  /** The second (its text at the start of a line) the dense budgets are for, and what each literal used of it. */
  private readonly denseSecond = Buffer.alloc(160);
  private denseSecondLength = 0;
  private denseUsed: Uint8Array | undefined;
  /** Lines per wording in the current and the previous minute of log time (the second's text without `:ss`). */
  private denseMinuteLength = 0;
  private denseThisMinute: Uint16Array | undefined;
  private denseLastMinute: Uint16Array | undefined;

  /** What the plan may ask about a line's format (decoded only when asked). */
  private readonly check: SourceCheck | undefined;

  constructor(
    private readonly plan: LiteralPlan,
    private readonly splitter: LineSplitter,
    private readonly host: WindowHost,
    private readonly maxLineBytes: number,
  ) {
    const { leadingFormat, startsOwnRecord } = host;
    if (leadingFormat && startsOwnRecord) {
      this.check = {
        leading: () => leadingFormat(),
        startsLine: (buf, from, to) => startsOwnRecord(lineText(buf as Buffer, from, to)),
      };
    }
  }

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

  /**
   * Whole lines another stage chose not to read (the time gate: all outside --since/--until).
   * What is open is completed and the lines are only numbered: they are not kept as look-behind
   * (the caller leaves the last records before its stretch to the normal path for that) and not
   * counted in `linesSkipped` (the caller counts them). Only between lines. Returns their number.
   */
  passOver(body: Buffer): number {
    if (this.mode !== 'skip') {
      this.mode = 'skip';
      this.host.closeWindow();
    }
    let lines = 0;
    for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) lines++;
    this.nextLine += lines;
    this.splitter.jumpTo(this.nextLine, body.length);
    this.sawTimedLine = true;
    this.ring = EMPTY;
    this.ringLines = 0;
    return lines;
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
      // The last line is always read: it may complete an open record, and it is cheap.
      if (this.mode === 'skip') this.open('context', rest, 0);
      this.splitter.push(rest);
      this.splitter.end();
      this.nextLine = this.splitter.nextLine;
    }
  }

  /** A line longer than the cap goes to the splitter, which keeps its head and counts the cut. */
  private startLongLine(): void {
    if (this.mode === 'skip') this.open('trigger', this.carry, 0);
    this.splitter.push(this.carry);
    this.carry = Buffer.alloc(0);
    this.inLongLine = true;
  }

  private process(body: Buffer): void {
    this.processChunk(body);
    if (this.ringIsView) {
      // Copied so the (possibly large) chunk is not kept alive by the look-behind.
      this.ring = Buffer.from(this.ring);
      this.ringIsView = false;
    }
  }

  private processChunk(body: Buffer): void {
    let pos = 0;
    this.scanFrom = -1;
    while (pos < body.length) {
      if (this.mode !== 'skip') {
        pos = this.analyseLines(body, pos);
        continue;
      }
      // Find the next line the plan says is worth reading; candidates it rejects stay skipped.
      // (A line the analysis just classified as holding nothing is not searched again.)
      let from = this.scanFrom > pos ? this.scanFrom : pos;
      this.scanFrom = -1;
      let hitLine = -1;
      let cls: HitClass | undefined;
      // The number of the line at `counted`, kept up as thinned lines need their numbers.
      let counted = pos;
      let countedLine = this.nextLine;
      while (from < body.length) {
        let hit = -1;
        let hitLiteral = -1;
        this.plan.scanner.scan(body, from, body.length, (offset, literal) => {
          hit = offset;
          hitLiteral = literal;
          return body.length; // stop at the first candidate
        });
        if (hit < 0) break;
        const lineStart = hit === 0 ? 0 : Math.max(from, body.lastIndexOf(10, hit - 1) + 1);
        const nl = body.indexOf(10, hit);
        const lineEnd = nl < 0 ? body.length : nl + 1;
        // The line's literals start at or after where one reported later may start.
        cls = this.plan.classify(body, lineStart, lineEnd, Math.max(lineStart, this.plan.scanner.earliestAfter(hit, hitLiteral)), this.check);
        if (cls === 'context' && this.plan.lastDense && !this.denseBudget(body, lineStart)) {
          countedLine += lineCount(body, counted, lineStart);
          counted = lineStart;
          this.noteThinned(countedLine);
          cls = undefined;
        }
        if (cls) {
          hitLine = lineStart;
          break;
        }
        from = lineEnd;
      }
      if (hitLine < 0) {
        this.skip(body, pos, body.length);
        return;
      }
      this.skip(body, pos, hitLine);
      if (cls === 'context' && this.plan.lastDense) this.chargeDense();
      this.open(cls!, body, hitLine);
      const nl = body.indexOf(10, hitLine);
      pos = this.feedLine(body, hitLine, nl < 0 ? body.length : nl + 1);
      this.settleTrigger();
    }
  }

  /**
   * Whether the line at `body[at]`, which holds only dense context wording (the plan's last
   * classification), should still be read: false when it starts a dated record whose second
   * has had its reads of every wording it holds. Lines without such a date are always read.
   */
  private denseBudget(body: Buffer, at: number): boolean {
    const end = secondEnd(body, at);
    if (end < 0) return true;
    const n = this.plan.literalCount;
    const thisMinute = (this.denseThisMinute ??= new Uint16Array(n));
    const len = end - at;
    if (len !== this.denseSecondLength || body.compare(this.denseSecond, 0, len, at, end) !== 0) {
      // A new second; a new minute when the text before `:ss` changed too.
      const minuteLen = len - 3;
      if (minuteLen !== this.denseMinuteLength || body.compare(this.denseSecond, 0, minuteLen, at, at + minuteLen) !== 0) {
        this.denseLastMinute = thisMinute.slice();
        thisMinute.fill(0);
        this.denseMinuteLength = minuteLen;
      }
      body.copy(this.denseSecond, 0, at, end);
      this.denseSecondLength = len;
      this.denseUsed?.fill(0);
    }
    const hits = this.plan.denseHits;
    for (const k of hits) if (thisMinute[k] < 65535) thisMinute[k]++;
    const used = this.denseUsed;
    const last = this.denseLastMinute;
    // Read unless every wording on the line is dense now and has had its reads this second.
    return !used || hits.some((k) => used[k] < DENSE_PER_SECOND || (thisMinute[k] < DENSE_PER_MINUTE && (last?.[k] ?? 0) < DENSE_PER_MINUTE));
  }

  private noteThinned(line: number): void {
    this.linesThinned++;
    this.recentThinned.push(line);
    if (this.recentThinned.length > LOOKBEHIND_STARTS + 1) this.recentThinned.shift();
  }

  /** The line the plan classified last is read: it uses its wordings' budgets for this second. */
  private chargeDense(): void {
    const used = (this.denseUsed ??= new Uint8Array(this.plan.literalCount));
    for (const k of this.plan.denseHits) if (used[k] < 255) used[k]++;
  }

  /** Feeds whole lines from `pos` while analysing; returns where it stopped. */
  private analyseLines(body: Buffer, pos: number): number {
    while (pos < body.length && this.mode !== 'skip') {
      const nl = body.indexOf(10, pos);
      const end = nl < 0 ? body.length : nl + 1;
      let cls = this.plan.classify(body, pos, end, pos, this.check);
      // Reading records one by one (or past a failure's look-ahead): a line of dense wording
      // beyond its budget is like no hit.
      let thin = false;
      if (cls === 'context' && (this.mode === 'record' || this.sinceTrigger >= LOOKAHEAD_LINES) && this.plan.lastDense && !this.denseBudget(body, pos)) {
        cls = undefined;
        thin = true;
      }
      if (cls === 'trigger') {
        this.mode = 'window';
        this.sinceTrigger = 0;
        this.failuresAtTrigger ??= this.host.failureRecords();
      } else if (!cls && (this.mode === 'record' || this.sinceTrigger >= LOOKAHEAD_LINES) && !this.host.continues(lineText(body, pos, end))) {
        // The record that was being read is complete: back to skipping, this line included.
        if (thin) this.noteThinned(this.nextLine);
        this.mode = 'skip';
        this.scanFrom = end;
        this.host.closeWindow();
        return pos;
      } else if (this.mode === 'window') this.sinceTrigger++;
      if (cls === 'context' && this.plan.lastDense) this.chargeDense();
      const line = this.nextLine;
      pos = this.feedLine(body, pos, end);
      if (cls === 'trigger') this.triggerLine = line;
      this.settleTrigger();
    }
    return pos;
  }

  /**
   * Once every record holding the failure wording has been read: if none of them was a failure
   * (the wording matched, the rule did not: another origin, a level, a `not`), the look-ahead
   * has nothing to complete, so the open record is finished and skipping resumes.
   */
  private settleTrigger(): void {
    if (this.mode !== 'window' || this.failuresAtTrigger === undefined || (this.host.openRecordLine() ?? Infinity) <= this.triggerLine) return;
    if (this.host.failureRecords() === this.failuresAtTrigger) this.mode = 'record';
    this.failuresAtTrigger = undefined;
  }

  private feedLine(body: Buffer, from: number, end: number): number {
    this.splitter.push(body.subarray(from, end));
    this.nextLine = this.splitter.nextLine;
    return end;
  }

  /**
   * Starts analysing at the line at `body[at]`: first the look-behind, back to the record starts
   * that the reason for reading needs (failure wording: its record and the one before it;
   * context: nothing when the line starts its record, else as for failure wording).
   */
  private open(cls: HitClass, body: Buffer, at: number): void {
    this.mode = cls === 'trigger' ? 'window' : 'record';
    this.sinceTrigger = 0;
    this.failuresAtTrigger = cls === 'trigger' ? this.host.failureRecords() : undefined;
    this.triggerLine = this.nextLine;
    // A context line that continues a record is read with the same reach as failure wording: its
    // record may begin with a logged header and a traceback header, two starts.
    const starts = cls === 'trigger' || !looksLikeRecordStart(body, at) ? LOOKBEHIND_STARTS : 0;
    const { ring, lines } = trimToRecordStarts(this.ring, this.ringLines, starts);
    const firstLine = this.nextLine - lines;
    for (const n of this.recentThinned) if (n >= firstLine) this.linesThinned--;
    this.recentThinned.length = 0;
    // The look-behind was counted when skipped; the splitter counts it again as it reads it.
    this.splitter.jumpTo(firstLine, -ring.length);
    if (ring.length) this.splitter.push(ring);
    this.linesSkipped -= lines;
    this.ring = EMPTY;
    this.ringIsView = false;
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
    // The look-behind: back to the third-last record start of this stretch, or all of it joined
    // to the previous look-behind when the stretch holds fewer starts.
    let tailStart = to;
    let tailLines = 0;
    let starts = 0;
    while (tailStart > from && starts < LOOKBEHIND_STARTS && tailLines < LOOKBEHIND_MAX_LINES && to - tailStart < LOOKBEHIND_MAX_BYTES) {
      // (a negative offset would make lastIndexOf search from the end of the buffer)
      tailStart = tailStart - 2 < from ? from : Math.max(from, body.lastIndexOf(10, tailStart - 2) + 1);
      tailLines++;
      if (looksLikeRecordStart(body, tailStart)) starts++;
    }
    if (tailStart > from || starts >= LOOKBEHIND_STARTS) {
      this.ring = body.subarray(tailStart, to);
      this.ringIsView = true;
      this.ringLines = tailLines;
    } else {
      const stretch = body.subarray(from, to);
      const joined = trimToRecordStarts(this.ring.length ? Buffer.concat([this.ring, stretch]) : stretch, this.ringLines + lines, LOOKBEHIND_STARTS);
      let ring = joined.ring;
      let ringLines = joined.lines;
      while (ringLines > LOOKBEHIND_MAX_LINES || ring.length > LOOKBEHIND_MAX_BYTES) {
        const nl = ring.indexOf(10);
        if (nl < 0) break;
        ring = ring.subarray(nl + 1);
        ringLines--;
      }
      this.ring = ring;
      this.ringIsView = true;
      this.ringLines = ringLines;
    }
  }
}
