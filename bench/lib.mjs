// Shared helpers of the benchmark harness: argument parsing, timed child processes with peak
// RSS, medians, machine info. Plain Node ESM, no dependencies.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, '..');
export const BIN = path.join(ROOT, 'bin', 'pgtriage.js');
export const DIST_MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');
export const RSS_WRAPPER = path.join(BENCH_DIR, 'rss-wrapper.mjs');
export const TIME_BIN = '/usr/bin/time';

/** 1 MB in this harness is 2^20 bytes (MiB), for sizes, throughput and RSS alike. */
export const MB = 1024 * 1024;

/** Messages of the 08003 family, as the grep baseline looks for them (one pass, -c -E). */
export const GREP_MESSAGES = [
  'connection does not exist',
  'server closed the connection unexpectedly',
  'SSL connection has been closed unexpectedly',
  'SSL SYSCALL error',
  'could not receive data from server',
  'could not send data to server',
  'connection already closed',
  'terminating connection due to',
  'ConnectionDoesNotExistError',
  'Connection reset by peer',
  'This connection has been closed',
];
export const GREP_PATTERN = GREP_MESSAGES.join('|');

export class HarnessError extends Error {}

/** Fails with a clear message when the CLI has not been built. */
export function requireBuild() {
  if (!fs.existsSync(DIST_MAIN) || !fs.existsSync(BIN)) {
    throw new HarnessError(`pgtriage is not built (${path.relative(ROOT, DIST_MAIN)} is missing): run npm run build first`);
  }
}

/**
 * Tiny flag parser: `--name value`, `--name=value`, boolean `--flag`. `spec` maps names to
 * 'string' | 'boolean'; unknown flags are an error.
 */
export function parseArgs(argv, spec) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new HarnessError(`unexpected argument "${a}"`);
    let [name, value] = a.slice(2).split(/=(.*)/s, 2);
    const type = spec[name];
    if (!type) throw new HarnessError(`unknown option --${name} (known: ${Object.keys(spec).map((k) => '--' + k).join(' ')})`);
    if (type === 'boolean') {
      if (value !== undefined) throw new HarnessError(`--${name} takes no value`);
      out[name] = true;
    } else {
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined) throw new HarnessError(`--${name} needs a value`);
      }
      out[name] = value;
    }
  }
  return out;
}

export function parseSizes(text) {
  const sizes = String(text)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (!sizes.length || sizes.some((n) => !Number.isFinite(n) || n <= 0)) throw new HarnessError(`bad --sizes "${text}" (want e.g. 50,100,200)`);
  return sizes;
}

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function max(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return v.length ? Math.max(...v) : null;
}

export function round(x, digits = 3) {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Which peak-RSS method works here: GNU time -v, else an in-process wrapper. */
export function detectRssMethod(forced) {
  if (forced === 'wrapper') return 'wrapper';
  if (fs.existsSync(TIME_BIN)) {
    const probe = path.join(os.tmpdir(), `pgtriage-bench-time-probe-${process.pid}.txt`);
    const r = spawnSync(TIME_BIN, ['-v', '-o', probe, 'true'], { stdio: 'ignore' });
    let ok = false;
    try {
      ok = r.status === 0 && /Maximum resident set size/.test(fs.readFileSync(probe, 'utf8'));
    } catch {
      ok = false;
    }
    fs.rmSync(probe, { force: true });
    if (ok) return 'time';
  }
  if (forced === 'time') throw new HarnessError(`--rss-method time: ${TIME_BIN} -v is not usable here`);
  return 'wrapper';
}

export function describeRssMethod(method) {
  return method === 'time'
    ? `${TIME_BIN} -v "Maximum resident set size" of the node process`
    : 'process.resourceUsage().maxRSS inside bench/rss-wrapper.mjs, which runs the CLI in-process';
}

/** Children currently running (detached process groups), killed by killActive() on SIGINT. */
const active = new Set();

export function killActive() {
  for (const c of active) killGroup(c);
  active.clear();
}

function killGroup(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL'); // the group of a child we spawned detached
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

function tail(file, bytes = 2000) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.length > bytes ? '...' + text.slice(-bytes) : text;
  } catch {
    return '';
  }
}

