/**
 * Subject layout of the log bus. Pure: no network, no I/O.
 *
 * Producers publish each log line to `<prefix>.<case>.<source>` (for example
 * `logs.shop-db.client%2Elog`). A server-side subject mapping with NATS's `partition()`
 * function files it as `<root>.<partition>.<case>.<source>`, so every line of one case lands
 * in the same partition, and each consumer filters on the partitions it owns.
 *
 * Case keys and source names are arbitrary text (paths, host names with dots), while a NATS
 * subject token may not contain `.`, whitespace, `*` or `>`. Tokens are therefore
 * percent-encoded for exactly those bytes (and `%` itself), which keeps them readable and
 * reversible.
 */
import { createHash } from 'node:crypto';

const NEEDS_ESCAPE = /[%.*>\s\u0000-\u001f\u007f]/gu;

/** Encodes one subject token. An empty value has no token form and is refused. */
export function encodeToken(value: string): string {
  if (value === '') throw new Error('a case key or source name cannot be empty');
  return value.replace(NEEDS_ESCAPE, (ch) => {
    const bytes = Buffer.from(ch, 'utf8');
    let out = '';
    for (const b of bytes) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    return out;
  });
}

/** Decodes a token written by `encodeToken` (or by a producer that follows the same rule). */
export function decodeToken(token: string): string {
  if (!token.includes('%')) return token;
  try {
    return decodeURIComponent(token);
  } catch {
    // A producer that escaped differently: keep the token as it is rather than drop the line.
    return token;
  }
}

/** The subject a producer publishes one line of `source` of case `key` to. */
export function inputSubject(prefix: string, key: string, source: string): string {
  return `${prefix}.${encodeToken(key)}.${encodeToken(source)}`;
}

/** The partitioned subject a line is stored under (what the mapping produces). */
export function partitionedSubject(root: string, partition: number, key: string, source: string): string {
  return `${root}.${partition}.${encodeToken(key)}.${encodeToken(source)}`;
}

/** The filter of one partition's consumer. */
export function partitionFilter(root: string, partition: number): string {
  return `${root}.${partition}.>`;
}

export interface LineAddress {
  partition: number;
  key: string;
  source: string;
}

/** Reads a partitioned subject back; undefined when it does not follow the layout. */
export function parsePartitionedSubject(subject: string, root: string): LineAddress | undefined {
  if (!subject.startsWith(root + '.')) return undefined;
  const rest = subject.slice(root.length + 1).split('.');
  if (rest.length !== 3) return undefined;
  const partition = Number(rest[0]);
  if (!Number.isInteger(partition) || partition < 0) return undefined;
  return { partition, key: decodeToken(rest[1]!), source: decodeToken(rest[2]!) };
}

/**
 * The partition NATS's `{{partition(n,1)}}` mapping gives a subject whose first wildcard
 * token is `token`: FNV-1a (32 bit) of the token's bytes, modulo n. A producer that cannot
 * rely on a server mapping computes the same number and publishes to the partitioned
 * subject itself, so both kinds of producer can feed one stream.
 */
export function partitionOf(token: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(token, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

/** The server configuration line that partitions `<prefix>.<case>.<source>` into n partitions. */
export function mappingConfig(prefix: string, root: string, partitions: number): string {
  return `mappings = { "${prefix}.*.*": "${root}.{{partition(${partitions},1)}}.{{wildcard(1)}}.{{wildcard(2)}}" }`;
}

/** Parses `0-3`, `1,4,6-7`; every partition must be below `count`. */
export function parsePartitionList(spec: string, count: number): number[] {
  const out = new Set<number>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`--partitions: "${part}" is not a number or a range like 0-3`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`--partitions: the range "${part}" runs backwards`);
    for (let p = from; p <= to; p++) {
      if (p >= count) throw new Error(`--partitions: partition ${p} does not exist (the stream has ${count}: 0-${count - 1})`);
      out.add(p);
    }
  }
  if (out.size === 0) throw new Error('--partitions: no partition given');
  return [...out].sort((a, b) => a - b);
}

/** What identifies an incident whatever consumer found it, and however often it was found. */
export interface IncidentIdentity {
  source: string;
  line: number;
  sqlstate: string;
  kind: string;
  time?: string;
}

/**
 * A deterministic id for an incident of a case: the same failure replayed after a consumer
 * restart gets the same id, which JetStream's duplicate window uses (`Nats-Msg-Id`) to drop
 * the second copy. Built from where the failure record is (source and line within the case),
 * not from anything a consumer numbers itself.
 */
export function incidentId(key: string, incident: IncidentIdentity): string {
  const material = [key, incident.source, String(incident.line), incident.sqlstate, incident.kind, incident.time ?? ''].join('\u0000');
  return createHash('sha256').update(material).digest('hex').slice(0, 32);
}
