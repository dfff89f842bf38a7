import { DEFAULT_LINE_LIMITS, LineSplitter, type LineLimits } from '../bytes/lines.js';
import { TextSniffer } from '../bytes/sniff.js';
import type { LogEvent, RawRecord } from '../events.js';
import { genericFormat } from '../formats/generic/generic.js';
import type { FormatParser } from '../formats/types.js';
import type { Said } from '../messages/say.js';
import type { LiteralPlan } from '../prefilter/plan.js';
import { TimeGate, type WindowBounds } from '../prefilter/time-gate.js';
import { WindowedFeeder } from '../prefilter/windowed.js';
import type { SourceTotals } from '../report/summary.js';
import { DEFAULT_RECORD_LIMITS, parseRecord, RecordAssembler, type RecordLimits } from './assembler.js';
import { EventDater } from './dating.js';

/** How one source is read, and where its events go. */
export interface SourceSetup {
  /** The formats to try, fresh for this source when a format learns its layout. */
  formats: FormatParser[];
  lineLimits?: LineLimits;
  recordLimits?: RecordLimits;
  /** The byte prefilter's plan; without one every line is parsed. */
  plan?: LiteralPlan;
  /** `--since`/`--until`: with a plan, stretches of lines outside it are not parsed at all. */
  window?: { bounds: WindowBounds; marginMs: number };
  /** The zone naive timestamps of this source were written in. */
  zone?: string;
  /** Is this text worth parsing (some rule may match it, or it may show a pool)? Unclaimed lines that are not are skipped. */
  mayMatch(text: string): boolean;
  /** A record's events, dated; `latest` is the source's newest time when it moved. */
  events(events: LogEvent[], latest: number | undefined): void;
  /** The source was seen to carry timestamps, parsed or not. */
  timed(): void;
  /** After each slice of text: the caller may conclude what has settled. */
  fed(): void;
  /** Records so far on which a failure rule fired (the prefilter closes windows that made none). */
  failureRecords(): number;
  warn(message: Said): void;
}

/**
 * Reading one source, bytes to dated events: the sniffer decides text or binary, the byte
 * prefilter (and the time gate in front of it) leaves out what no rule can use, the splitter
 * cuts lines, the assembler joins them into records of the source's formats, and every record
 * is parsed under one guard and dated. Ending it keeps only its counters.
 */
export class SourceReader {
  private sniffer: TextSniffer;
  private splitter: LineSplitter;
  private assembler: RecordAssembler;
  private feeder?: WindowedFeeder;
  private gate?: TimeGate;
  private readonly dater: EventDater;
  records = 0;
  recordsMalformed = 0;
  recordsProse = 0;
  error?: string;
  /** Set when the source has ended: its counters, kept after the reading machinery is dropped. */
  final?: SourceTotals;

  constructor(
    readonly name: string,
    private readonly setup: SourceSetup,
  ) {
    const assembler = new RecordAssembler(name, setup.formats, genericFormat, (record, format, st) => this.onRecord(record, format, st), setup.recordLimits ?? DEFAULT_RECORD_LIMITS);
    const lineLimits = setup.lineLimits ?? DEFAULT_LINE_LIMITS;
    const splitter = new LineSplitter((text, lineNo) => assembler.pushLine(text, lineNo), lineLimits);
    this.assembler = assembler;
    this.splitter = splitter;
    this.dater = new EventDater(setup.zone);
    this.sniffer = new TextSniffer(name, {
      text: (chunk) => {
        this.feedText(chunk);
        setup.fed();
      },
      count: (bytes) => {
        this.splitter.counters.bytes += bytes;
      },
      warn: (message) => setup.warn(message),
    });
    if (setup.plan) {
      this.feeder = new WindowedFeeder(
        setup.plan,
        splitter,
        {
          continues: (line) => assembler.continuesWith(line),
          closeWindow: () => assembler.flush(),
          failureRecords: () => setup.failureRecords(),
          openRecordLine: () => assembler.openLine,
          leadingFormat: () => assembler.leadingFormat,
          startsOwnRecord: (line) => assembler.startsOwnRecord(line),
        },
        lineLimits.maxLineChars * 4,
      );
      if (setup.window) this.gate = new TimeGate(setup.window.bounds, setup.zone, setup.window.marginMs);
    }
  }

  /** Feeds bytes; false once the source is known to be binary (stop reading it). */
  write(chunk: Buffer): boolean {
    return this.sniffer.write(chunk);
  }

  private feedText(chunk: Buffer): void {
    if (!this.feeder) this.splitter.push(chunk);
    else if (this.gate) this.gate.push(chunk, this.feeder);
    else this.feeder.push(chunk);
  }

  /** A live stream went quiet: it is judged on the bytes sent so far and its open record ends. */
  quiet(): void {
    if (this.final) return;
    this.sniffer.decideEarly();
    this.assembler.flush();
  }

  /**
   * Flushes the source and keeps only its counters, so thousands of ended inputs do not each
   * hold a splitter, an assembler and their buffers.
   */
  close(): SourceTotals {
    if (this.final) return this.final;
    const rest = this.sniffer.settle();
    if (rest) this.feedText(rest);
    this.feeder?.end();
    this.splitter.end();
    this.assembler.flush();
    if (this.feeder?.sawTimedLine || this.gate?.linesOutside) this.setup.timed();
    const d = this.dater;
    this.final = {
      name: this.name,
      counters: this.splitter.counters,
      recordsTruncated: this.assembler.recordsTruncated,
      formatCounts: this.assembler.formatCounts,
      linesSkipped: (this.feeder?.linesSkipped ?? 0) + (this.gate?.linesOutside ?? 0),
      ...(this.gate ? { linesOutsideWindow: this.gate.linesOutside } : {}),
      ...(this.feeder?.linesThinned ? { linesThinned: this.feeder.linesThinned } : {}),
      binary: this.sniffer.binary,
      ...(d.firstTs !== undefined && d.lastTs !== undefined ? { timeRange: { first: d.firstTs, last: d.lastTs, naive: d.naive } } : {}),
    };
    this.splitter = CLOSED_SPLITTER;
    this.assembler = CLOSED_ASSEMBLER;
    this.feeder = undefined;
    this.gate = undefined;
    this.sniffer.drop();
    return this.final;
  }

  private onRecord(record: RawRecord, format: FormatParser, recordState: import('../formats/types.js').RecordState): void {
    this.records++;
    // Lines nobody claimed are only worth parsing when some rule could match them; their time
    // is read lazily, only when a later record needs the idle gap before it.
    const unclaimed = format === genericFormat || format.broad === true;
    if (unclaimed && !this.setup.mayMatch(format === genericFormat ? (record.lines[0] ?? '') : record.lines.join('\n'))) {
      if (this.dater.skipped(record.lines[0] ?? '')) this.setup.timed();
      return;
    }
    const { events, malformed, prose } = parseRecord(format, record, recordState);
    if (malformed) this.recordsMalformed++;
    if (prose) this.recordsProse++;
    this.setup.events(events, this.dater.stamp(events, record));
  }
}

/** Stand-ins for the reading machinery of ended sources: nothing may be fed to them any more. */
const CLOSED_SPLITTER = new LineSplitter(() => {
  throw new Error('pgtriage: a source was written after it ended');
});
const CLOSED_ASSEMBLER = new RecordAssembler('<closed>', [], genericFormat, () => {
  throw new Error('pgtriage: a source was written after it ended');
});