/**
 * Runs `pgtriage ARGS` once. Input comes from the paths in args, or with `stdinFile` from a
 * real pipe (`cat FILE | pgtriage ... -`: cat's stdout fd is handed to the CLI as its stdin).
 * stdout goes to a file (not through this process) so the report cannot slow the run down.
 * Returns { ok, wallS, rssMB, exitCode, stdoutFile, stderr, error }.
 */
export async function runPgtriage({ args, stdinFile, workDir, rssMethod, timeoutMs, label = 'run' }) {
  const tag = `${label.replace(/[^\w.-]+/g, '_')}-${process.hrtime.bigint()}`;
  const stdoutFile = path.join(workDir, `${tag}.out`);
  const stderrFile = path.join(workDir, `${tag}.err`);
  const rssFile = path.join(workDir, `${tag}.rss`);
  const cmd =
    rssMethod === 'time'
      ? [TIME_BIN, ['-v', '-o', rssFile, process.execPath, BIN, ...args]]
      : [process.execPath, [RSS_WRAPPER, rssFile, ...args]];

  const outFd = fs.openSync(stdoutFile, 'w');
  const errFd = fs.openSync(stderrFile, 'w');
  let cat;
  let child;
  let timedOut = false;
  let timer;
  const started = process.hrtime.bigint();
  try {
    const result = await new Promise((resolve) => {
      let stdin = 'ignore';
      if (stdinFile) {
        cat = spawn('cat', [stdinFile], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
        active.add(cat);
        cat.on('close', () => active.delete(cat));
        stdin = cat.stdout;
      }
      child = spawn(cmd[0], cmd[1], { stdio: [stdin, outFd, errFd], detached: true, cwd: ROOT });
      active.add(child);
      if (cat) cat.stdout.destroy(); // the child holds its own copy of the pipe's read end
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(child);
        killGroup(cat);
      }, timeoutMs);
      child.on('error', (error) => resolve({ error }));
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    clearTimeout(timer);
    active.delete(child);
    killGroup(cat);
    const stderr = tail(stderrFile);
    const rssMB = readRss(rssFile, rssMethod);
    let error;
    if (result.error) error = `cannot start: ${result.error.message}`;
    else if (timedOut) error = `timed out after ${timeoutMs / 1000}s`;
    else if (result.signal) error = `killed by ${result.signal}`;
    else if (result.code !== 0 && result.code !== 1) error = `exit code ${result.code}`;
    return { ok: !error, wallS, rssMB, exitCode: result.code ?? null, stdoutFile, stderr, error };
  } finally {
    clearTimeout(timer);
    fs.closeSync(outFd);
    fs.closeSync(errFd);
    fs.rmSync(stderrFile, { force: true });
    fs.rmSync(rssFile, { force: true });
  }
}

function readRss(file, method) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  if (method === 'time') {
    const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(text);
    return m ? Number(m[1]) / 1024 : null;
  }
  const kb = Number(text.trim());
  return Number.isFinite(kb) && kb > 0 ? kb / 1024 : null;
}

/**
 * Reads the JSON report a run wrote: incidents listed plus those beyond the report cap (counted
 * in a warning "N incident(s) beyond the report cap were counted but not listed").
 */
