/**
 * The context store as facts. Every record a rule fired on is reduced, at once, to a counter
 * and (for a few of them) a witness in the bucket of (rule, session): memory depends on the
 * number of rules and live sessions, never on how many lines matched. An incident then asks
 * which buckets bear on it — its own session's, the global ones, and, where no identity tells
 * sessions apart, the ones near it in time and source — and gets one fact per rule with its
 * count and at most three witnesses (the nearest, the first and the last in its window).
 * How a record relates to a failure (scope, window) is decided in ./fact-scope.ts; exact
 * counts per window come from ./second-counts.ts.
 */
import type { LogEvent } from '../events.js';
import type { Rule } from '../rules/types.js';
import { covers, dedupe, distance, isGlobal, scopeOf, strongerScope, type FactScope, type StoredWitness } from './fact-scope.js';
import { hasIdentity, identityKey, identityOf } from './identity.js';
import { SecondCounts } from './second-counts.js';

export { isGlobal, POSTMASTER_EVENTS, type FactScope, type StoredWitness } from './fact-scope.js';

/** Clock-skew tolerance between sources, ms (configurable). */
export const DEFAULT_SKEW_MS = 5_000;
/** Witnesses kept per bucket: the latest few, plus the first two ever seen. */
const RECENT = 6;
/**
 * Global buckets (the postmaster's shutdowns, restarts and crashes, pooler-wide events,
 * settings) keep more: their records are rare, every session's incident may need the one of its
 * moment, and a server log read in one go (or before its client log) must not push an early
 * restart out before the incidents it explains are concluded. Still bounded.
 */
const RECENT_GLOBAL = 512;
const FIRST = 2;
/** Buckets kept at most; the least recently fed one goes first. */
const BUCKETS_CAP = 4096;
export interface GatheredFact {
  rule: Rule;
  scope: FactScope;
  count: number;
  /** Nearest first, then the first and the last of the window (at most three). */
  witnesses: StoredWitness[];
  /** Distinct sessions among the witnesses and counted records, where identities tell. */
  sessions: number;
  /** Signed ms from the failure to the nearest witness (negative: before). */
  nearestMs?: number;
}

interface Bucket {
  rule: Rule;
  global: boolean;
  key: string;
  /** Records per second of log time, for exact counts in a failure's window. */
  seconds: SecondCounts;
  recent: StoredWitness[];
  first: StoredWitness[];
  total: number;
  sessions: Set<string>;
}

export class FactStore {
  private readonly buckets = new Map<string, Bucket>();
  private seq = 0;
  /** The bucket fed last (a busy log feeds the same one many times in a row). */
  private lastKey = '';
  /** Buckets dropped at the cap (their counts are lost; reported in stats by the caller). */
  evicted = 0;
  /** Sources where some record names a session (bounded: only a flag per source). */
  private readonly identified = new Set<string>();

  /**
   * Notes that a source's records name sessions. A source none of whose records does is one
   * session's log (a script, a job): its lines are that session's, not merely nearby.
   */
  noteIdentity(event: LogEvent): void {
    if (this.identified.has(event.source) || this.identified.size >= 100_000) return;
    if (hasIdentity(identityOf(event))) this.identified.add(event.source);
  }

  /**
   * `caseOf` keeps each case's buckets apart (`--per-directory`): a bucket holds only a few
   * witnesses, so another case feeding the same rule would otherwise push a case's own
   * witnesses out before its incidents are concluded.
   */
  constructor(
    private readonly cap = BUCKETS_CAP,
    private readonly caseOf: (source: string) => string = () => '',
  ) {}

  /** Reduces one record that the given rules fired on. */
  add(event: LogEvent, rules: Rule[]): void {
    const identity = identityOf(event);
    const witness: StoredWitness = {
      source: event.source,
      line: event.line,
      endLine: event.endLine,
      text: firstLines(event.text, 8),
      origin: event.origin,
      format: event.format,
      ...(event.ts !== undefined ? { ts: event.ts } : {}),
      ...(event.tsNaive ? { tsNaive: true } : {}),
      identity,
      ...(event.fields.pid !== undefined ? { pid: event.fields.pid } : {}),
      ...(event.fields.serverEvent ? { serverEvent: event.fields.serverEvent } : {}),
      seq: this.seq++,
    };
    for (const rule of rules) {
      const global = isGlobal(rule, event);
      const ik = global ? '*' : identityKey(identity);
      const key = `${this.caseOf(event.source)}\u0000${rule.id}\u0000${ik}`;
      let bucket = this.buckets.get(key);
      if (bucket && key === this.lastKey) {
        // Already the most recently fed: the order is right as it is.
      } else if (bucket) {
        // Re-inserting keeps Map order = least recently fed first.
        this.buckets.delete(key);
        this.buckets.set(key, bucket);
      } else {
        if (this.buckets.size >= this.cap) {
          const oldest = this.buckets.keys().next().value as string;
          this.buckets.delete(oldest);
          this.evicted++;
        }
        bucket = { rule, global, key: ik, seconds: new SecondCounts(), recent: [], first: [], total: 0, sessions: new Set() };
        this.buckets.set(key, bucket);
      }
      this.lastKey = key;
      bucket.total++;
      if (bucket.sessions.size < 64) {
        const sk = identityKey(identity);
        if (sk) bucket.sessions.add(sk);
      }
      if (bucket.first.length < FIRST) bucket.first.push(witness);
      else {
        bucket.recent.push(witness);
        if (bucket.recent.length > (bucket.global ? RECENT_GLOBAL : RECENT)) bucket.recent.shift();
      }
      if (event.ts !== undefined) bucket.seconds.add(Math.floor(event.ts / 1000));
    }
  }

