import type { LogEvent } from '../events.js';
import type { Rule } from '../rules/types.js';
import { stacksOf } from './stacks.js';

/** A failure of the 08003 family while it is being gathered, before it is scored. */
export interface IncidentDraft {
  seq: number;
  /** The first record that showed the failure. */
  failure: LogEvent;
  /** Later records describing the same failure (a dbt summary repeating the error, a retry log line). */
  repeats: LogEvent[];
  /** Rules that fired on the failure records. */
  hits: Array<{ rule: Rule; event: LogEvent }>;
  sqlstate: string;
  kind: 'connection-lost' | 'session-state-lost';
  observed: Set<string>;
  stacks: Set<string>;
  key: string;
  lastLine: number;
  /** The last line of any of its records (also of those beyond the cap). */
  endLine: number;
  lastTs?: number;
  /**
   * Records beyond MAX_RECORDS_PER_INCIDENT: counted per rule (with the first such record as
   * the fact's witness when the rule had no earlier one), not kept.
   */
  overflow?: Map<Rule, { count: number; first: LogEvent }>;
}

/**
 * Records kept per incident: the failure, its repeats and their rule hits. A user rule that
 * matches every line of a busy log merges thousands of records into one incident; beyond
 * this many they are only counted (`stats.recordsCapped`, a warning), so memory and the
 * report stay bounded whatever a rule matches.
 */
export const MAX_RECORDS_PER_INCIDENT = 256;

export interface NeighbourDraft {
  event: LogEvent;
  rule: Rule;
}

/** Records of one failure closer than this (lines, or ms when both have times) are merged. */
const MERGE_LINES = 40;
const MERGE_MS = 10_000;
/** The same dbt model or ADF activity failing again within this span is the same incident. */
const MERGE_SAME_NODE_MS = 60 * 60_000;
/** The same session failing again this soon is the same failure cascading. */
const CASCADE_MS = 5_000;
/** Records this close are one failure whatever their wording. */
const ADJACENT_LINES = 2;

/**
 * Turns rule hits into incidents and neighbours. Several records often describe one failure
 * (a logger line plus its traceback, dbt's progress line and its summary block, ADF's JSON and
 * its monitor record); they are merged so one failure is one incident.
 */
export class IncidentTracker {
  private seq = 0;
  /** Recent incidents per source that a new record may still merge into. */
  private readonly recent = new Map<string, IncidentDraft[]>();
  /**
   * Open incidents per (case, dbt node or ADF activity), across sources: dbt.log and the
   * run_results.json of the same run describe one failure of a node. Bounded: the oldest go.
   */
  private readonly nodes = new Map<string, IncidentDraft>();

  /** `caseOf` keeps one case's node from merging with another case's. */
  constructor(private readonly caseOf: (source: string) => string = () => '') {}

  /** Returns the incident the event opened or joined, if it is a failure of the family. */
  observe(event: LogEvent, hits: Rule[]): { incident?: IncidentDraft; opened: boolean; neighbour?: NeighbourDraft } {
    const incidentRules = hits.filter((r) => r.incident);
    if (incidentRules.length === 0) {
      const nb = hits.find((r) => r.neighbour);
      return { opened: false, neighbour: nb ? { event, rule: nb } : undefined };
    }
    // Losing the connection outranks losing session state when both are seen in one record.
    const main = incidentRules.find((r) => r.incident!.kind === 'connection-lost') ?? incidentRules[0];
    const key = keyOf(event);
    const existing = this.sameNode(event, key) ?? this.findMergeTarget(event, key);
    if (existing) {
      if (existing.repeats.length + 1 < MAX_RECORDS_PER_INCIDENT) {
        existing.repeats.push(event);
        this.absorb(existing, event, hits);
      } else {
        this.overflow(existing, event, hits);
      }
      // A record naming the node joins a failure first seen without it: later records of the node find it.
      if (isNodeKey(key) && !isNodeKey(existing.key)) {
        existing.key = key;
        this.remember(existing);
      }
      return { incident: existing, opened: false };
    }
    const draft: IncidentDraft = {
      seq: ++this.seq,
      failure: event,
      repeats: [],
      hits: [],
      sqlstate: main.incident!.sqlstate,
      kind: main.incident!.kind,
      observed: new Set(),
      stacks: new Set(),
      key,
      lastLine: event.endLine,
      endLine: event.endLine,
      lastTs: event.ts,
    };
    this.absorb(draft, event, hits);
    const list = this.recent.get(event.source) ?? [];
    list.push(draft);
    if (list.length > 16) list.shift();
    this.recent.set(event.source, list);
    if (isNodeKey(key)) this.remember(draft);
    return { incident: draft, opened: true };
  }

