/**
 * The context store as facts. Every record a rule fired on is reduced, at once, to a counter
 * and (for a few of them) a witness in the bucket of (rule, session): memory depends on the
 * number of rules and live sessions, never on how many lines matched. An incident then asks
 * which buckets bear on it — its own session's, the global ones, and, where no identity tells
 * sessions apart, the ones near it in time and source — and gets one fact per rule with its
 * count and at most three witnesses (the nearest, the first and the last in its window).
 */
import type { FormatId, LogEvent, Origin } from '../events.js';
import type { Rule } from '../rules/types.js';
import { hasIdentity, identityKey, identityOf, relate, type Identity } from './identity.js';

/** Clock-skew tolerance between sources, ms (configurable). */
export const DEFAULT_SKEW_MS = 5_000;
/** Without timestamps, context in the same file links within this many lines. */
const LINES_BEFORE = 400;
const LINES_AFTER = 60;
/** Witnesses kept per bucket: the latest few, plus the first two ever seen. */
const RECENT = 6;
const FIRST = 2;
/**
 * Records are counted per second of log time (a second and its count per entry), so a dense
 * bucket costs one entry per busy second; the oldest half goes when it is full.
 */
const TIMES_CAP = 4096;
/** Buckets kept at most; the least recently fed one goes first. */
const BUCKETS_CAP = 4096;
/** Windows wider than this (settings valid for days) describe the whole case, not a moment. */
const WIDE_MS = 6 * 3_600_000;
/** Server events of the postmaster itself, which affect every session. */
export const POSTMASTER_EVENTS = new Set(['shutdown-request', 'shutting-down', 'shut-down', 'ready', 'crash', 'reinitializing', 'recovery', 'terminating-other-backend']);
/**
 * A failure seen in the server's own log (no client log given) is the termination itself: only
 * what the server logged in the same moment explains it, not what happened minutes before.
 */
const SERVER_VIEW_WINDOW_MS = 2_000;

/** One record, reduced to what a fact quotes and what relating it to a failure needs. */
export interface StoredWitness {
  source: string;
  line: number;
  endLine: number;
  text: string;
  origin: Origin;
  format: FormatId;
  ts?: number;
  tsNaive?: boolean;
  identity: Identity;
  pid?: number;
  serverEvent?: string;
  seq: number;
}

/**
 * How a fact relates to the failing session: `self` (the failure's own records), `session`
 * (the same session's lines, or the backend linked to it), `global` (the postmaster, the
 * pooler as a whole, configuration), `nearby` (no identity decides; near in time and source).
 */
export type FactScope = 'self' | 'session' | 'global' | 'nearby';

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
  /** Seconds (epoch s) with records, ascending, and how many records each. */
  times: number[];
  counts: number[];
  recent: StoredWitness[];
  first: StoredWitness[];
  total: number;
  sessions: Set<string>;
}

