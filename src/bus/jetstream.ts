/**
 * JetStream administration for the consumer: the results stream, the partition's consumer
 * generations (resuming after the newest one's ack floor) and retrying while the cluster elects
 * a leader. Apart from consumer.ts, which feeds lines to cases and publishes what they conclude.
 */
import type { JetStreamManager } from 'nats';
import type { ConsumeOptions } from './consumer.js';
import { partitionFilter } from './subjects.js';

const NANOS_PER_MS = 1_000_000;
/** A message a dead process had received stays pending this long; a new generation does not wait for it. */
const ACK_WAIT_MS = 60 * 60 * 1000;

export async function ensureResultsStream(jsm: JetStreamManager, options: ConsumeOptions): Promise<void> {
  const subjects = [`${options.resultsSubject}.>`];
  await retry(async () => {
    try {
      await jsm.streams.info(options.resultsStream);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await jsm.streams.add({
        name: options.resultsStream,
        subjects,
        num_replicas: options.replicas,
        duplicate_window: options.duplicateWindowMs * NANOS_PER_MS,
      });
    }
  }, options.signal, options.log ?? (() => {}));
}

/**
 * Creates the partition's next consumer generation, starting right after the newest
 * generation's ack floor, and removes the older generations.
 */
export async function nextGeneration(
  jsm: JetStreamManager,
  partition: number,
  options: ConsumeOptions,
  nats: typeof import('nats'),
): Promise<{ name: string; floor: number }> {
  const prefix = `${options.durable}-p${partition}-g`;
  const existing: { name: string; generation: number; floor: number }[] = [];
  for await (const info of jsm.consumers.list(options.stream)) {
    const name = info.name;
    if (!name.startsWith(prefix)) continue;
    const generation = Number(name.slice(prefix.length));
    if (Number.isInteger(generation)) existing.push({ name, generation, floor: info.ack_floor.stream_seq });
  }
  existing.sort((a, b) => b.generation - a.generation);
  const newest = existing[0];
  const floor = newest?.floor ?? 0;
  const generation = (newest?.generation ?? 0) + 1;
  const name = `${prefix}${generation}`;
  await jsm.consumers.add(options.stream, {
    durable_name: name,
    ack_policy: nats.AckPolicy.All,
    ack_wait: ACK_WAIT_MS * NANOS_PER_MS,
    max_ack_pending: -1,
    filter_subject: partitionFilter(options.root, partition),
    ...(floor > 0
      ? { deliver_policy: nats.DeliverPolicy.StartSequence, opt_start_seq: floor + 1 }
      : { deliver_policy: nats.DeliverPolicy.All }),
  });
  // Only once the new generation exists are the older ones removed: a crash in between leaves
  // two generations, and the next start again takes the newest.
  for (const old of existing) await jsm.consumers.delete(options.stream, old.name).catch(() => false);
  return { name, floor };
}

export function isNotFound(error: unknown): boolean {
  const e = error as { code?: string; api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10059 || e?.code === '404' || /not found/i.test(e?.message ?? '');
}

/**
 * Retries an operation while the cluster elects a leader or a node is away (timeouts, "no
 * responders"); gives up only when stopped. `forever` keeps trying for results that must not be
 * lost; otherwise the last error is thrown after a minute.
 */
export async function retry<T>(op: () => Promise<T>, signal: AbortSignal | undefined, log: (m: string) => void, forever = false): Promise<T> {
  const started = Date.now();
  let wait = 100;
  for (;;) {
    try {
      return await op();
    } catch (error) {
      if (signal?.aborted && !forever) throw error;
      if (!forever && Date.now() - started > 60_000) throw error;
      if (isNotFound(error) && !forever) throw error;
      log(`retrying after: ${(error as Error).message}`);
      await sleep(wait, undefined);
      wait = Math.min(wait * 2, 2000);
    }
  }
}

export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