  private nodeKey(draft: IncidentDraft): string {
    return `${this.caseOf(draft.failure.source)}\u0000${draft.key}`;
  }

  private remember(draft: IncidentDraft): void {
    const k = this.nodeKey(draft);
    this.nodes.delete(k);
    if (this.nodes.size >= NODES_CAP) this.nodes.delete(this.nodes.keys().next().value as string);
    this.nodes.set(k, draft);
  }

  /**
   * The open incident of the same node in the same case, from any source: the same invocation
   * (dbt's invocation id, when both records tell it) whenever it was logged, else within
   * MERGE_SAME_NODE_MS. Another invocation's failure of the node is another incident.
   */
  private sameNode(event: LogEvent, key: string): IncidentDraft | undefined {
    if (!isNodeKey(key)) return undefined;
    const d = this.nodes.get(`${this.caseOf(event.source)}\u0000${key}`);
    if (!d) return undefined;
    const a = invocationOf(event);
    const b = invocationOf(d.failure);
    if (a !== undefined && b !== undefined) return a === b ? d : undefined;
    // Without times (console output pasted without its date), the case is the run.
    if (event.ts === undefined || d.lastTs === undefined) return d;
    return Math.abs(event.ts - d.lastTs) <= MERGE_SAME_NODE_MS ? d : undefined;
  }

  /** Forget merge candidates (used when incidents are concluded on a stream). */
  forget(draft: IncidentDraft): void {
    if (isNodeKey(draft.key) && this.nodes.get(this.nodeKey(draft)) === draft) this.nodes.delete(this.nodeKey(draft));
    const list = this.recent.get(draft.failure.source);
    if (!list) return;
    const i = list.indexOf(draft);
    if (i >= 0) list.splice(i, 1);
  }

  /** Records merged into incidents beyond the cap, over the whole run, and per rule id. */
  recordsCapped = 0;
  readonly cappedByRule = new Map<string, number>();

  /** A record beyond the cap: what it says about the incident is kept, the record is counted. */
  private overflow(draft: IncidentDraft, event: LogEvent, hits: Rule[]): void {
    this.recordsCapped++;
    draft.overflow ??= new Map();
    for (const rule of hits) {
      const known = draft.overflow.get(rule);
      if (known) known.count++;
      else draft.overflow.set(rule, { count: 1, first: event });
      this.cappedByRule.set(rule.id, (this.cappedByRule.get(rule.id) ?? 0) + 1);
    }
    this.absorb(draft, event, []);
  }

  private absorb(draft: IncidentDraft, event: LogEvent, hits: Rule[]): void {
    for (const rule of hits) draft.hits.push({ rule, event });
    draft.endLine = Math.max(draft.endLine, event.endLine);
    for (const code of event.fields.sqlstates ?? []) draft.observed.add(code);
    for (const s of stacksOf(event)) draft.stacks.add(s);
    draft.lastLine = Math.max(draft.lastLine, event.endLine);
    if (event.ts !== undefined) draft.lastTs = event.ts;
    // A connection-lost record makes a session-state incident a lost connection.
    if (draft.kind === 'session-state-lost' && hits.some((r) => r.incident?.kind === 'connection-lost')) {
      draft.kind = 'connection-lost';
      draft.sqlstate = '08003';
    }
  }

