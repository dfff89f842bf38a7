/**
 * A real three-node NATS JetStream cluster on loopback ports, for the log-bus tests. Every
 * process it starts is tracked by pid and stopped by `close()`, also when a test fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function natsServerAvailable(): boolean {
  return spawnSync('nats-server', ['--version'], { encoding: 'utf8' }).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Cluster {
  urls: string[];
  dir: string;
  /** SIGTERM one node (a clean stop: it leaves the cluster). */
  stop(index: number): Promise<void>;
  start(index: number): void;
  close(): Promise<void>;
}

export async function startCluster(options: { mapping: string; nodes?: number }): Promise<Cluster> {
  const nodes = options.nodes ?? 3;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pgtriage-nats-'));
  const clientPorts: number[] = [];
  const routePorts: number[] = [];
  for (let i = 0; i < nodes; i++) {
    clientPorts.push(await freePort());
    routePorts.push(await freePort());
  }
  const configs: string[] = [];
  for (let i = 0; i < nodes; i++) {
    const store = path.join(dir, `n${i}`);
    mkdirSync(store, { recursive: true });
    const routes = routePorts.filter((_, j) => j !== i).map((p) => `"nats-route://127.0.0.1:${p}"`).join(', ');
    const config = [
      `server_name: n${i}`,
      `listen: "127.0.0.1:${clientPorts[i]}"`,
      `jetstream { store_dir: "${store}", max_memory_store: 64MB, max_file_store: 512MB }`,
      `cluster { name: pgtriage-test, listen: "127.0.0.1:${routePorts[i]}", routes: [${routes}] }`,
      options.mapping,
      '',
    ].join('\n');
    const file = path.join(dir, `n${i}.conf`);
    writeFileSync(file, config);
    configs.push(file);
  }
  const procs: (ChildProcess | undefined)[] = [];
  const start = (i: number) => {
    const child = spawn('nats-server', ['-c', configs[i]!], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.resume();
    procs[i] = child;
  };
  for (let i = 0; i < nodes; i++) start(i);
  const stop = async (i: number) => {
    const child = procs[i];
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    procs[i] = undefined;
  };
  return {
    urls: clientPorts.map((p) => `nats://127.0.0.1:${p}`),
    dir,
    stop,
    start,
    async close() {
      for (let i = 0; i < procs.length; i++) await stop(i);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until JetStream answers on the cluster (a meta leader is elected). */
export async function waitForJetStream(urls: string[], timeoutMs = 30_000): Promise<void> {
  const { connect } = await import('nats');
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const nc = await connect({ servers: urls, timeout: 1000 });
      try {
        const jsm = await nc.jetstreamManager({ timeout: 1000 } as never);
        await jsm.getAccountInfo();
        return;
      } finally {
        await nc.close();
      }
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`JetStream did not become ready: ${(last as Error)?.message}`);
}
