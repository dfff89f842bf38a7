/**
 * Whether the sources of one case line up in time. Sources whose time ranges overlap (within the
 * clock-skew tolerance) form a group; a case with more than one group cannot join the lines of
 * one group with another's, and gets one warning naming the groups. When a group is a source
 * that printed its times without a zone, the whole-hour (or 30/45-minute) shift that would line
 * it up with the rest is named too, since a local-time log beside a UTC log is the usual reason.
 */
import { type Said, say } from '../messages/say.js';

export interface TimedSource {
  name: string;
  /** Earliest and latest record time (UTC ms) and whether some times had no zone. */
  timeRange?: { first: number; last: number; naive: boolean };
}

const MINUTE = 60_000;
/** The widest zone offsets in use are UTC-12 and UTC+14. */
const MAX_SHIFT = 14 * 60 * MINUTE;
/** Sources listed by name in one warning; the rest are counted. */
const NAMED = 8;

interface Group {
  members: TimedSource[];
  first: number;
  last: number;
}

/** Groups of sources whose ranges overlap (transitively), in time order. */
function groups(list: readonly TimedSource[], slack: number): Group[] {
  const sorted = list.filter((s) => s.timeRange).sort((a, b) => a.timeRange!.first - b.timeRange!.first);
  const out: Group[] = [];
  for (const s of sorted) {
    const r = s.timeRange!;
    const open = out[out.length - 1];
    if (open && r.first - open.last <= slack) {
      open.members.push(s);
      open.last = Math.max(open.last, r.last);
    } else {
      out.push({ members: [s], first: r.first, last: r.last });
    }
  }
  return out;
}

/** One warning per case whose sources fall into more than one group in time. */
export function overlapWarnings(sources: readonly TimedSource[], caseOf: (source: string) => string, slack: number): Said[] {
  const byCase = new Map<string, TimedSource[]>();
  for (const s of sources) {
    if (!s.timeRange) continue;
    const k = caseOf(s.name);
    byCase.set(k, [...(byCase.get(k) ?? []), s]);
  }
  const out: Said[] = [];
  for (const [kase, list] of byCase) {
    const gs = groups(list, slack);
    if (gs.length < 2) continue;
    const named = gs.flatMap((g) => g.members).slice(0, NAMED);
    const listed = gs
      .map((g) => {
        const names = g.members.filter((m) => named.includes(m)).map((m) => m.name);
        return names.length ? `${names.join(', ')} (${iso(g.first)} to ${iso(g.last)})` : undefined;
      })
      .filter((x): x is string => x !== undefined);
    const more = list.length - named.length;
    const data = {
      case: kase ? `${kase}: ` : '',
      groups: listed.join('; ') + (more > 0 ? `; and ${more} more` : ''),
    };
    const hints = gs.map((g) => zoneHint(g, gs)).filter((h): h is string => h !== undefined);
    out.push(hints.length ? say('warning.sources-apart-naive', { ...data, hints: hints.join('; ') }) : say('warning.sources-apart', data));
  }
  return out;
}

/**
 * For a group that is one naive source: the shift that lines its middle up with the middle of
 * the zoned sources, to the nearest quarter hour, as the zone its times would then be in.
 */
function zoneHint(g: Group, all: readonly Group[]): string | undefined {
  if (g.members.length !== 1 || !g.members[0].timeRange!.naive) return undefined;
  const zoned = all.filter((o) => o !== g && o.members.some((m) => !m.timeRange!.naive));
  if (zoned.length === 0) return undefined;
  const first = Math.min(...zoned.map((o) => o.first));
  const last = Math.max(...zoned.map((o) => o.last));
  const shift = quarterHours((first + last) / 2 - (g.first + g.last) / 2);
  if (shift === 0 || Math.abs(shift) > MAX_SHIFT) return undefined;
  return say('warning.zone-hint', { naive: g.members[0].name, zone: offsetName(-shift) }).text;
}

