/**
 * How a stored record relates to one failure: whether it is about everyone (the postmaster, the
 * pooler as a whole, a setting) or one session, whether it is the failing session's own, and
 * whether it lies inside the failure's context window. The fact store (./facts.ts) keeps the
 * records; this decides which of them bear on an incident.
 */
import type { FormatId, LogEvent, Origin } from '../events.js';
import type { Rule } from '../rules/types.js';
import { hasIdentity, relate, type Identity } from './identity.js';

/** Without timestamps, context in the same file links within this many lines. */
const LINES_BEFORE = 400;
const LINES_AFTER = 60;
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

const SCOPE_ORDER: FactScope[] = ['nearby', 'global', 'session', 'self'];
export function strongerScope(a: FactScope | undefined, b: FactScope): FactScope {
  if (!a) return b;
  return SCOPE_ORDER.indexOf(b) > SCOPE_ORDER.indexOf(a) ? b : a;
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

export function scopeOf(w: StoredWitness, failure: LogEvent, failureId: Identity, linked: number | undefined): FactScope | undefined {
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

export function covers(rule: Rule, w: StoredWitness, failure: LogEvent, skewMs: number): boolean {
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

export function distance(w: StoredWitness, failure: LogEvent): number {
  if (w.ts !== undefined && failure.ts !== undefined) return Math.abs(w.ts - failure.ts);
  if (w.source === failure.source) return Math.abs(w.line - failure.line) * 1000;
  return Number.MAX_SAFE_INTEGER / 2 + w.seq;
}

export function dedupe(list: StoredWitness[]): StoredWitness[] {
  const out: StoredWitness[] = [];
  for (const w of list) if (w && !out.some((o) => o.source === w.source && o.line === w.line)) out.push(w);
  return out;
}
