/**
 * `pgtriage consume`: a partitioned, at-least-once consumer of a JetStream stream of log lines.
 *
 * Each owned partition has its own durable pull consumer and its own loop. Lines are fed, per
 * case, into the streaming library API (`createTriage`), in stream order. An incident is
 * published to the results subject with a deterministic `Nats-Msg-Id`, and the input is
 * acknowledged (AckAll) only up to the point that no open case still needs (see ack.ts), so a
 * consumer killed at any moment resumes from the ack floor, rebuilds its open cases from the
 * redelivered lines, and re-publishes the same incidents under the same ids, which the results
 * stream's duplicate window drops.
 *
 * Resuming: a durable pull consumer keeps messages that a dead process had received as
 * "pending" until their ack wait expires. Rather than wait, a starting consumer reads the ack
 * floor of the partition's newest consumer generation, creates the next generation starting
 * right after that floor, and deletes the older ones. A partition is owned by one process at a
 * time (a StatefulSet ordinal, say); two processes on one partition would fight over it.
 */
import type { JetStreamClient, JetStreamManager, JsMsg } from 'nats';
import { createTriage, type TriageOptions, type TriageStream } from '../index.js';
import type { Incident } from '../index.js';
import { reporters } from '../report/index.js';
import { renderOptions } from '../report/reporter.js';
import type { RulePack } from '../rules/types.js';
import { PartitionAcks } from './ack.js';
import { ensureResultsStream, nextGeneration, retry, sleep } from './jetstream.js';
import { encodeToken, incidentId, parsePartitionedSubject } from './subjects.js';

export interface ConsumeOptions {
  servers: string[];
  /** The input stream (its subjects cover `<root>.>`). */
  stream: string;
  /** Root of the partitioned subjects: `<root>.<partition>.<case>.<source>`. */
  root: string;
  partitions: number[];
  /** Incidents go to `<resultsSubject>.<case>`. */
  resultsSubject: string;
  /** The stream that keeps results (created when missing, with a duplicate window). */
  resultsStream: string;
  /** Replicas for the streams this command creates. */
  replicas: number;
  /** Durable consumer names are `<durable>-p<partition>-g<generation>`. */
  durable: string;
  /** Pull batch size: how many lines are in flight per partition (the back-pressure). */
  batch: number;
  /** A case with no new line for this long (wall clock) is concluded and its session ended. */
  caseIdleMs: number;
  /** Duplicate window of the results stream (must exceed the longest replay). */
  duplicateWindowMs: number;
  pack: RulePack;
  triage?: Omit<TriageOptions, 'pack' | 'rules' | 'noDefaultRules'>;
  /** Mask secrets in published incidents (default true). */
  redact?: boolean;
  signal?: AbortSignal;
  /** Every published result (after its PubAck), e.g. to print ndjson. */
  onResult?: (result: BusResult, duplicate: boolean) => void;
  log?: (message: string) => void;
}

/** What is published per incident: the ndjson incident line plus where it belongs. */
export interface BusResult {
  type: 'incident';
  busId: string;
  case: string;
  partition: number;
  incident: Record<string, unknown>;
}

export interface PartitionStats {
  partition: number;
  linesFed: number;
  redeliveriesSkipped: number;
  foreignSubjects: number;
  casesConcluded: number;
  incidentsPublished: number;
  duplicatesDropped: number;
  ackedThrough: number;
}

interface OpenCase {
  key: string;
  stream: TriageStream;
  ready: Incident[];
  drained: Promise<void>;
  lastArrival: number;
  /** Stream sequence of the session's first line: names lines when the producer did not number them. */
  firstSeq: number;
  /** Per source: file line number minus session line number, when the producer sent `Pgtriage-Line`. */
  offsets: Map<string, number | undefined>;
  markerSent: boolean;
}