/** Rounded to the nearest quarter hour: zones are whole hours, or 30 or 45 minutes off. */
export function quarterHours(ms: number): number {
  return Math.round(ms / (15 * MINUTE)) * 15 * MINUTE;
}

function iso(ts: number): string {
  return new Date(ts).toISOString().replace('.000Z', 'Z');
}

/** `+05:30` for a zone whose local time is `ms` ahead of UTC. */
export function offsetName(ms: number): string {
  const m = Math.round(ms / MINUTE);
  const sign = m < 0 ? '-' : '+';
  const abs = Math.abs(m);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Times kept per source and kind; the first ones are enough to line sources up. */
const MOMENTS_CAP = 512;

/**
 * Per source, the times of the failures it opened and of every record a rule hit: what lines
 * a naive source up with the zoned ones. Bounded per source.
 */
export class SourceMoments {
  private readonly bySource = new Map<string, { failures: number[]; hits: number[] }>();

  private of(source: string) {
    let m = this.bySource.get(source);
    if (!m) this.bySource.set(source, (m = { failures: [], hits: [] }));
    return m;
  }

  hit(source: string, ts: number | undefined): void {
    if (ts === undefined) return;
    const m = this.of(source);
    if (m.hits.length < MOMENTS_CAP) m.hits.push(ts);
  }

  failure(source: string, ts: number | undefined): void {
    if (ts === undefined) return;
    const m = this.of(source);
    if (m.failures.length < MOMENTS_CAP) m.failures.push(ts);
  }

  failures(source: string): readonly number[] {
    return this.bySource.get(source)?.failures ?? [];
  }

  hits(source: string): readonly number[] {
    return this.bySource.get(source)?.hits ?? [];
  }
}

/** A naive source read as local time at a fixed offset, because that lines its failures up. */
export interface ZoneShift {
  source: string;
  /** `+05:30`: the offset its naive times are read at. */
  zone: string;
  matched: number;
  failures: number;
  /** The zoned sources its failures line up with. */
  against: string[];
}

/** Offsets real zones use: whole hours, and 30 or 45 minutes past, from UTC-12 to UTC+14. */
const OFFSETS: number[] = [];
for (let h = 0; h <= 14; h++) {
  for (const m of [0, 30, 45]) {
    const ms = (h * 60 + m) * MINUTE;
    if (ms === 0 || ms > MAX_SHIFT) continue;
    OFFSETS.push(ms, -ms);
  }
}

/** How many of `failures`, moved by `shift`, have a zoned record within `window` (zoned sorted). */
export function linedUp(failures: readonly number[], zoned: readonly number[], shift: number, window: number): number {
  let n = 0;
  for (const f of failures) {
    const t = f + shift;
    let lo = 0;
    let hi = zoned.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (zoned[mid] < t - window) lo = mid + 1;
      else hi = mid;
    }
    if (lo < zoned.length && zoned[lo] <= t + window) n++;
  }
  return n;
}

/**
 * The shift (ms to add to the naive times) that lines a naive source's failures up with the
 * zoned records, or undefined. It must line up at least half of the failures, none may line up
 * unshifted (then the times already agree), and no other offset may do as well (a tie is a
 * coincidence of periodic records, not a zone).
 */
export function bestShift(failures: readonly number[], zoned: readonly number[], window: number): { shift: number; matched: number } | undefined {
  if (failures.length === 0 || zoned.length === 0) return undefined;
  const sorted = [...zoned].sort((a, b) => a - b);
  if (linedUp(failures, sorted, 0, window) > 0) return undefined;
  let best: { shift: number; matched: number } | undefined;
  let second = 0;
  for (const shift of OFFSETS) {
    const matched = linedUp(failures, sorted, shift, window);
    if (!best || matched > best.matched) {
      second = best?.matched ?? 0;
      best = { shift, matched };
    } else if (matched > second) second = matched;
  }
  if (!best || best.matched === 0 || best.matched === second || best.matched * 2 < failures.length) return undefined;
  return best;
}
