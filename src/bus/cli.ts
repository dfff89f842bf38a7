/**
 * The `consume` and `publish` subcommands: arguments, help, signals and exit codes. The bus
 * logic lives in consumer.ts and publisher.ts; this file is the terminal side.
 */
import { parseArgs } from 'node:util';
import { expandInputs } from '../input/sources.js';
import { DEFAULT_RULES_DIR, loadRulePacks } from '../input/rule-files.js';
import { parseDuration } from '../rules/duration.js';
import { sanitizeLine } from '../report/sanitize.js';
import { casesFromSources, publish } from './publisher.js';
import { parsePartitionList } from './subjects.js';

export const CONSUME_HELP = `Usage: pgtriage consume [options]

Reads log lines from a NATS JetStream stream, partitioned by case, and publishes each incident
as JSON to a results subject. At-least-once: input is acknowledged only once no open case
needs it, and results carry a deterministic Nats-Msg-Id so replays are dropped as duplicates.
See docs/scale-out.md.

Options:
  --servers URLS          NATS servers, comma-separated (default nats://127.0.0.1:4222)
  --stream NAME           input stream (default PGTRIAGE_LOGS; created when missing)
  --root SUBJECT          partitioned subjects <root>.<partition>.<case>.<source> (default plogs)
  --partition-count N     partitions of the stream (default 4)
  --partitions LIST       partitions this process owns, e.g. 0-3 or 1,3 (default all)
  --results SUBJECT       results go to <SUBJECT>.<case> (default pgtriage.results)
  --results-stream NAME   stream keeping results (default PGTRIAGE_RESULTS; created when missing)
  --replicas N            replicas of the streams this command creates (default 1; 3 on a cluster)
  --durable NAME          durable consumer names <NAME>-p<partition>-g<generation> (default pgtriage)
  --batch N               lines pulled per request per partition (default 256)
  --case-idle DUR         conclude a case after this quiet time (default 5s)
  --duplicate-window DUR  duplicate window of a results stream this command creates (default 10m)
  --rules DIR             add a rule pack (repeatable)
  --no-redact             keep secrets in published incidents
  --ndjson                also print each new result on stdout, one JSON line
  -h, --help              this help

Stops cleanly on SIGTERM or SIGINT: open cases are left unacknowledged for the next owner.
Exit codes: 0 stopped cleanly, 2 usage or connection error.
`;

export const PUBLISH_HELP = `Usage: pgtriage publish [options] <file|dir|glob|->...

Publishes the lines of logs to the log bus, one message per line, on <prefix>.<case>.<source>
(a server subject mapping partitions them), for demos and tests.

Options:
  --servers URLS          NATS servers, comma-separated (default nats://127.0.0.1:4222)
  --stream NAME           input stream, created when missing (default PGTRIAGE_LOGS)
  --prefix SUBJECT        subject prefix the mapping partitions (default logs)
  --root SUBJECT          partitioned subject root, for --direct and stream creation (default plogs)
  --direct N              publish straight to <root>.<partition> with N partitions (no mapping)
  --key KEY               case key for every input (default: each file's directory)
  --replicas N            replicas if the stream is created (default 1)
  --no-end-marker         do not mark the end of each case after its files
  -h, --help              this help
`;

