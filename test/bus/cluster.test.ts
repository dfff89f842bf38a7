/**
 * The log-bus contract on the real engine: a three-node JetStream cluster with replicated
 * (R3) streams, the lab's client/server/pooler logs of many cases published to it, two
 * consumers, one of them killed with SIGKILL while it holds open cases and restarted, and one
 * NATS node stopped. The published incidents must equal a single-process
 * `pgtriage --per-directory` run over the same logs: nothing lost, nothing duplicated.
 *
 * Runs when `nats-server` is installed (`.ci/run` installs it and sets PGTRIAGE_REQUIRE_NATS
 * so that a missing server fails CI instead of skipping).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mappingConfig, partitionOf } from '../../src/bus/subjects.js';
import { ROOT } from '../cli/run-cli.js';
import { natsServerAvailable, startCluster, waitForJetStream, type Cluster } from './cluster.js';

const BIN = path.join(ROOT, 'bin/pgtriage.js');
const HAVE_NATS = natsServerAvailable();
if (!HAVE_NATS && process.env.PGTRIAGE_REQUIRE_NATS) throw new Error('nats-server is required here (PGTRIAGE_REQUIRE_NATS is set) but not installed');
if (!HAVE_NATS) console.warn('skipping the log-bus cluster test: nats-server is not installed (apt-get install nats-server)');

const PARTITIONS = 4;
const children = new Set<ChildProcess>();

function cli(args: string[], name: string): ChildProcess & { stderrText: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.resume();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return Object.assign(child, { stderrText: () => `[${name}] ${stderr}` });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function publishCases(urls: string[], dirs: string[], extra: string[] = []): Promise<void> {
  const child = cli(['publish', '--servers', urls.join(','), '--replicas', '3', ...extra, ...dirs], 'publish');
  const code = await exited(child);
  if (code !== 0) throw new Error(`publish exited ${code}: ${child.stderrText()}`);
}

// The publisher marks the end of every case in the stream, so cases end where the stream says.
// The quiet-time fallback is set far beyond the test's length: on a loaded machine a publisher
// can stall for seconds between two files of one case, and a 10 s fallback cut such a case in
// two (one incident more or less, shifted lines) depending on load.
function consumer(urls: string[], partitions: string): ChildProcess & { stderrText: () => string } {
  return cli(
    ['consume', '--servers', urls.join(','), '--replicas', '3', '--partition-count', String(PARTITIONS), '--partitions', partitions, '--case-idle', '30s', '--batch', '64'],
    `consume ${partitions}`,
  );
}

/** Ack floor and unacknowledged deliveries of the newest consumer generation of some partitions. */
async function consumerState(urls: string[], partitions: number[]): Promise<{ floor: number; held: number }> {
  const { connect } = await import('nats');
  const nc = await connect({ servers: urls });
  try {
    const jsm = await nc.jetstreamManager();
    const newest = new Map<number, { generation: number; floor: number; held: number }>();
    for await (const info of jsm.consumers.list('PGTRIAGE_LOGS')) {
      const m = /^pgtriage-p(\d+)-g(\d+)$/.exec(info.name);
      if (!m || !partitions.includes(Number(m[1]))) continue;
      const generation = Number(m[2]);
      const seen = newest.get(Number(m[1]));
      if (!seen || seen.generation < generation) newest.set(Number(m[1]), { generation, floor: info.ack_floor.stream_seq, held: info.num_ack_pending });
    }
    let floor = 0;
    let held = 0;
    for (const v of newest.values()) {
      floor = Math.max(floor, v.floor);
      held += v.held;
    }
    return { floor, held };
  } catch {
    return { floor: 0, held: 0 };
  } finally {
    await nc.close();
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting until ${what}`);
}

interface ResultMessage {
  busId: string;
  case: string;
  incident: { source: string; line: number; sqlstate: string; causes: { id: string }[] };
}

async function readResults(urls: string[]): Promise<ResultMessage[]> {
  const { connect } = await import('nats');
  const nc = await connect({ servers: urls });
  try {
    const jsm = await nc.jetstreamManager();
    let info;
    try {
      info = await jsm.streams.info('PGTRIAGE_RESULTS');
    } catch {
      return [];
    }
    const out: ResultMessage[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage('PGTRIAGE_RESULTS', { seq });
      out.push(JSON.parse(new TextDecoder().decode(m.data)) as ResultMessage);
    }
    return out;
  } finally {
    await nc.close();
  }
}

const signature = (c: string, source: string, line: number, sqlstate: string, cause: string | undefined) => `${c}|${source}|${line}|${sqlstate}|${cause}`;

/**
 * Cases whose top cause may differ between the bus and the single-process CLI because of the
 * order the files are read in. For these the test still requires the same incidents (case,
 * source, line, SQLSTATE), and it fails once the causes agree, so the entry must then be removed.
 * Empty now: restart-celery-prefork was listed, but its difference came from the fact store
 * sharing buckets between directories (another case's witnesses pushed its own out), fixed by
 * keying the buckets by case.
 */
const ORDER_DEPENDENT = new Set<string>([]);
const withoutCause = (sig: string) => sig.split('|').slice(0, 4).join('|');

describe.skipIf(!HAVE_NATS)('log bus on a three-node JetStream cluster', () => {
  let cluster: Cluster;
  let work: string;
  let cases: string[];
  let expected: Set<string>;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'pgtriage-bus-'));
    const lab = path.join(ROOT, 'samples/lab');
    cases = readdirSync(lab).filter((d) => statSync(path.join(lab, d)).isDirectory()).sort();
    for (const c of cases) cpSync(path.join(lab, c), path.join(work, 'cases', c), { recursive: true });
    // The single-process run the cluster must reproduce.
    // The bus reads streams, which cannot be read twice at a zone offset: nor does the reference.
    const single = spawnSync(process.execPath, [BIN, '--per-directory', '--no-zone-shift', '--format', 'json', path.join(work, 'cases')], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const report = JSON.parse(single.stdout) as { incidents: { source: string; line: number; sqlstate: string; causes: { id: string }[] }[] };
    expected = new Set(
      report.incidents.map((i) => signature(path.relative(path.join(work, 'cases'), path.dirname(i.source)), path.basename(i.source), i.line, i.sqlstate, i.causes[0]?.id)),
    );
    cluster = await startCluster({ mapping: mappingConfig('logs', 'plogs', PARTITIONS) });
    await waitForJetStream(cluster.urls);
  }, 180_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await cluster?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reproduces the single-process result with a consumer killed and a node stopped', async () => {
    expect(expected.size).toBeGreaterThan(20);
    const dirs = cases.map((c) => path.join(work, 'cases', c));
    const third = Math.ceil(dirs.length / 3);
    const [wave1, wave2, wave3] = [dirs.slice(0, third), dirs.slice(third, 2 * third), dirs.slice(2 * third)];

    let a = consumer(cluster.urls, '0-1');
    const b = consumer(cluster.urls, '2-3');
    await publishCases(cluster.urls, wave1);
    // A has concluded and acknowledged cases of wave 1 ...
    await waitFor('consumer A acknowledged wave 1', async () => (await consumerState(cluster.urls, [0, 1])).floor > 0);

    // ... and wave 2 comes without end markers: its cases stay open until they go quiet, so the
    // kill lands while A holds open, unacknowledged cases that its successor must replay.
    await publishCases(cluster.urls, wave2, ['--no-end-marker']);
    await waitFor('consumer A holds open cases', async () => (await consumerState(cluster.urls, [0, 1])).held > 0);
    const atKill = await consumerState(cluster.urls, [0, 1]);
    a.kill('SIGKILL');
    await exited(a);
    expect(atKill.held).toBeGreaterThan(0);

    a = consumer(cluster.urls, '0-1');
    await cluster.stop(1);
    await publishCases(cluster.urls, wave3);

    // Done when every expected incident is out and no partition holds an open case.
    let results: ResultMessage[] = [];
    await waitFor(
      'every case is concluded and acknowledged',
      async () => {
        results = await readResults(cluster.urls);
        return results.length >= expected.size && (await consumerState(cluster.urls, [...Array(PARTITIONS).keys()])).held === 0;
      },
      // Generous: wave 2's cases end only after --case-idle of quiet, and on a loaded machine the
      // restarted consumer's replay and the stopped node's re-election take a while more.
      240_000,
    );
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    const codes = await Promise.all([exited(a), exited(b)]);
    expect(codes, a.stderrText() + b.stderrText()).toEqual([0, 0]);

    const ids = results.map((r) => r.busId);
    expect(new Set(ids).size, 'no incident is published twice').toBe(ids.length);
    const got = new Set(results.map((r) => signature(r.case, r.incident.source, r.incident.line, r.incident.sqlstate, r.incident.causes[0]?.id)));
    const exact = (sig: string) => !ORDER_DEPENDENT.has(sig.split('|')[0]!);
    const missing = [...expected].filter((s) => exact(s) && !got.has(s));
    const extra = [...got].filter((s) => exact(s) && !expected.has(s));
    expect({ missing, extra }, a.stderrText() + b.stderrText()).toEqual({ missing: [], extra: [] });
    const loose = (set: Set<string>) => new Set([...set].filter((s) => !exact(s)).map(withoutCause));
    expect(loose(got)).toEqual(loose(expected));
    const stillDiffers = [...got].some((s) => !exact(s) && !expected.has(s));
    if (ORDER_DEPENDENT.size > 0) expect(stillDiffers, 'an order-dependent case now agrees: remove it from ORDER_DEPENDENT').toBe(true);
    // The restarted consumer replayed what its predecessor held and the duplicates were dropped
    // by the results stream (or the kill came before anything of it was published): either
    // way its log says where it resumed.
    const resumed = [...a.stderrText().matchAll(/resumes after stream sequence (\d+)/g)].map((m) => Number(m[1]));
    expect(resumed.length).toBe(2);
    expect(Math.max(...resumed)).toBeGreaterThan(0);
  }, 420_000);

  it('publishes nothing new when a consumer replays everything from the start', async () => {
    const before = await readResults(cluster.urls);
    expect(before.length).toBe(expected.size);
    // Forget every ack floor, as if the consumer state were lost: the whole stream is replayed.
    const { connect } = await import('nats');
    const nc = await connect({ servers: cluster.urls.filter((_, i) => i !== 1) });
    try {
      const jsm = await nc.jetstreamManager();
      const names: string[] = [];
      for await (const info of jsm.consumers.list('PGTRIAGE_LOGS')) names.push(info.name);
      for (const name of names) await jsm.consumers.delete('PGTRIAGE_LOGS', name);
    } finally {
      await nc.close();
    }
    const all = consumer(cluster.urls, `0-${PARTITIONS - 1}`);
    const last = async () => {
      const { connect: c } = await import('nats');
      const n = await c({ servers: cluster.urls.filter((_, i) => i !== 1) });
      try {
        return (await (await n.jetstreamManager()).streams.info('PGTRIAGE_LOGS')).state.last_seq;
      } finally {
        await n.close();
      }
    };
    const lastSeq = await last();
    // Done when every partition acknowledged through its last message (cases concluded).
    await waitFor('the replay is acknowledged', async () => {
      return (await consumerState(cluster.urls, [...Array(PARTITIONS).keys()])).floor >= lastSeq - 50 && (await readResults(cluster.urls)).length >= expected.size;
    }, 180_000);
    await new Promise((r) => setTimeout(r, 6000));
    all.kill('SIGTERM');
    expect(await exited(all)).toBe(0);
    const dropped = [...all.stderrText().matchAll(/(\d+) incidents published \((\d+) duplicates dropped\)/g)];
    const published = dropped.reduce((n, m) => n + Number(m[1]), 0);
    const duplicates = dropped.reduce((n, m) => n + Number(m[2]), 0);
    expect({ published, duplicates }).toEqual({ published: 0, duplicates: expected.size });
    expect((await readResults(cluster.urls)).length).toBe(expected.size);
  }, 240_000);

  it('partitions a case the way the server mapping does', async () => {
    const { connect } = await import('nats');
    const nc = await connect({ servers: cluster.urls.filter((_, i) => i !== 1) });
    try {
      const jsm = await nc.jetstreamManager();
      const info = await jsm.streams.info('PGTRIAGE_LOGS');
      let checked = 0;
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && checked < 50; seq += 37) {
        const m = await jsm.streams.getMessage('PGTRIAGE_LOGS', { seq });
        const [, partition, keyToken] = m.subject.split('.');
        expect(Number(partition)).toBe(partitionOf(keyToken!, PARTITIONS));
        checked++;
      }
      expect(checked).toBeGreaterThan(10);
    } finally {
      await nc.close();
    }
  }, 30_000);
});
