/**
 * Each record quoted once. An incident's evidence lines and its causes' evidence items point
 * at the same records many times over (one per rule and cause); a reader wants each record
 * once, with every rule hit that cites it as a one-liner under it.
 */
import type { CauseEvidence, EvidenceLine, Incident, RankedCause } from '../report-types.js';

/** One rule's contribution to the causes it bears on, for one record. */
export interface Citation {
  ruleId: string;
  reason: string;
  /** Per cause the rule moved: its signed log10 weight. */
  effects: Array<{ cause: string; weight: number }>;
  /** The `when:` condition that held, when the rule had one. */
  condition?: string;
  /** What the rule quoted when it is not part of the record (the values a condition read). */
  text?: string;
}

export interface QuotedRecord {
  source: string;
  line: number;
  endLine: number;
  text: string;
  time?: string;
  timeNaive?: boolean;
  role: EvidenceLine['role'];
  origin?: EvidenceLine['origin'];
  /** Rule hits and facts that cite this record. */
  citations: Citation[];
  /** Rules that fired on the record without moving a listed cause (why it is in the family...). */
  otherRules: string[];
}

const key = (source: string, line: number): string => `${source}\u0000${line}`;

/**
 * The records of an incident, each once: the failure record first, then the records the
 * given causes' evidence cites, in time order. Without `all`, context lines that no listed
 * cause cites are left out (they are in the JSON and under `--explain`).
 */
export function quotedRecords(incident: Incident, causes: readonly RankedCause[], all: boolean): QuotedRecord[] {
  const records = new Map<string, QuotedRecord>();
  const order: QuotedRecord[] = [];
  const add = (r: QuotedRecord): QuotedRecord => {
    records.set(key(r.source, r.line), r);
    order.push(r);
    return r;
  };
  for (const e of incident.evidence) {
    if (records.has(key(e.source, e.line))) continue;
    add({
      source: e.source,
      line: e.line,
      endLine: e.endLine,
      text: e.text,
      ...(e.time ? { time: e.time } : {}),
      ...(e.timeNaive ? { timeNaive: true } : {}),
      role: e.role,
      origin: e.origin,
      citations: [],
      otherRules: [...(e.rules ?? [])],
    });
  }
  if (!records.has(key(incident.source, incident.line))) {
    order.unshift({ source: incident.source, line: incident.line, endLine: incident.endLine, text: incident.message, role: 'failure', citations: [], otherRules: [] });
    records.set(key(incident.source, incident.line), order[0]!);
  }
  for (const cause of causes) {
    const items: CauseEvidence[] = [...cause.evidence];
    for (const c of cause.contradicting) if (!items.includes(c) && !items.some((x) => sameItem(x, c))) items.push(c);
    for (const ev of items) {
      const rec = records.get(key(ev.source, ev.line)) ?? add({ source: ev.source, line: ev.line, endLine: ev.line, text: ev.text, role: 'context', citations: [], otherRules: [] });
      let cite = rec.citations.find((c) => c.ruleId === ev.ruleId);
      if (!cite) {
        cite = {
          ruleId: ev.ruleId,
          reason: ev.reason,
          effects: [],
          ...(ev.condition ? { condition: ev.condition } : {}),
          ...(ev.text && !rec.text.includes(ev.text) ? { text: ev.text } : {}),
        };
        rec.citations.push(cite);
      }
      if (!cite.effects.some((e) => e.cause === cause.id)) cite.effects.push({ cause: cause.id, weight: ev.direction === 'against' ? -Math.abs(ev.weight) : ev.weight });
    }
  }
  for (const r of order) r.otherRules = r.otherRules.filter((id) => !r.citations.some((c) => c.ruleId === id));
  const failure = order.filter((r) => r.role === 'failure' && r.source === incident.source && r.line === incident.line);
  const rest = order
    .filter((r) => !failure.includes(r))
    .filter((r) => all || r.citations.length > 0)
    .sort((a, b) => (a.time && b.time && a.time !== b.time ? (a.time < b.time ? -1 : 1) : 0));
  return [...failure, ...rest];
}

function sameItem(a: CauseEvidence, b: CauseEvidence): boolean {
  return a.source === b.source && a.line === b.line && a.ruleId === b.ruleId && a.direction === b.direction;
}

/** A shortened record: the lines kept, each with how many lines were skipped before it. */
export interface Excerpt {
  lines: Array<{ text: string; skippedBefore: number }>;
  /** Lines skipped after the last kept one. */
  skippedAfter: number;
}

/**
 * The lines of a record worth showing when it must stay short: its first line, the first
 * line that carries the failure message (`needle`), and the last non-blank line (tracebacks
 * put the exception last). Everything else is counted, never silently dropped.
 */
export function recordExcerpt(text: string, maxLines: number, needle?: string): Excerpt {
  const lines = text.split('\n');
  if (lines.length <= maxLines) return { lines: lines.map((l) => ({ text: l, skippedBefore: 0 })), skippedAfter: 0 };
  const keep = new Set<number>([0]);
  const probe = needle?.split('\n', 1)[0]?.trim();
  if (probe) {
    const at = lines.findIndex((l, i) => i > 0 && l.includes(probe));
    if (at > 0) keep.add(at);
  }
  let last = lines.length - 1;
  while (last > 0 && lines[last]!.trim() === '') last--;
  if (keep.size < maxLines) keep.add(last);
  for (let i = 1; keep.size < maxLines && i < lines.length; i++) keep.add(i);
  const kept = [...keep].sort((a, b) => a - b);
  let prev = -1;
  const out = kept.map((i) => {
    const item = { text: lines[i]!, skippedBefore: i - prev - 1 };
    prev = i;
    return item;
  });
  return { lines: out, skippedAfter: lines.length - 1 - prev };
}
