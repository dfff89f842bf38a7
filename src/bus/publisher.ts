/**
 * `pgtriage publish`: reads files, globs and stdin like the CLI and publishes their lines to
 * the log bus, one message per line, for demos and tests (real deployments use a log shipper:
 * see docs/scale-out.md).
 *
 * Lines of one source are published one after the other, each only once the previous one was
 * stored: a retried publish after a lost acknowledgement can then never overtake a later line,
 * and its `Nats-Msg-Id` makes the stream drop the copy. Each message carries its line number
 * (`Pgtriage-Line`), so incidents name the file's own lines whatever consumer reads them.
 */
import path from 'node:path';
import type { JetStreamClient } from 'nats';
import { createHash } from 'node:crypto';
import type { Source } from '../input/sources.js';
import { LINE_HEADER, MARKER_SOURCE_TOKEN } from './consumer.js';
import { encodeToken, partitionOf } from './subjects.js';

export interface PublishOptions {
  servers: string[];
  stream: string;
  /** Create the input stream when it is missing, with this many replicas. */
  createStream?: { root: string; replicas: number };
  /** `<prefix>.<case>.<source>`: partitioned by the server's subject mapping. */
  prefix: string;
  /** Publish straight to `<root>.<partition>.<case>.<source>` instead (no server mapping). */
  partitionDirect?: { root: string; count: number };
  /** Mark each case's end after its sources, so consumers conclude it without waiting. */
  endMarker: boolean;
  log?: (message: string) => void;
}

export interface CaseInput {
  key: string;
  /** Source name within the case, and the source to read. */
  sources: { name: string; source: Source }[];
}

/** Groups expanded sources into cases: a fixed key, or each file's directory relative to the input it came from. */
export function casesFromSources(entries: { source: Source; root?: string }[], fixedKey?: string): CaseInput[] {
  const cases = new Map<string, CaseInput>();
  for (const { source, root } of entries) {
    const dir = path.dirname(source.name);
    let key = fixedKey;
    let name = path.basename(source.name);
    if (source.name === '<stdin>') {
      key ??= 'stdin';
      name = 'stdin';
    }
    if (key === undefined) {
      const relative = root ? path.relative(root, dir) : '';
      key = relative && !relative.startsWith('..') ? relative.split(path.sep).join('/') : path.basename(path.resolve(dir));
    }
    let entry = cases.get(key);
    if (!entry) cases.set(key, (entry = { key, sources: [] }));
    entry.sources.push({ name, source });
  }
  return [...cases.values()];
}

export interface PublishStats {
  cases: number;
  lines: number;
  duplicates: number;
}

export async function publish(cases: CaseInput[], options: PublishOptions): Promise<PublishStats> {
  const nats = await import('nats');
  const nc = await nats.connect({ servers: options.servers, name: 'pgtriage-publish', maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  const stats: PublishStats = { cases: 0, lines: 0, duplicates: 0 };
  try {
    const js = nc.jetstream();
    if (options.createStream) {
      const jsm = await nc.jetstreamManager();
      try {
        await jsm.streams.info(options.stream);
      } catch {
        await jsm.streams.add({ name: options.stream, subjects: [`${options.createStream.root}.>`], num_replicas: options.createStream.replicas });
      }
    }
    for (const entry of cases) {
      const keyToken = encodeToken(entry.key);
      const base = options.partitionDirect
        ? `${options.partitionDirect.root}.${partitionOf(keyToken, options.partitionDirect.count)}.${keyToken}`
        : `${options.prefix}.${keyToken}`;
      for (const { name, source } of entry.sources) {
        const subject = `${base}.${encodeToken(name)}`;
        let number = 0;
        // A message must fit the server's max_payload; the analysis cuts long lines anyway.
        const maxLine = Math.max(1024, (nc.info?.max_payload ?? 1024 * 1024) - 4096);
        for await (const whole of lines(source)) {
          const line = whole.length > maxLine ? whole.subarray(0, maxLine) : whole;
          number++;
          const h = nats.headers();
          h.set(LINE_HEADER, String(number));
          const id = createHash('sha256').update(`${entry.key}\u0000${name}\u0000${number}`).digest('hex').slice(0, 32);
          const ack = await storeOnce(js, subject, line, { msgID: id, headers: h }, options.log);
          if (ack.duplicate) stats.duplicates++;
          stats.lines++;
        }
      }
      if (options.endMarker) {
        const id = createHash('sha256').update(`${entry.key}\u0000end`).digest('hex').slice(0, 32);
        await storeOnce(js, `${base}.${MARKER_SOURCE_TOKEN}`, new Uint8Array(), { msgID: id }, options.log);
      }
      stats.cases++;
    }
  } finally {
    await nc.drain().catch(() => nc.close());
  }
  return stats;
}

async function storeOnce(
  js: JetStreamClient,
  subject: string,
  data: Uint8Array,
  opts: { msgID: string; headers?: import('nats').MsgHdrs },
  log?: (m: string) => void,
) {
  let wait = 100;
  for (;;) {
    try {
      return await js.publish(subject, data, opts);
    } catch (error) {
      log?.(`publish to ${subject} failed (${(error as Error).message}); retrying`);
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 2000);
    }
  }
}

/** The lines of a source without their line ends (a final line without one included). */
async function* lines(source: Source): AsyncGenerator<Uint8Array> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of source.open()) {
    let data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      yield data.subarray(start, nl);
      start = nl + 1;
    }
    rest = Buffer.from(data.subarray(start));
    data = Buffer.alloc(0);
  }
  if (rest.length) yield rest;
}
