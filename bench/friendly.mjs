// pgtriage benchmark: throughput, peak RSS and incident counts against grep on generated logs.
// See bench/README.md. The friendly case (sizes, stdin, heavy, many files, rule count): `node bench/friendly.mjs`.
//
//   node bench/friendly.mjs [--quick | --sizes 50,100,200] [--huge] [--repeat 3] [--timeout 600]
//                      [--keep] [--no-rules-scale | --rules-scale] [--strict] [--tmp DIR]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateFile, generateTree } from './generate.mjs';
import { runRulesScale } from './rules-scale.mjs';
import {
  BENCH_DIR,
  BIN,
  GREP_PATTERN,
  HarnessError,
  MB,
  ROOT,
  detectRssMethod,
  fmt,
  freeBytes,
  killActive,
  machineInfo,
  max,
  median,
  parseArgs,
  parseSizes,
  readReport,
  requireBuild,
  round,
  runGrep,
  runPgtriage,
  table,
} from './lib.mjs';

const HELP = `usage: node bench/friendly.mjs [options]
  --sizes A,B,C       mixed-log sizes in MB (MiB), default 100,200,400
  --quick             sizes 20,40,80
  --huge              also a 1 GB (1024 MB) mixed log
  --repeat N          runs per measurement, the median is reported (default 3)
  --timeout S         per-run timeout in seconds (default 600)
  --seed N            generator seed (default 1)
  --every N           mean lines between incidents in the mixed logs (default 1000)
  --heavy-every N     mean lines between incidents in the incident-heavy log (default 100)
  --files N           files in the tree variant (default 10000)
  --rules-scale       only the rule-count scaling measurement
  --no-rules-scale    skip the rule-count scaling measurement
  --no-tree           skip the many-files tree
  --rss-method M      time | wrapper (default: time when /usr/bin/time -v works)
  --tmp DIR           where to generate inputs (default: the OS temp dir)
  --keep              keep the generated inputs
  --strict            exit 1 when a target check fails (runs errors and MISMATCH always do)
  --out FILE          results JSON (default bench/out/friendly.json)
`;

const SPEC = {
  sizes: 'string',
  quick: 'boolean',
  huge: 'boolean',
  repeat: 'string',
  timeout: 'string',
  seed: 'string',
  every: 'string',
  'heavy-every': 'string',
  files: 'string',
  'rules-scale': 'boolean',
  'no-rules-scale': 'boolean',
  'no-tree': 'boolean',
  'rss-method': 'string',
  tmp: 'string',
  keep: 'boolean',
  strict: 'boolean',
  out: 'string',
  help: 'boolean',
};

// `npm run bench | head` must not leave the inputs behind: a closed stdout only silences the log.
let stdoutClosed = false;
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') stdoutClosed = true;
  else throw error;
});
const log = (...a) => {
  if (!stdoutClosed) console.log(...a);
};