  private findMergeTarget(event: LogEvent, key: string): IncidentDraft | undefined {
    const list = this.recent.get(event.source);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const d = list[i];
      // The same wording again, where nothing tells sessions apart, is another connection failing
      // the same way (a pool's idle clients, workers sharing a logger), not this one again: one
      // session's failure cascades through different wordings. Those stay apart, so a burst shows.
      if (repeatsWording(event, d)) continue;
      // A driver warning right before the job's error (or a retry line right after) is the same failure.
      const adjacent =
        event.line - d.lastLine <= ADJACENT_LINES &&
        event.format === d.failure.format &&
        sameSession(event, d.failure) &&
        !otherNode(key, d.key) &&
        (event.ts === undefined || d.lastTs === undefined || Math.abs(event.ts - d.lastTs) <= 1000);
      if (adjacent) return d;
      // One session's failure cascades (the FATAL, then "terminated unexpectedly", then "not
      // queryable"): the same session failing again within seconds is the same incident.
      const cascade =
        event.ts !== undefined &&
        d.lastTs !== undefined &&
        event.ts - d.lastTs <= CASCADE_MS &&
        event.ts >= d.lastTs &&
        !otherNode(key, d.key) &&
        identityOf(event) === identityOf(d.failure);
      if (cascade) return d;
      // Same-node records are matched by sameNode(), across sources.
      if (d.key !== key || isNodeKey(key)) continue;
      const bothTimed = event.ts !== undefined && d.lastTs !== undefined;
      const near = event.line - d.lastLine <= MERGE_LINES;
      if (bothTimed ? near && Math.abs(event.ts! - d.lastTs!) <= MERGE_MS : near) return d;
    }
    return undefined;
  }
}

const NODES_CAP = 4096;

function isNodeKey(key: string): boolean {
  return key.startsWith('node:');
}

/** Two records of different dbt nodes or ADF activities are never one failure, however close. */
function otherNode(a: string, b: string): boolean {
  return isNodeKey(a) && isNodeKey(b) && a !== b;
}

/** dbt's invocation id, which every dbt format carries (dbt.log through its header). */
function invocationOf(event: LogEvent): string | undefined {
  return event.format.startsWith('dbt-') ? event.fields.sessionId : undefined;
}

/** What makes two records the same failure: the dbt node or ADF activity, else the message. */
function keyOf(event: LogEvent): string {
  const f = event.fields;
  if (f.model) return `node:model:${f.model}`;
  if (f.activity) return `node:activity:${f.pipeline ?? ''}/${f.activity}`;
  // Different threads, processes or backends failing at once are different sessions (a burst).
  return `msg:${sessionOf(event) ?? ''}:${normalizeMessage(f.message ?? event.text)}`;
}

function sessionOf(event: LogEvent): string | undefined {
  const f = event.fields;
  // PgBouncer reuses a connection id for the next client: the client port tells them apart.
  if (f.sessionId !== undefined && f.clientPort !== undefined) return `${f.sessionId}:${f.clientPort}`;
  return f.thread ?? f.sessionId ?? (f.pid !== undefined ? String(f.pid) : undefined);
}

/** Session identity for cascades: the thread/process/backend, else the logger. */
function identityOf(event: LogEvent): string {
  return `${event.format}|${sessionOf(event) ?? event.fields.logger ?? ''}`;
}

/** The record says exactly what one of the draft's records said, and neither names its session. */
function repeatsWording(event: LogEvent, d: IncidentDraft): boolean {
  if (sessionOf(event) !== undefined || sessionOf(d.failure) !== undefined) return false;
  const wording = wordingOf(event);
  return wording === wordingOf(d.failure) || d.repeats.some((r) => wordingOf(r) === wording);
}

/**
 * A record's words without its header (time, level): what it says, not when. The format and
 * the exception class belong to it: a chained traceback repeats the message under another
 * class ("The above exception was the direct cause..."), which is the same failure.
 */
function wordingOf(event: LogEvent): string {
  return `${event.format}\u0000${event.fields.exception ?? ''}\u0000${event.fields.message ?? event.text.split('\n', 1)[0]}`;
}

/** Unknown identity on either side counts as the same session. */
function sameSession(a: LogEvent, b: LogEvent): boolean {
  const x = sessionOf(a);
  const y = sessionOf(b);
  return x === undefined || y === undefined || x === y;
}

function normalizeMessage(message: string): string {
  const firstLine = message.split('\n', 1)[0];
  return firstLine
    .replace(/^.*?(?:Error|Exception)\)?:?\s*/, '')
    .replace(/0x[0-9a-f]+|\d+/gi, '#')
    .slice(0, 120)
    .toLowerCase();
}
