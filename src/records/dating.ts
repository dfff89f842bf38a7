import type { LogEvent } from '../events.js';
import { leadingTimestamp } from '../formats/generic/generic.js';
import { startsWithDate } from '../formats/common/timestamp.js';
import { readHeader } from '../formats/app/header.js';
import type { RawRecord } from '../events.js';
import { prefixTimeOf } from './originals.js';
import { naiveToUtc } from '../formats/common/zone.js';

/**
 * Dates the events of one source in reading order, the same way for a run and for a rule
 * example: a time-of-day-only event takes the date of the source's last dated record, and every
 * event carries the time of the previous timed record (`prevTs`), from which `gap_before` — the
 * idle gap before a failure — is computed.
 */
export class EventDater {
  /** Latest log time seen in this source, for concluding incidents on streams. */
  lastTs: number | undefined;
  /** Time of the last timed record, for idle gaps. */
  private prevTs: number | undefined;
  /** The last line skipped without parsing; its time is read only if a parsed record follows. */
  private skippedHead: string | undefined;
  /** The last dated record of this source, to date time-of-day-only lines after it. */
  private dated: { ts: number; naive: boolean } | undefined;
  /** Whether a skipped line was seen to start with a date (reported once per source). */
  private sawDatedSkip = false;
  /** The earliest and latest time of the source's parsed records, and whether some had no zone. */
  firstTs: number | undefined;
  naive = false;

  /** `zone`: the time zone this source's naive timestamps were written in (`--tz`, `path@tz=`). */
  constructor(private readonly zone?: string) {}

  /**
   * A record was skipped without parsing. Its time is read lazily, only when a later record
   * needs the idle gap before it. Returns true the first time a skipped line starts with a
   * date, so the caller can note that the source is timed.
   */
  skipped(firstLine: string): boolean {
    // Only a line that may start with a time can date what follows; others keep the older one.
    if (mayBeTimed(firstLine)) this.skippedHead = firstLine;
    if (this.sawDatedSkip || !startsWithDate(firstLine)) return false;
    this.sawDatedSkip = true;
    return true;
  }

  /** Stamps the events of one parsed record; returns the source's latest time when it moved. */
  stamp(events: LogEvent[], record?: RawRecord): number | undefined {
    if (this.skippedHead !== undefined) {
      const skipped = this.zoned(leadingTime(this.skippedHead));
      if (skipped !== undefined && (this.prevTs === undefined || skipped.ts > this.prevTs)) {
        this.prevTs = skipped.ts;
        this.dated = skipped;
      }
      this.skippedHead = undefined;
    }
    let moved: number | undefined;
    const prevTs = this.prevTs;
    for (const event of events) {
      if (event.ts === undefined && event.fields.timeOfDay && this.dated) datedFromTimeOfDay(event, this.dated);
      if (event.ts === undefined) this.inherit(event, record);
      if (this.zone && event.ts !== undefined && event.tsNaive && !event.tsInherited) {
        event.ts = naiveToUtc(event.ts, this.zone);
        event.tsNaive = false;
      }
      if (event.ts !== undefined) {
        if (this.firstTs === undefined || event.ts < this.firstTs) this.firstTs = event.ts;
        if (event.tsNaive) this.naive = true;
      }
      if (prevTs !== undefined) event.prevTs = prevTs;
      if (event.ts !== undefined) {
        this.dated = { ts: event.ts, naive: !!event.tsNaive };
        if (this.lastTs === undefined || event.ts > this.lastTs) {
          this.lastTs = event.ts;
          moved = event.ts;
        }
        this.prevTs = event.ts;
      }
    }
    return moved;
  }

  /**
   * A record that printed no time of its own (a bare traceback, an exception block under its log
   * line, a quoted driver message) takes the time its transport printed, else the time of the
   * nearest timed record above it in the same source, so it can still be joined with other
   * sources. Server, pooler and configuration records keep none: their lines carry their own.
   */
  private zoned(t: { ts: number; naive: boolean } | undefined): { ts: number; naive: boolean } | undefined {
    if (!t || !t.naive || !this.zone) return t;
    return { ts: naiveToUtc(t.ts, this.zone), naive: false };
  }

  private inherit(event: LogEvent, record: RawRecord | undefined): void {
    const fromPrefix = this.zoned(record ? prefixTimeOf(record) : undefined);
    if (fromPrefix) {
      event.ts = fromPrefix.ts;
      if (fromPrefix.naive) event.tsNaive = true;
      return;
    }
    if (event.origin === 'server' || event.origin === 'config' || event.origin === 'pooler') return;
    if (this.prevTs === undefined) return;
    event.ts = this.prevTs;
    event.tsInherited = true;
    if (this.dated?.naive) event.tsNaive = true;
  }
}

function mayBeTimed(line: string): boolean {
  const c = line.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 91;
}

const DAY_MS = 86_400_000;
const TIME_OF_DAY = /^(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?$/;

/**
 * Gives a time-of-day-only event the date of the source's last dated record, moving to the next
 * day when the clock went backwards by more than twelve hours (the run crossed midnight).
 */
function datedFromTimeOfDay(event: LogEvent, dated: { ts: number; naive: boolean }): void {
  const m = TIME_OF_DAY.exec(event.fields.timeOfDay ?? '');
  if (!m) return;
  const ms = Number(m[1]) * 3_600_000 + Number(m[2]) * 60_000 + Number(m[3]) * 1000 + Number(((m[4] ?? '') + '000').slice(0, 3));
  let ts = Math.floor(dated.ts / DAY_MS) * DAY_MS + ms;
  if (ts < dated.ts - DAY_MS / 2) ts += DAY_MS;
  event.ts = ts;
  if (dated.naive) event.tsNaive = true;
}

function leadingTime(line: string): { ts: number; naive: boolean } | undefined {
  // Only lines that start with a digit or a bracket can carry a leading time.
  if (!mayBeTimed(line)) return undefined;
  return leadingTimestamp(line.slice(0, 64)) ?? readHeader(line.slice(0, 200))?.time;
}
