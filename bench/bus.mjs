// Log-bus throughput: `pgtriage consume` with 1 and 2 consumers against the single-process CLI
// on the same logs, on a real single-node NATS JetStream server on loopback.
//
//   node bench/bus.mjs [--copies N] [--keep]
//
// The input is the lab's cases copied N times under distinct case keys (default 10: ~390 cases,
// ~27,000 lines). The stream is published once; each consumer run starts from a fresh set of
// consumers and an empty results stream, and is timed until every expected incident has been
// published. Skipped with a note when nats-server is not installed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = path.join(ROOT, 'bin/pgtriage.js');
const args = process.argv.slice(2);
const copies = Number(args[args.indexOf('--copies') + 1]) || (args.includes('--quick') ? 3 : 10);
const keep = args.includes('--keep');

if (spawnSync('nats-server', ['--version']).status !== 0) {
  console.log('log bus: skipped (nats-server is not installed; apt-get install nats-server)');
  process.exit(0);
}
if (!fs.existsSync(path.join(ROOT, 'dist/cli/main.js'))) {
  console.error('log bus: build first (npm run build)');
  process.exit(2);
}

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pgtriage-bench-bus-'));
const children = new Set();
const cleanup = () => {
  for (const c of children) c.kill('SIGKILL');
  if (!keep) fs.rmSync(work, { recursive: true, force: true });
};
process.on('exit', cleanup);

// Input: the lab cases, N copies.
const lab = path.join(ROOT, 'samples/lab');
const cases = fs.readdirSync(lab).filter((d) => fs.statSync(path.join(lab, d)).isDirectory());
const tree = path.join(work, 'cases');
for (let k = 0; k < copies; k++) for (const c of cases) fs.cpSync(path.join(lab, c), path.join(tree, `${c}-${k}`), { recursive: true });
let lines = 0;
for (const d of fs.readdirSync(tree)) for (const f of fs.readdirSync(path.join(tree, d))) {
  const text = fs.readFileSync(path.join(tree, d, f), 'utf8');
  if (f.endsWith('.log')) lines += text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

// Single-process baseline.
let t0 = performance.now();
const single = spawnSync(process.execPath, [BIN, '--per-directory', '--format', 'json', tree], { encoding: 'utf8', maxBuffer: 256 << 20 });
const singleMs = performance.now() - t0;
const expected = JSON.parse(single.stdout).incidents.length;

// One JetStream server with the partition mapping.
const port = await freePort();
const conf = path.join(work, 'n.conf');
fs.writeFileSync(conf, `listen: "127.0.0.1:${port}"\njetstream { store_dir: "${path.join(work, 'js')}" }\nmappings = { "logs.*.*": "plogs.{{partition(4,1)}}.{{wildcard(1)}}.{{wildcard(2)}}" }\n`);
const server = spawn('nats-server', ['-c', conf], { stdio: 'ignore' });
children.add(server);
const url = `nats://127.0.0.1:${port}`;
const { connect } = await import('nats');
for (let i = 0; ; i++) {
  try {
    const nc = await connect({ servers: url });
    await (await nc.jetstreamManager()).getAccountInfo();
    await nc.close();
    break;
  } catch (e) {
    if (i > 100) throw e;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const run = (argv) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.add(child);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      children.delete(child);
      resolve({ code, err });
    });
  });

t0 = performance.now();
const pub = await run(['publish', '--servers', url, tree]);
const publishMs = performance.now() - t0;
if (pub.code !== 0) throw new Error(pub.err);

async function results(nc) {
  try {
    return (await (await nc.jetstreamManager()).streams.info('PGTRIAGE_RESULTS')).state.messages;
  } catch {
    return 0;
  }
}

async function consumeRun(owners) {
  const nc = await connect({ servers: url });
  const jsm = await nc.jetstreamManager();
  for await (const c of jsm.consumers.list('PGTRIAGE_LOGS')) await jsm.consumers.delete('PGTRIAGE_LOGS', c.name);
  try {
    await jsm.streams.delete('PGTRIAGE_RESULTS');
  } catch {}
  const start = performance.now();
  const procs = owners.map((p) => {
    const child = spawn(process.execPath, [BIN, 'consume', '--servers', url, '--partitions', p, '--case-idle', '1s'], { stdio: ['ignore', 'ignore', 'ignore'] });
    children.add(child);
    return child;
  });
  let ms;
  for (;;) {
    if ((await results(nc)) >= expected) {
      ms = performance.now() - start;
      break;
    }
    if (performance.now() - start > 300_000) throw new Error('consumers did not finish in 5 minutes');
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const child of procs) {
    child.kill('SIGTERM');
    children.delete(child);
  }
  await nc.close();
  return ms;
}

const one = await consumeRun(['0-3']);
const two = await consumeRun(['0-1', '2-3']);
server.kill('SIGTERM');

const f = (x, d = 1) => x.toFixed(d);
console.log(`\nlog bus (${copies} copies of the lab: ${cases.length * copies} cases, ${lines} lines, ${expected} incidents; one JetStream node, 4 partitions, ${os.cpus().length} cores)`);
console.log('| run | wall s | lines/s | incidents/s | vs single process |');
console.log('| --- | ---: | ---: | ---: | ---: |');
const row = (name, ms) => console.log(`| ${name} | ${f(ms / 1000, 2)} | ${f(lines / (ms / 1000), 0)} | ${f(expected / (ms / 1000), 0)} | ${f(ms / singleMs, 2)}x |`);
row('single-process CLI (--per-directory)', singleMs);
row('publish (one message per line, each stored before the next)', publishMs);
row('consume, 1 consumer (partitions 0-3)', one);
row('consume, 2 consumers (0-1, 2-3)', two);
console.log('Consumer times include start-up and the case-idle wait (1 s) after the last line of each case.');