  get size(): number {
    return this.buckets.size;
  }

  /**
   * The facts bearing on one failure. `linkedBackend` is the server pid the failing client
   * session was on (when a server record of that moment tells it); `untimedSource` says the
   * failure's source has no timestamps at all, so every other source's records are linked.
   */
  gather(failure: LogEvent, options: { skewMs: number; untimedSource?: boolean; sameCase?: (source: string) => boolean }): GatheredFact[] {
    const failureId = identityOf(failure);
    const linked = this.linkedBackend(failure, options.skewMs, options.sameCase);
    const out: GatheredFact[] = [];
    for (const bucket of this.buckets.values()) {
      const all = [...bucket.first, ...bucket.recent];
      const covering = all.filter(
        (w) =>
          w.seq !== undefined &&
          !(w.source === failure.source && w.line === failure.line) &&
          (!options.sameCase || options.sameCase(w.source)) &&
          (options.untimedSource && failure.ts === undefined && w.source !== failure.source ? true : covers(bucket.rule, w, failure, options.skewMs)),
      );
      if (covering.length === 0) continue;
      let scope: FactScope | undefined;
      const kept: StoredWitness[] = [];
      for (const w of covering) {
        let s = bucket.global ? 'global' : scopeOf(w, failure, failureId, linked);
        if (s === 'nearby' && w.source === failure.source && !this.identified.has(w.source)) s = 'session';
        if (s === undefined) continue;
        kept.push(w);
        scope = strongerScope(scope, s);
      }
      if (!scope || kept.length === 0) continue;
      kept.sort((a, b) => distance(a, failure) - distance(b, failure) || a.seq - b.seq);
      const nearest = kept[0];
      const byTime = kept.slice().sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || a.seq - b.seq);
      const witnesses = dedupe([nearest, byTime[0], byTime[byTime.length - 1]]);
      let count = kept.length;
      // Timed, session- or globally-scoped buckets count exactly in the window (up to the cap).
      if (failure.ts !== undefined && failure.origin !== 'server' && failure.origin !== 'pooler' && bucket.seconds.size > 0) {
        const from = failure.ts - bucket.rule.window.before - options.skewMs;
        const to = failure.ts + bucket.rule.window.after + options.skewMs;
        count = Math.max(count, bucket.seconds.between(Math.floor(from / 1000), Math.floor(to / 1000)));
      }
      const sessions = new Set(kept.map((w) => identityKey(w.identity)).filter(Boolean));
      if (bucket.global) for (const s of bucket.sessions) sessions.add(s);
      const merged = out.find((f) => f.rule.id === bucket.rule.id);
      const fact: GatheredFact = {
        rule: bucket.rule,
        scope,
        count,
        witnesses,
        sessions: sessions.size,
        ...(nearest.ts !== undefined && failure.ts !== undefined ? { nearestMs: nearest.ts - failure.ts } : {}),
      };
      if (merged) mergeInto(merged, fact, failure);
      else out.push(fact);
    }
    return out;
  }

  /**
   * The backend a failing client session was on: the server record with a pid closest to the
   * failure in time (within the skew), among the session-scoped facts. Other backends' lines
   * are then other sessions.
   */
  private linkedBackend(failure: LogEvent, skewMs: number, sameCase?: (source: string) => boolean): number | undefined {
    if (failure.origin === 'server' || failure.origin === 'pooler') return failure.fields.pid;
    if (failure.ts === undefined) return undefined;
    let best: StoredWitness | undefined;
    for (const bucket of this.buckets.values()) {
      if (bucket.global) continue;
      for (const w of [...bucket.first, ...bucket.recent]) {
        if (w.origin !== 'server' || w.pid === undefined || w.ts === undefined) continue;
        if (sameCase && !sameCase(w.source)) continue;
        const d = Math.abs(w.ts - failure.ts);
        if (d > skewMs) continue;
        if (!best || d < Math.abs(best.ts! - failure.ts)) best = w;
      }
    }
    return best?.pid;
  }
}

function mergeInto(into: GatheredFact, other: GatheredFact, failure: LogEvent): void {
  into.scope = strongerScope(into.scope, other.scope);
  into.count += other.count;
  into.sessions += other.sessions;
  const all = [...into.witnesses, ...other.witnesses];
  all.sort((a, b) => distance(a, failure) - distance(b, failure) || a.seq - b.seq);
  const byTime = all.slice().sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || a.seq - b.seq);
  into.witnesses = dedupe([all[0], byTime[0], byTime[byTime.length - 1]]);
  const n = into.witnesses[0];
  if (n.ts !== undefined && failure.ts !== undefined) into.nearestMs = n.ts - failure.ts;
}

export function firstLines(text: string, n: number): string {
  if (!text.includes('\n')) return text;
  const lines = text.split('\n', n + 1);
  if (lines.length <= n) return text;
  const total = text.split('\n').length;
  return lines.slice(0, n).join('\n') + `\n… (${total - n} more lines)`;
}