export function readReport(stdoutFile) {
  const text = fs.readFileSync(stdoutFile, 'utf8');
  let report;
  try {
    report = JSON.parse(text);
  } catch (error) {
    return { error: `stdout is not a JSON report (${error.message}); first bytes: ${JSON.stringify(text.slice(0, 200))}` };
  }
  if (!report || !Array.isArray(report.incidents)) return { error: 'JSON report has no incidents array' };
  let omitted = 0;
  for (const w of Array.isArray(report.warnings) ? report.warnings : []) {
    const text = typeof w === 'string' ? w : (w?.message ?? JSON.stringify(w));
    const m = /(\d+) incident\(s\) beyond the report cap/.exec(text);
    if (m) omitted += Number(m[1]);
  }
  return {
    listed: report.incidents.length,
    omitted,
    found: report.incidents.length + omitted,
    stats: report.stats ?? null,
    warnings: Array.isArray(report.warnings) ? report.warnings.slice(0, 10) : [],
    reportBytes: Buffer.byteLength(text),
  };
}

/**
 * `grep -c -E PATTERN FILE`, timed the same way, its output to a file: GNU grep stops at the
 * first match when its stdout is /dev/null, even with -c.
 */
export async function runGrep({ file, timeoutMs, workDir = os.tmpdir() }) {
  const r = await runTool({ cmd: 'grep', args: ['-c', '-E', GREP_PATTERN, file], timeoutMs, workDir, okCodes: [0, 1] });
  return { ...r, lines: r.error ? null : Number(r.stdout.trim()) };
}

/** Whether a baseline tool is installed (on PATH). */
export function hasTool(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
  return r.status === 0;
}

/**
 * Runs one baseline command, timed like pgtriage: stdout to a file in workDir (its first 4 KiB
 * are returned), stderr kept for errors. Returns { ok, wallS, stdout, error, outBytes }.
 */
export async function runTool({ cmd, args, timeoutMs, workDir = os.tmpdir(), env, okCodes = [0] }) {
  const outFile = path.join(workDir, `tool-${path.basename(cmd)}-${process.hrtime.bigint()}.out`);
  const errFile = `${outFile}.err`;
  const outFd = fs.openSync(outFile, 'w');
  const errFd = fs.openSync(errFile, 'w');
  let timer;
  let timedOut = false;
  const started = process.hrtime.bigint();
  try {
    const result = await new Promise((resolve) => {
      const child = spawn(cmd, args, { stdio: ['ignore', outFd, errFd], detached: true, env: env ? { ...process.env, ...env } : process.env });
      active.add(child);
      child.on('close', () => active.delete(child));
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(child);
      }, timeoutMs);
      child.on('error', (error) => resolve({ error }));
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
    clearTimeout(timer);
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    const outBytes = fs.statSync(outFile).size;
    const fd = fs.openSync(outFile, 'r');
    const head = Buffer.alloc(Math.min(4096, outBytes));
    fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    let error;
    if (result.error) error = `cannot start ${cmd}: ${result.error.message}`;
    else if (timedOut) error = `${cmd} timed out after ${timeoutMs / 1000}s`;
    else if (result.signal) error = `${cmd} killed by ${result.signal}`;
    else if (!okCodes.includes(result.code)) error = `${cmd} exit ${result.code}: ${tail(errFile, 400).trim()}`;
    return { ok: !error, wallS, stdout: head.toString('utf8'), outBytes, error };
  } finally {
    clearTimeout(timer);
    fs.closeSync(outFd);
    fs.closeSync(errFd);
    fs.rmSync(outFile, { force: true });
    fs.rmSync(errFile, { force: true });
  }
}

export function machineInfo(rssMethod) {
  const cpus = os.cpus();
  const grep = spawnSync('grep', ['--version'], { encoding: 'utf8' });
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    availableParallelism: os.availableParallelism?.() ?? cpus.length,
    totalMemMB: Math.round(os.totalmem() / MB),
    grep: (grep.stdout || '').split('\n')[0] || 'unknown',
    locale: process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG || '(unset: C)',
    rssMethod: describeRssMethod(rssMethod),
    loadAvgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Disk space free under dir, in bytes (null when statfs is unavailable). */
export function freeBytes(dir) {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

export function fmt(x, digits = 2) {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