function list(value: string | undefined, fallback: string): string[] {
  return (value ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new BusUsageError(`${name} expects a positive whole number, got "${value}"`);
  return n;
}

function duration(name: string, value: string | undefined, fallback: string): number {
  const ms = parseDuration(value ?? fallback);
  if (ms === undefined || ms <= 0) throw new BusUsageError(`${name} expects a duration like 5s or 10m, got "${value}"`);
  return ms;
}

export class BusUsageError extends Error {}

/** Runs `pgtriage consume|publish ARGS`; returns the exit code. */
export async function runBusCommand(command: 'consume' | 'publish', argv: string[]): Promise<number> {
  const err = (text: string) => process.stderr.write(`pgtriage ${command}: ${sanitizeLine(text)}\n`);
  try {
    return command === 'consume' ? await runConsume(argv, err) : await runPublish(argv, err);
  } catch (error) {
    err((error as Error).message ?? String(error));
    if (error instanceof BusUsageError) process.stderr.write(`Try 'pgtriage ${command} --help'.\n`);
    return 2;
  }
}

async function runConsume(argv: string[], err: (t: string) => void): Promise<number> {
  const { values } = parseArgsOrUsage(argv, {
    servers: { type: 'string' },
    stream: { type: 'string' },
    root: { type: 'string' },
    'partition-count': { type: 'string' },
    partitions: { type: 'string' },
    results: { type: 'string' },
    'results-stream': { type: 'string' },
    replicas: { type: 'string' },
    durable: { type: 'string' },
    batch: { type: 'string' },
    'case-idle': { type: 'string' },
    'duplicate-window': { type: 'string' },
    rules: { type: 'string', multiple: true },
    'no-redact': { type: 'boolean' },
    ndjson: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, false);
  if (values.help) {
    process.stdout.write(CONSUME_HELP);
    return 0;
  }
  const count = positive('--partition-count', values['partition-count'] as string | undefined, 4);
  const partitions = values.partitions ? parsePartitionList(values.partitions as string, count) : [...Array(count).keys()];
  const pack = await loadRulePacks([DEFAULT_RULES_DIR, ...((values.rules as string[] | undefined) ?? [])]);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const { consume } = await import('./consumer.js');
  const stream = (values.stream as string | undefined) ?? 'PGTRIAGE_LOGS';
  const root = (values.root as string | undefined) ?? 'plogs';
  const servers = list(values.servers as string | undefined, 'nats://127.0.0.1:4222');
  const replicas = positive('--replicas', values.replicas as string | undefined, 1);
  await ensureInputStream(servers, stream, root, replicas);
  const stats = await consume({
    servers,
    stream,
    root,
    partitions,
    resultsSubject: (values.results as string | undefined) ?? 'pgtriage.results',
    resultsStream: (values['results-stream'] as string | undefined) ?? 'PGTRIAGE_RESULTS',
    replicas,
    durable: (values.durable as string | undefined) ?? 'pgtriage',
    batch: positive('--batch', values.batch as string | undefined, 256),
    caseIdleMs: duration('--case-idle', values['case-idle'] as string | undefined, '5s'),
    duplicateWindowMs: duration('--duplicate-window', values['duplicate-window'] as string | undefined, '10m'),
    pack,
    redact: !values['no-redact'],
    signal: controller.signal,
    onResult: values.ndjson ? (result, duplicate) => { if (!duplicate) process.stdout.write(JSON.stringify(result) + '\n'); } : undefined,
    log: (m) => err(m),
  });
  for (const s of stats) {
    err(`partition ${s.partition}: ${s.linesFed} lines, ${s.casesConcluded} cases concluded, ${s.incidentsPublished} incidents published (${s.duplicatesDropped} duplicates dropped), acked through ${s.ackedThrough}`);
  }
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);
  return 0;
}

async function ensureInputStream(servers: string[], stream: string, root: string, replicas: number): Promise<void> {
  const nats = await import('nats');
  const nc = await nats.connect({ servers, name: 'pgtriage-setup' });
  try {
    const jsm = await nc.jetstreamManager();
    try {
      await jsm.streams.info(stream);
    } catch {
      await jsm.streams.add({ name: stream, subjects: [`${root}.>`], num_replicas: replicas });
    }
  } finally {
    await nc.close();
  }
}

async function runPublish(argv: string[], err: (t: string) => void): Promise<number> {
  const { values, positionals } = parseArgsOrUsage(argv, {
    servers: { type: 'string' },
    stream: { type: 'string' },
    prefix: { type: 'string' },
    root: { type: 'string' },
    direct: { type: 'string' },
    key: { type: 'string' },
    replicas: { type: 'string' },
    'no-end-marker': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, true);
  if (values.help) {
    process.stdout.write(PUBLISH_HELP);
    return 0;
  }
  const inputs = positionals.length ? positionals : process.stdin.isTTY ? [] : ['-'];
  if (!inputs.length) throw new BusUsageError('no input: give log files, directories or globs, or pipe a log into stdin');
  const entries: { source: import('../input/sources.js').Source; root?: string }[] = [];
  let failed = false;
  for (const input of inputs) {
    const { sources, problems } = await expandInputs([input], () => process.stdin);
    for (const p of problems) {
      err(`${p.input}: ${p.message}`);
      failed = true;
    }
    for (const source of sources) entries.push({ source, root: input === '-' ? undefined : input });
  }
  const root = (values.root as string | undefined) ?? 'plogs';
  const direct = values.direct === undefined ? undefined : positive('--direct', values.direct as string, 1);
  const stats = await publish(casesFromSources(entries, values.key as string | undefined), {
    servers: list(values.servers as string | undefined, 'nats://127.0.0.1:4222'),
    stream: (values.stream as string | undefined) ?? 'PGTRIAGE_LOGS',
    createStream: { root, replicas: positive('--replicas', values.replicas as string | undefined, 1) },
    prefix: (values.prefix as string | undefined) ?? 'logs',
    partitionDirect: direct ? { root, count: direct } : undefined,
    endMarker: !values['no-end-marker'],
    log: err,
  });
  err(`published ${stats.lines} lines of ${stats.cases} case(s)${stats.duplicates ? ` (${stats.duplicates} already stored)` : ''}`);
  return failed ? 2 : 0;
}

function parseArgsOrUsage(argv: string[], options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new BusUsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}