async function main() {
  const a = parseArgs(process.argv.slice(2), SPEC);
  if (a.help) {
    process.stdout.write(HELP);
    return 0;
  }
  requireBuild();
  let sizes = a.sizes ? parseSizes(a.sizes) : a.quick ? [20, 40, 80] : [100, 200, 400];
  if (a.huge && !sizes.includes(1024)) sizes = [...sizes, 1024];
  sizes = [...new Set(sizes)].sort((x, y) => x - y);
  const repeat = Math.max(1, Number(a.repeat ?? 3) | 0);
  const timeoutMs = Number(a.timeout ?? 600) * 1000;
  const seed = Number(a.seed ?? 1);
  const every = Number(a.every ?? 1000);
  const heavyEvery = Number(a['heavy-every'] ?? 100);
  const treeFiles = Number(a.files ?? 10_000);
  const onlyRules = !!a['rules-scale'];
  const doRules = !a['no-rules-scale'];
  const doTree = !a['no-tree'] && !onlyRules;
  const rssMethod = detectRssMethod(a['rss-method']);
  const outFile = path.resolve(a.out ?? path.join(BENCH_DIR, 'out', 'friendly.json'));
  const base = sizes[0];

  const machine = machineInfo(rssMethod);
  log(`pgtriage bench — node ${machine.node}, ${machine.cpus} cpus (${machine.cpuModel}), ${machine.totalMemMB} MB RAM, ${machine.platform}`);
  log(`${machine.grep}, locale ${machine.locale}; peak RSS via ${machine.rssMethod}`);
  log(`load average at start: ${machine.loadAvgAtStart.join(' ')} (other work on the machine skews timings)`);
  log(`sizes ${sizes.join(', ')} MB (1 MB = 2^20 bytes), ${repeat} runs each (median), timeout ${timeoutMs / 1000}s per run`);

  // The CLI must work at all before spending minutes on generation.
  const startup = [];
  const smokeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgtriage-bench-smoke-'));
  try {
    // Doubles as the fixed-cost measurement: a run on the 9-line seed example is startup
    // (module loading, rule compilation) plus report rendering, and its RSS is the floor.
    const seedLog = path.join(ROOT, 'samples', 'seed-example.log');
    for (let i = 0; i < repeat; i++) {
      const smoke = await runPgtriage({ args: ['--format', 'json', seedLog], workDir: smokeDir, rssMethod, timeoutMs: 120_000, label: 'smoke' });
      const rep = smoke.ok ? readReport(smoke.stdoutFile) : {};
      if (!smoke.ok || rep.error) {
        throw new HarnessError(`the CLI does not work: node bin/pgtriage.js --format json samples/seed-example.log -> ${smoke.error ?? rep.error}${smoke.stderr ? `\n${smoke.stderr.trim()}` : ''}\n(run npm run build first; if it is built, src/ is broken)`);
      }
      startup.push({ wallS: smoke.wallS, rssMB: smoke.rssMB, found: rep.found });
    }
    log(`startup (seed-example.log, 9 lines): ${fmt(median(startup.map((s) => s.wallS)))} s, ${fmt(max(startup.map((s) => s.rssMB)), 0)} MB RSS`);
  } finally {
    fs.rmSync(smokeDir, { recursive: true, force: true });
  }

  const tmpRoot = path.resolve(a.tmp ?? os.tmpdir());
  fs.mkdirSync(tmpRoot, { recursive: true });
  const need = (onlyRules ? base : sizes.reduce((s, x) => s + x, 0) + base * (doTree ? 2 : 1)) * MB * 1.05;
  const free = freeBytes(tmpRoot);
  if (free !== null && free < need) throw new HarnessError(`not enough disk under ${tmpRoot}: need about ${Math.round(need / MB)} MB, ${Math.round(free / MB)} MB free (use --tmp DIR or smaller --sizes)`);
  const work = fs.mkdtempSync(path.join(tmpRoot, 'pgtriage-bench-'));
  const runsDir = path.join(work, 'runs');
  fs.mkdirSync(runsDir);

  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    killActive();
    if (!a.keep) fs.rmSync(work, { recursive: true, force: true });
    console.error(`\ninterrupted${a.keep ? `; inputs kept in ${work}` : ''}`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const results = {
    version: 1,
    startedAt: new Date().toISOString(),
    machine,
    config: { sizes, repeat, timeoutS: timeoutMs / 1000, seed, every, heavyEvery, treeFiles, mbIs: 'MiB (2^20 bytes)', grepPattern: GREP_PATTERN, bin: path.relative(ROOT, BIN) },
    startup: { input: 'samples/seed-example.log', medianS: round(median(startup.map((s) => s.wallS))), peakRssMB: round(max(startup.map((s) => s.rssMB)), 1), samples: startup },
    generated: {},
    measurements: [],
    rulesScale: null,
    checks: [],
    mismatches: [],
    errors: [],
  };

  try {
    // ---- generate ----------------------------------------------------------------------------
    const inputs = [];
    const gen = async (key, fn) => {
      const t0 = process.hrtime.bigint();
      const stats = await fn();
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      results.generated[key] = { ...stats, generateS: round(s) };
      log(`generated ${key}: ${fmt(stats.bytes / MB, 1)} MB, ${stats.lines} lines, ${stats.incidents} incidents${stats.files ? `, ${stats.files} files` : ''} (${fmt(s, 1)} s)`);
      return stats;
    };
    for (const size of onlyRules ? [base] : sizes) {
      const file = path.join(work, `mixed-${size}.log`);
      const st = await gen(`mixed-${size}`, () => generateFile(file, { sizeBytes: Math.round(size * MB), seed, every }));
      inputs.push({ key: `mixed-${size}`, kind: 'mixed', size, path: file, bytes: st.bytes, generated: st.incidents });
    }
    if (!onlyRules) {
      const file = path.join(work, `heavy-${base}.log`);
      const st = await gen(`heavy-${base}`, () => generateFile(file, { sizeBytes: Math.round(base * MB), seed, every: heavyEvery }));
      inputs.push({ key: `heavy-${base}`, kind: 'heavy', size: base, path: file, bytes: st.bytes, generated: st.incidents });
    }
    if (doTree) {
      const dir = path.join(work, `tree-${base}`);
      const st = await gen(`tree-${base}`, () => generateTree(dir, { files: treeFiles, sizeBytes: Math.round(base * MB), seed, every }));
      inputs.push({ key: `tree-${base}`, kind: 'tree', size: base, path: dir, bytes: st.bytes, generated: st.incidents, files: st.files });
    }

    // ---- measure -----------------------------------------------------------------------------
    // One sample of one measurement; a failed measurement is not sampled again.
    const sampleOnce = async (m, input, i) => {
      const mode = m.mode;
      let sample;
      if (mode === 'grep') {
        const r = await runGrep({ file: input.path, timeoutMs });
        sample = { wallS: r.wallS, matchedLines: r.lines, error: r.error };
      } else {
        const args = mode === 'stdin' ? ['--format', 'json', '-'] : ['--format', 'json', input.path];
        const r = await runPgtriage({ args, stdinFile: mode === 'stdin' ? input.path : undefined, workDir: runsDir, rssMethod, timeoutMs, label: `${input.key}-${mode}` });
        const rep = r.ok ? readReport(r.stdoutFile) : {};
        fs.rmSync(r.stdoutFile, { force: true });
        const error = r.error ?? rep.error;
        sample = {
          wallS: r.wallS,
          rssMB: r.rssMB,
          exitCode: r.exitCode,
          found: rep.found ?? null,
          listed: rep.listed ?? null,
          omitted: rep.omitted ?? null,
          stats: rep.stats ?? null,
          error: error ? `${error}${r.stderr ? ` | stderr: ${r.stderr.trim().slice(-600)}` : ''}` : null,
        };
      }
      m.samples.push(sample);
      const what =
        mode === 'grep'
          ? `${fmt(sample.wallS, 3)} s (${sample.matchedLines} lines)`
          : `${fmt(sample.wallS)} s, ${fmt(sample.rssMB, 0)} MB RSS, ${sample.found}/${input.generated} incidents`;
      log(`  ${input.key.padEnd(11)} ${mode.padEnd(5)} #${i + 1}: ${sample.error ? 'ERROR ' + sample.error : what}`);
      if (sample.error) {
        m.error = sample.error;
        results.errors.push(`${input.key} ${mode}: ${sample.error}`);
      }
    };

    const finalize = (m, input) => {
      const ok = m.samples.filter((s) => !s.error);
      m.medianS = round(median(ok.map((s) => s.wallS)), 3);
      m.mbPerS = m.medianS ? round(input.bytes / MB / m.medianS, 2) : null;
      if (m.mode !== 'grep') {
        m.peakRssMB = round(max(ok.map((s) => s.rssMB)), 1);
        const founds = [...new Set(ok.map((s) => s.found))];
        m.found = founds.length === 1 ? founds[0] : founds.length ? founds : null;
        if (founds.length > 1) results.mismatches.push(`${input.key} ${m.mode}: runs disagree on incidents (${founds.join(', ')})`);
        if (founds.length && founds.some((f) => f !== input.generated)) {
          const msg = `${input.key} ${m.mode}: found ${founds.join('/')} incidents, generated ${input.generated}`;
          results.mismatches.push(msg);
          log(`  !!! MISMATCH: ${msg}`);
        }
        if (ok[0]?.omitted) log(`  (${input.key} ${m.mode}: ${ok[0].omitted} incidents beyond the report cap were counted from the warning)`);
      } else {
        m.matchedLines = ok[0]?.matchedLines ?? null;
      }
    };

    // Measurements compared with each other are interleaved (one sample of each per round), so
    // load drifting on the machine hits them alike: each size's grep/file/stdin together, and
    // the smallest size together with the heavy log and the tree.
    const byKey = {};
    if (!onlyRules) {
      const groups = new Map();
      for (const input of inputs) {
        const modes = input.kind === 'mixed' ? ['grep', 'file', 'stdin'] : input.kind === 'heavy' ? ['grep', 'file'] : ['file'];
        if (!groups.has(input.size)) groups.set(input.size, []);
        for (const mode of modes) {
          const m = { input: input.key, kind: input.kind, mode, sizeMB: round(input.bytes / MB, 1), bytes: input.bytes, generated: input.generated, samples: [], error: null };
          results.measurements.push(m);
          byKey[`${input.key}/${mode}`] = m;
          groups.get(input.size).push({ m, input });
        }
      }
      for (const [size, list] of groups) {
        log(`measuring ${[...new Set(list.map((x) => x.input.key))].join(', ')} (${size} MB${list.some((x) => x.input.files) ? `; tree of ${treeFiles} files` : ''})`);
        for (let i = 0; i < repeat; i++) {
          for (const { m, input } of list) if (!m.error) await sampleOnce(m, input, i);
        }
        for (const { m, input } of list) finalize(m, input);
      }
    }

    if (doRules) {
      log(`measuring rule-count scaling on mixed-${base}`);
      try {
        results.rulesScale = await runRulesScale({ file: inputs[0].path, workDir: runsDir, repeat, timeoutMs, rssMethod, log });
        for (const e of results.rulesScale.errors) results.errors.push(`rules-scale: ${e}`);
        const gen0 = inputs[0].generated;
        for (const v of ['default', 'scaled']) {
          const f = results.rulesScale[v]?.found;
          if (f !== null && f !== undefined && f !== gen0) results.mismatches.push(`rules-scale ${v}: found ${f} incidents, generated ${gen0}`);
        }
      } catch (error) {
        results.errors.push(`rules-scale: ${error.message}`);
        log(`  rules-scale ERROR: ${error.message}`);
      }
    }

    // ---- report ------------------------------------------------------------------------------
    const rows = [];
    const grepOf = (key) => byKey[`${key}/grep`]?.medianS ?? null;
    for (const m of results.measurements) {
      if (m.mode === 'grep') continue;
      const inputKey = m.input;
      const g = m.kind === 'tree' ? grepOf(`mixed-${base}`) : grepOf(inputKey);
      rows.push({
        label: `${inputKey} ${m.mode === 'file' ? (m.kind === 'tree' ? `dir (${results.generated[inputKey].files} files)` : 'file') : 'stdin'}`,
        sizeMB: m.sizeMB,
        s: m.medianS,
        mbps: m.mbPerS,
        grepS: g,
        xGrep: m.medianS && g ? m.medianS / g : null,
        rss: m.peakRssMB,
        found: m.found,
        generated: m.generated,
        error: m.error,
      });
    }
    if (results.rulesScale?.scaled) {
      const r = results.rulesScale;
      const g = grepOf(`mixed-${base}`);
      for (const [v, name] of [
        ['default', `mixed-${base} rules ${r.defaultRules}`],
        ['scaled', `mixed-${base} rules ${r.totalRules}`],
      ]) {
        const x = r[v];
        rows.push({ label: name, sizeMB: round(r.bytes / MB, 1), s: x.medianS, mbps: x.mbPerS, grepS: g, xGrep: x.medianS && g ? x.medianS / g : null, rss: x.peakRssMB, found: x.found, generated: inputs[0].generated, error: x.samples.find((s) => s.error)?.error ?? null });
      }
    }
    results.rows = rows.map((r) => ({ ...r, xGrep: round(r.xGrep, 2) }));

    const checks = computeChecks({ byKey, sizes, base, rows, results, onlyRules, doTree });
    results.checks = checks;

    log('');
    log(
      table(
        ['input', 'size MB', 'pgtriage s', 'MB/s', 'grep s', 'x grep', 'peak RSS MB', 'incidents found/gen'],
        rows.map((r) => [
          r.label,
          fmt(r.sizeMB, 1),
          r.error && r.s === null ? 'ERROR' : fmt(r.s),
          fmt(r.mbps, 1),
          fmt(r.grepS, 3),
          fmt(r.xGrep, 1),
          fmt(r.rss, 0),
          r.found === null || r.found === undefined ? '-' : `${r.found}/${r.generated}${r.found === r.generated ? '' : ' MISMATCH'}`,
        ]),
      ),
    );
    if (results.rulesScale?.timeRatio !== undefined) {
      const r = results.rulesScale;
      log(`rule-count scaling: ${r.defaultRules} -> ${r.totalRules} rules (${r.factor}x): time x${fmt(r.timeRatio)}${r.lint?.exitCode ? `  (rules lint exit ${r.lint.exitCode})` : ''}`);
    }
    log('');
    log(`target checks:${checks.length ? '' : ' (none in --rules-scale mode)'}`);
    for (const c of checks) log(`  ${c.status.padEnd(4)}  ${c.name}: ${c.detail}`);
    if (results.mismatches.length) {
      log('');
      log('!!!!!!!! MISMATCH: incidents found != incidents generated !!!!!!!!');
      for (const m of results.mismatches) log(`  MISMATCH ${m}`);
    }
    if (results.errors.length) {
      log('');
      log('errors:');
      for (const e of results.errors) log(`  ${e}`);
    }
  } finally {
    results.finishedAt = new Date().toISOString();
    results.machine.loadAvgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');
    log(`\nresults: ${path.relative(process.cwd(), outFile) || outFile}`);
    if (a.keep) log(`inputs kept in ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }

  const failed = results.checks.some((c) => c.status === 'FAIL');
  if (results.errors.length || results.mismatches.length) return 1;
  return a.strict && failed ? 1 : 0;
}

function computeChecks({ byKey, sizes, base, rows, results, onlyRules, doTree }) {
  const checks = [];
  const add = (name, pass, detail) => checks.push({ name, status: pass === null ? 'N/A' : pass ? 'PASS' : 'FAIL', detail });
  if (onlyRules) return checks;
  const med = (k) => byKey[k]?.medianS ?? null;

  // 1. end-to-end <= 2x grep on the 200 MB mixed log (or the middle size when 200 is not run)
  const gSize = sizes.includes(200) ? 200 : sizes[Math.floor((sizes.length - 1) / 2)];
  {
    const t = med(`mixed-${gSize}/file`);
    const g = med(`mixed-${gSize}/grep`);
    const ratio = t && g ? t / g : null;
    add(`end-to-end <= 2x grep on the ${gSize} MB mixed log${gSize === 200 ? '' : ' (issue: 200 MB)'}`, ratio === null ? null : ratio <= 2, ratio === null ? 'no data' : `${fmt(t)} s vs grep ${fmt(g, 3)} s = ${fmt(ratio, 1)}x`);
  }
  // 2. peak RSS <= 128 MB over every run with default options (mixed file/stdin, heavy, tree)
  {
    let worst = null;
    for (const m of results.measurements) {
      if (m.mode === 'grep' || m.peakRssMB === null || m.peakRssMB === undefined) continue;
      if (!worst || m.peakRssMB > worst.rss) worst = { rss: m.peakRssMB, what: `${m.input} ${m.mode}` };
    }
    add('peak RSS <= 128 MB (worst run)', worst ? worst.rss <= 128 : null, worst ? `${fmt(worst.rss, 1)} MB on ${worst.what}` : 'no data');
  }
  // 3. scaling: time(4x size) <= 4.4x time(1x); pairs (s, 4s) when present, else min/max scaled
  {
    const pairs = sizes.filter((s) => sizes.includes(s * 4)).map((s) => [s, s * 4]);
    if (!pairs.length && sizes.length > 1) pairs.push([sizes[0], sizes[sizes.length - 1]]);
    const parts = [];
    let pass = null;
    for (const [s1, s4] of pairs) {
      const t1 = med(`mixed-${s1}/file`);
      const t4 = med(`mixed-${s4}/file`);
      if (!t1 || !t4) continue;
      const k = s4 / s1;
      const limit = 1.1 * k;
      const ratio = t4 / t1;
      pass = (pass ?? true) && ratio <= limit;
      parts.push(`time(${s4})/time(${s1}) = ${fmt(t4)}/${fmt(t1)} = ${fmt(ratio)}x (limit ${fmt(limit, 1)}x for ${fmt(k, 1)}x input)`);
    }
    add('4x input <= 4.4x time', pass, parts.join('; ') || 'no data (needs two sizes)');
  }
  // 4. stdin ~ file: stdin/file within 0.85..1.15 at every size
  {
    const parts = [];
    let pass = null;
    for (const s of sizes) {
      const f = med(`mixed-${s}/file`);
      const i = med(`mixed-${s}/stdin`);
      if (!f || !i) continue;
      const r = i / f;
      pass = (pass ?? true) && r >= 0.85 && r <= 1.15;
      parts.push(`${s} MB: ${fmt(i)} / ${fmt(f)} s = ${fmt(r)}`);
    }
    add('stdin ~ file (stdin/file in 0.85..1.15)', pass, parts.join('; ') || 'no data');
  }
  // 5. incident-heavy throughput >= 0.5x normal (same size)
  {
    const h = byKey[`heavy-${base}/file`];
    const n = byKey[`mixed-${base}/file`];
    const r = h?.mbPerS && n?.mbPerS ? h.mbPerS / n.mbPerS : null;
    add(
      `incident-heavy >= 0.5x normal throughput (${base} MB, 1 incident / ${results.config.heavyEvery} lines)`,
      r === null ? null : r >= 0.5,
      r === null ? 'no data' : `${fmt(h.mbPerS)} vs ${fmt(n.mbPerS)} MB/s = ${fmt(r)}x`,
    );
  }
  // 6. 10k files < 3x one file of the same total size
  if (doTree) {
    const t = byKey[`tree-${base}/file`]?.medianS;
    const f = byKey[`mixed-${base}/file`]?.medianS;
    const r = t && f ? t / f : null;
    add(`${results.config.treeFiles} files < 3x one file (${base} MB total)`, r === null ? null : r < 3, r === null ? 'no data' : `${fmt(t)} vs ${fmt(f)} s = ${fmt(r)}x`);
  }
  // incidents found == generated everywhere
  const counted = rows.some((r) => r.found !== null && r.found !== undefined);
  add(
    'incidents found == generated (every run)',
    results.mismatches.length ? false : counted ? true : null,
    results.mismatches.length ? `${results.mismatches.length} mismatch(es), see MISMATCH lines` : counted ? 'all runs agree' : 'no data',
  );
  return checks;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    killActive();
    if (error instanceof HarnessError) console.error(`bench: ${error.message}`);
    else console.error(`bench: ${error?.stack ?? error}`);
    process.exitCode = 2;
  },
);