export class FactStore {
  private readonly buckets = new Map<string, Bucket>();
  private seq = 0;
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
      if (bucket) {
        // Re-inserting keeps Map order = least recently fed first.
        this.buckets.delete(key);
      } else {
        if (this.buckets.size >= this.cap) {
          const oldest = this.buckets.keys().next().value as string;
          this.buckets.delete(oldest);
          this.evicted++;
        }
        bucket = { rule, global, key: ik, times: [], counts: [], recent: [], first: [], total: 0, sessions: new Set() };
      }
      this.buckets.set(key, bucket);
      bucket.total++;
      if (bucket.sessions.size < 64) {
        const sk = identityKey(identity);
        if (sk) bucket.sessions.add(sk);
      }
      if (bucket.first.length < FIRST) bucket.first.push(witness);
      else {
        bucket.recent.push(witness);
        if (bucket.recent.length > RECENT) bucket.recent.shift();
      }
      if (event.ts !== undefined) countAt(bucket, Math.floor(event.ts / 1000));
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
      if (failure.ts !== undefined && failure.origin !== 'server' && failure.origin !== 'pooler' && bucket.times.length > 0) {
        const from = failure.ts - bucket.rule.window.before - options.skewMs;
        const to = failure.ts + bucket.rule.window.after + options.skewMs;
        count = Math.max(count, countBetween(bucket, Math.floor(from / 1000), Math.floor(to / 1000)));
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

const SCOPE_ORDER: FactScope[] = ['nearby', 'global', 'session', 'self'];
function strongerScope(a: FactScope | undefined, b: FactScope): FactScope {
  if (!a) return b;
  return SCOPE_ORDER.indexOf(b) > SCOPE_ORDER.indexOf(a) ? b : a;
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

/** Is the record about everyone (the postmaster, the pooler, a setting) rather than one session? */
export function isGlobal(rule: Rule, event: LogEvent): boolean {
  if (event.origin === 'config' || event.fields.config) return true;
  if (rule.window.before > WIDE_MS || rule.window.after > WIDE_MS) return true;
  if (event.origin === 'server' && POSTMASTER_EVENTS.has(event.fields.serverEvent ?? '')) return true;
  // A pooler line about its server links or itself, not about one client connection.
  if (event.origin === 'pooler' && !(event.fields.sessionId ?? '').startsWith('C-')) return true;
  return false;
}

function scopeOf(w: StoredWitness, failure: LogEvent, failureId: Identity, linked: number | undefined): FactScope | undefined {
  const failureServer = failure.origin === 'server' || failure.origin === 'pooler';
  const witnessServer = w.origin === 'server' || w.origin === 'pooler';
  if (witnessServer && !failureServer) {
    // A client's failure against the server's records: the linked backend is this session.
    if (linked === undefined || w.pid === undefined) return 'nearby';
    return w.pid === linked ? 'session' : undefined;
  }
  if (witnessServer !== failureServer) return 'nearby';
  const relation = relate(failureId, w.identity);
  if (relation === 'same') return 'session';
  if (relation === 'other') return undefined;
  return hasIdentity(failureId) && hasIdentity(w.identity) ? 'nearby' : 'nearby';
}

function covers(rule: Rule, w: StoredWitness, failure: LogEvent, skewMs: number): boolean {
  if (w.ts !== undefined && failure.ts !== undefined) {
    const delta = w.ts - failure.ts;
    if (failure.origin === 'server' || failure.origin === 'pooler') {
      if (Math.abs(delta) > Math.min(SERVER_VIEW_WINDOW_MS, rule.window.before)) return false;
      // Another backend's trouble does not explain this one, the postmaster's does.
      const a = failure.fields.pid;
      const b = w.pid;
      return a === undefined || b === undefined || a === b || POSTMASTER_EVENTS.has(w.serverEvent ?? '');
    }
    return delta >= -rule.window.before - skewMs && delta <= rule.window.after + skewMs;
  }
  if (w.source !== failure.source) return false;
  const lines = w.line - failure.line;
  return lines >= -LINES_BEFORE && lines <= LINES_AFTER;
}

function distance(w: StoredWitness, failure: LogEvent): number {
  if (w.ts !== undefined && failure.ts !== undefined) return Math.abs(w.ts - failure.ts);
  if (w.source === failure.source) return Math.abs(w.line - failure.line) * 1000;
  return Number.MAX_SAFE_INTEGER / 2 + w.seq;
}

function dedupe(list: StoredWitness[]): StoredWitness[] {
  const out: StoredWitness[] = [];
  for (const w of list) if (w && !out.some((o) => o.source === w.source && o.line === w.line)) out.push(w);
  return out;
}

function countAt(bucket: Bucket, second: number): void {
  const { times, counts } = bucket;
  const n = times.length;
  if (n > 0 && times[n - 1] === second) {
    counts[n - 1]++;
    return;
  }
  if (n >= TIMES_CAP) {
    times.splice(0, n >> 1);
    counts.splice(0, n >> 1);
  }
  // Logs mostly arrive in time order: appending is the common case.
  if (times.length === 0 || times[times.length - 1] < second) {
    times.push(second);
    counts.push(1);
    return;
  }
  const i = lowerBound(times, second);
  if (times[i] === second) counts[i]++;
  else {
    times.splice(i, 0, second);
    counts.splice(i, 0, 1);
  }
}

/** Records in the seconds [from, to]. */
function countBetween(bucket: Bucket, from: number, to: number): number {
  let sum = 0;
  for (let i = lowerBound(bucket.times, from); i < bucket.times.length && bucket.times[i] <= to; i++) sum += bucket.counts[i];
  return sum;
}

/** First index whose value is at or after `ts`. */
function lowerBound(list: number[], ts: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function firstLines(text: string, n: number): string {
  const lines = text.split('\n', n + 1);
  if (lines.length <= n) return text;
  const total = text.split('\n').length;
  return lines.slice(0, n).join('\n') + `\n… (${total - n} more lines)`;
}
