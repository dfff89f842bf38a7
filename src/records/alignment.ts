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
