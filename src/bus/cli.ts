/**
 * The `consume` and `publish` subcommands: help, signals and exit codes. Their options come from
 * the CLI's option table (parsed, checked, merged with config files there); the bus logic lives
 * in consumer.ts and publisher.ts; this file is the terminal side.
 */
import { optionsHelp, type Settings } from '../cli/args.js';
import { expandInputs } from '../input/sources.js';
import { DEFAULT_RULES_DIR, loadRulePacks } from '../input/rule-files.js';
import { parseDuration } from '../rules/duration.js';
import { sanitizeLine } from '../report/sanitize.js';
import { casesFromSources, publish } from './publisher.js';
import { parsePartitionList } from './subjects.js';

const ABOUT = {
  consume: `Usage: pgtriage consume [options]

Reads log lines from a NATS JetStream stream, partitioned by case, and publishes each incident
as JSON to a results subject. At-least-once: input is acknowledged only once no open case
needs it, and results carry a deterministic Nats-Msg-Id so replays are dropped as duplicates.
See docs/scale-out.md.
`,
  publish: `Usage: pgtriage publish [options] <file|dir|glob|->...

Publishes the lines of logs to the log bus, one message per line, on <prefix>.<case>.<source>
(a server subject mapping partitions them), for demos and tests.
`,
} as const;

const FOOT = {
  consume: `Stops cleanly on SIGTERM or SIGINT: open cases are left unacknowledged for the next owner.
Exit codes: 0 stopped cleanly, 2 usage or connection error.
`,
  publish: 'Exit codes: 0 published, 2 usage, input or connection error.\n',
} as const;

/** `pgtriage consume --help`: what the command does, then its options from the table. */
export function busHelp(command: 'consume' | 'publish'): string {
  return `${ABOUT[command]}\n${optionsHelp(command)}\n\nSettings may also come from the config file (keys in camelCase).\n${FOOT[command]}`;
}

const text = (s: Settings, key: string) => s[key] as string | undefined;
const num = (s: Settings, key: string) => (s[key] === undefined ? undefined : Number(s[key]));
const servers = (s: Settings) => text(s, 'servers')!.split(',').map((x) => x.trim()).filter(Boolean);

function positiveDuration(name: string, value: string): number {
  const ms = parseDuration(value)!;
  if (ms <= 0) throw new Error(`--${name} must be longer than 0, got "${value}"`);
  return ms;
}

/** Runs `pgtriage consume|publish` with its checked settings; returns the exit code. */
export async function runBusCommand(command: 'consume' | 'publish', settings: Settings, inputs: string[]): Promise<number> {
  const err = (line: string) => process.stderr.write(`pgtriage ${command}: ${sanitizeLine(line)}\n`);
  try {
    return command === 'consume' ? await runConsume(settings, err) : await runPublish(settings, inputs, err);
  } catch (error) {
    err((error as Error).message ?? String(error));
    return 2;
  }
}

async function runConsume(s: Settings, err: (t: string) => void): Promise<number> {
  const count = num(s, 'partitionCount')!;
  const partitions = text(s, 'partitions') ? parsePartitionList(text(s, 'partitions')!, count) : [...Array(count).keys()];
  const caseIdleMs = positiveDuration('case-idle', text(s, 'caseIdle')!);
  const duplicateWindowMs = positiveDuration('duplicate-window', text(s, 'duplicateWindow')!);
  const pack = await loadRulePacks([DEFAULT_RULES_DIR, ...((s.rules as string[] | undefined) ?? [])]);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const { consume } = await import('./consumer.js');
  const stream = text(s, 'stream')!;
  const root = text(s, 'root')!;
  const replicas = num(s, 'replicas')!;
  await ensureInputStream(servers(s), stream, root, replicas);
  const stats = await consume({
    servers: servers(s),
    stream,
    root,
    partitions,
    resultsSubject: text(s, 'results')!,
    resultsStream: text(s, 'resultsStream')!,
    replicas,
    durable: text(s, 'durable')!,
    batch: num(s, 'batch')!,
    caseIdleMs,
    duplicateWindowMs,
    pack,
    redact: s.redact !== false,
    signal: controller.signal,
    onResult: s.ndjson
      ? (result, duplicate) => {
          if (!duplicate) process.stdout.write(JSON.stringify(result) + '\n');
        }
      : undefined,
    log: (m) => err(m),
  });
  for (const p of stats) {
    err(`partition ${p.partition}: ${p.linesFed} lines, ${p.casesConcluded} cases concluded, ${p.incidentsPublished} incidents published (${p.duplicatesDropped} duplicates dropped), acked through ${p.ackedThrough}`);
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

async function runPublish(s: Settings, positionals: string[], err: (t: string) => void): Promise<number> {
  const inputs = positionals.length ? positionals : process.stdin.isTTY ? [] : ['-'];
  if (!inputs.length) throw new Error('no input: give log files, directories or globs, or pipe a log into stdin');
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
  const root = text(s, 'root')!;
  const direct = num(s, 'direct');
  const stats = await publish(casesFromSources(entries, text(s, 'key')), {
    servers: servers(s),
    stream: text(s, 'stream')!,
    createStream: { root, replicas: num(s, 'replicas')! },
    prefix: text(s, 'prefix')!,
    partitionDirect: direct ? { root, count: direct } : undefined,
    endMarker: s.endMarker !== false,
    log: err,
  });
  err(`published ${stats.lines} lines of ${stats.cases} case(s)${stats.duplicates ? ` (${stats.duplicates} already stored)` : ''}`);
  return failed ? 2 : 0;
}