/** Header a producer may set: the line's 1-based number in its source file. */
export const LINE_HEADER = 'Pgtriage-Line';
/** Source token of a case-boundary marker ("\0" cannot be a file name). */
export const MARKER_SOURCE_TOKEN = '%00';


/** Runs until the signal aborts; resolves with per-partition counters. */
export async function consume(options: ConsumeOptions): Promise<PartitionStats[]> {
  const nats = await import('nats');
  const log = options.log ?? (() => {});
  const nc = await nats.connect({
    servers: options.servers,
    name: `pgtriage-consume-${options.partitions.join(',')}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  });
  const jsm = await retry(() => nc.jetstreamManager(), options.signal, log);
  const js = nc.jetstream();
  await ensureResultsStream(jsm, options);
  try {
    return await Promise.all(options.partitions.map((p) => runPartition(jsm, js, p, options, log, nats)));
  } finally {
    await nc.drain().catch(() => nc.close());
  }
}

async function runPartition(
  jsm: JetStreamManager,
  js: JetStreamClient,
  partition: number,
  options: ConsumeOptions,
  log: (m: string) => void,
  nats: typeof import('nats'),
): Promise<PartitionStats> {
  const { name, floor } = await retry(() => nextGeneration(jsm, partition, options, nats), options.signal, log);
  log(`partition ${partition}: consumer ${name} resumes after stream sequence ${floor}`);
  const acks = new PartitionAcks<JsMsg>(floor);
  const cases = new Map<string, OpenCase>();
  const stats: PartitionStats = {
    partition,
    linesFed: 0,
    redeliveriesSkipped: 0,
    foreignSubjects: 0,
    casesConcluded: 0,
    incidentsPublished: 0,
    duplicatesDropped: 0,
    ackedThrough: floor,
  };
  const render = renderOptions({ redact: options.redact ?? true });
  const renderIncident = reporters.ndjson.renderIncident!;

  const publish = async (open: OpenCase) => {
    const key = open.key;
    for (const incident of open.ready.splice(0)) {
      const line = JSON.parse(renderIncident(incident, render)) as Record<string, unknown>;
      shiftLines(line, open.offsets);
      const shifted = line as { source: string; line: number };
      const numbered = open.offsets.get(incident.source) !== undefined;
      const busId = incidentId(key, {
        source: incident.source,
        line: shifted.line,
        sqlstate: incident.sqlstate,
        kind: incident.kind,
        time: numbered ? incident.time : `${incident.time ?? ''}@${open.firstSeq}`,
      });
      const result: BusResult = { type: 'incident', busId, case: key, partition, incident: line };
      const ack = await retry(
        () => js.publish(`${options.resultsSubject}.${encodeToken(key)}`, JSON.stringify(result), { msgID: busId, expect: { streamName: options.resultsStream } }),
        options.signal,
        log,
        true,
      );
      if (ack.duplicate) stats.duplicatesDropped++;
      else stats.incidentsPublished++;
      options.onResult?.(result, ack.duplicate);
    }
  };

  const conclude = async (open: OpenCase) => {
    open.stream.end();
    await open.drained;
    await publish(open);
    cases.delete(open.key);
    acks.closed(open.key);
    stats.casesConcluded++;
  };

  const ackSafePoint = async () => {
    const point = acks.ackable();
    if (!point) return;
    try {
      await point.handle.ackAck();
      acks.markAcked(point.seq);
      stats.ackedThrough = point.seq;
    } catch (error) {
      // Not acknowledged now means redelivered later: safe, only slower. Try again next round.
      log(`partition ${partition}: ack of ${point.seq} failed (${(error as Error).message}); will retry`);
    }
  };

  const consumer = await retry(() => js.consumers.get(options.stream, name), options.signal, log);
  while (!options.signal?.aborted) {
    let batch: AsyncIterable<JsMsg>;
    try {
      batch = await consumer.fetch({ max_messages: options.batch, expires: 1000 });
      for await (const msg of batch) {
        const seq = msg.info.streamSequence;
        if (!acks.isNew(seq)) {
          stats.redeliveriesSkipped++;
          continue;
        }
        const address = parsePartitionedSubject(msg.subject, options.root);
        if (!address) {
          stats.foreignSubjects++;
          acks.processed(seq, msg, undefined);
          continue;
        }
        if (address.source === '\u0000') {
          // A case boundary: the session ends here, at a place in the stream that a replay
          // meets again, so a replayed case is cut into the same sessions as the first time.
          acks.processed(seq, msg, undefined);
          const open = cases.get(address.key);
          if (open) await conclude(open);
          continue;
        }
        let open = cases.get(address.key);
        if (!open) {
          open = await openCase(address.key, seq, options);
          cases.set(address.key, open);
        }
        acks.processed(seq, msg, address.key);
        open.lastArrival = Date.now();
        if (!open.offsets.has(address.source)) {
          const numbered = Number(msg.headers?.get(LINE_HEADER));
          open.offsets.set(address.source, Number.isInteger(numbered) && numbered > 0 ? numbered - 1 : undefined);
        }
        open.stream.push(Buffer.concat([msg.data, NEWLINE]), address.source);
        stats.linesFed++;
        if (options.signal?.aborted) break;
      }
    } catch (error) {
      if (options.signal?.aborted) break;
      log(`partition ${partition}: fetch failed (${(error as Error).message}); retrying`);
      await sleep(500, options.signal);
      continue;
    }
    // Let the cases' incident iterators run, then publish what concluded mid-stream.
    await new Promise((resolve) => setImmediate(resolve));
    for (const open of cases.values()) if (open.ready.length) await publish(open);
    const now = Date.now();
    for (const open of cases.values()) {
      if (open.markerSent || now - open.lastArrival < options.caseIdleMs) continue;
      // The case went quiet: mark its end in the partition itself rather than ending it
      // here, so that where the session ends is part of the stream (see above).
      await retry(() => js.publish(`${options.root}.${partition}.${encodeToken(open.key)}.${MARKER_SOURCE_TOKEN}`, new Uint8Array()), options.signal, log, true);
      open.markerSent = true;
    }
    await ackSafePoint();
  }
  // Stopping (SIGTERM): open cases are not concluded early, which would cut them short; their
  // lines stay unacknowledged and the next owner of the partition replays them whole.
  for (const open of cases.values()) if (open.ready.length) await publish(open).catch(() => {});
  await ackSafePoint();
  log(`partition ${partition}: stopped with ${cases.size} open case(s) left for the next owner`);
  return stats;
}

const NEWLINE = Buffer.from('\n');

async function openCase(key: string, firstSeq: number, options: ConsumeOptions): Promise<OpenCase> {
  const stream = await createTriage({ ...options.triage, pack: options.pack });
  const ready: Incident[] = [];
  const drained = (async () => {
    for await (const incident of stream) ready.push(incident);
  })();
  return { key, stream, ready, drained, lastArrival: Date.now(), firstSeq, offsets: new Map(), markerSent: false };
}

/**
 * Turns session line numbers into file line numbers wherever a rendered incident names a
 * source and a line (the failure, its evidence, facts' witnesses), for the sources whose
 * producer numbered its lines.
 */
export function shiftLines(value: unknown, offsets: ReadonlyMap<string, number | undefined>): void {
  if (Array.isArray(value)) {
    for (const item of value) shiftLines(item, offsets);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  const source = typeof record.source === 'string' ? record.source : typeof record.file === 'string' ? record.file : undefined;
  const offset = source === undefined ? undefined : offsets.get(source);
  if (offset) {
    for (const field of ['line', 'endLine', 'startLine']) if (typeof record[field] === 'number') (record[field] as number) += offset;
  }
  for (const child of Object.values(record)) if (child && typeof child === 'object') shiftLines(child, offsets);
}
