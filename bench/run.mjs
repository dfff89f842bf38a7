// pgtriage benchmark on the worst realistic inputs (issue 13): busy service log, mixed pipeline
// log, PostgreSQL server log, PgBouncer log, large dbt.log, and the friendly mixed log as the
// best case. Same-run baselines: grep -cE, ripgrep, lnav headless and pgBadger on the server log.
// See bench/README.md. `npm run bench` = `node bench/run.mjs`.
//
//   node bench/run.mjs [--size 200] [--quick] [--shapes busy,mixed,...] [--repeat 3] [--huge]
//                      [--no-scale] [--strict] [--keep] [--tmp DIR] [--out FILE]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateFile } from './generate.mjs';
import { SHAPES, generateShapeFile } from './shapes.mjs';
import {
  BENCH_DIR,
  GREP_PATTERN,
  HarnessError,
  MB,
  ROOT,
  detectRssMethod,
  fmt,
  freeBytes,
  hasTool,
  killActive,
  machineInfo,
  max,
  median,
  parseArgs,
  readReport,
  requireBuild,
  round,
  runGrep,
  runPgtriage,
  runTool,
  table,
} from './lib.mjs';

const ALL = ['busy', 'mixed', 'server', 'pgbouncer', 'dbt', 'friendly'];
const HELP = `usage: node bench/run.mjs [options]
  --size MB           size of every generated input (MiB), default 200
  --quick             size 20, one run each (a smoke run of the whole table)
  --shapes A,B        inputs to run, default ${ALL.join(',')}
  --repeat N          runs per measurement, the median is reported (default 3)
  --timeout S         per-run timeout in seconds (default 900)
  --seed N            generator seed (default 1)
  --no-scale          skip the 1x -> 4x scaling run (busy log at size/4)
  --huge              also the busy log at 1024 MB (peak RSS must stay <= 128 MB)
  --rss-method M      time | wrapper (default: time when /usr/bin/time -v works)
  --tmp DIR           where to generate inputs (default: the OS temp dir)
  --keep              keep the generated inputs
  --strict            exit 1 when a target check fails (run errors and MISMATCH always do)
  --out FILE          results JSON (default bench/out/results.json)
The friendly-case suite (sizes, stdin, 10,000 files, rule count): node bench/friendly.mjs --help
`;
const SPEC = {
  size: 'string',
  quick: 'boolean',
  shapes: 'string',
  repeat: 'string',
  timeout: 'string',
  seed: 'string',
  'no-scale': 'boolean',
  huge: 'boolean',
  'rss-method': 'string',
  tmp: 'string',
  keep: 'boolean',
  strict: 'boolean',
  out: 'string',
  help: 'boolean',
};
const PG_PREFIX = '%m [%p] %q%u@%d ';

let stdoutClosed = false;
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') stdoutClosed = true;
  else throw error;
});
const log = (...a) => {
  if (!stdoutClosed) console.log(...a);
};

/** Same incidents, whatever the input was called: what stdin must reproduce of a file run. */
function fingerprint(report) {
  return report.incidents.map((i) => `${i.sqlstate}|${i.kind}|${i.line}-${i.endLine}|${i.message}|${i.causes?.[0]?.id}`).join('\n');
}

async function main() {
  const a = parseArgs(process.argv.slice(2), SPEC);
  if (a.help) {
    process.stdout.write(HELP);
    return 0;
  }
  requireBuild();
  const size = Number(a.size ?? (a.quick ? 20 : 200));
  if (!(size > 0)) throw new HarnessError(`bad --size "${a.size}"`);
  const shapes = a.shapes ? a.shapes.split(',').map((s) => s.trim()) : ALL;
  for (const s of shapes) if (!ALL.includes(s)) throw new HarnessError(`unknown shape "${s}" (known: ${ALL.join(', ')})`);
  const repeat = Math.max(1, Number(a.repeat ?? (a.quick ? 1 : 3)) | 0);
  const timeoutMs = Number(a.timeout ?? 900) * 1000;
  const seed = Number(a.seed ?? 1);
  const doScale = !a['no-scale'] && shapes.includes('busy');
  const rssMethod = detectRssMethod(a['rss-method']);
  const outFile = path.resolve(a.out ?? path.join(BENCH_DIR, 'out', 'results.json'));
  const baselines = { rg: hasTool('rg'), lnav: hasTool('lnav'), pgbadger: hasTool('pgbadger') };

  const machine = machineInfo(rssMethod);
  log(`pgtriage bench — node ${machine.node}, ${machine.cpus} cpus (${machine.cpuModel}), ${machine.totalMemMB} MB RAM`);
  log(`${machine.grep}; peak RSS via ${machine.rssMethod}; load average at start ${machine.loadAvgAtStart.join(' ')}`);
  for (const [tool, ok] of Object.entries(baselines)) if (!ok) log(`note: ${tool} is not installed; its baseline is skipped`);
  log(`inputs of ${size} MB (1 MB = 2^20 bytes), ${repeat} run(s) each (median), timeout ${timeoutMs / 1000}s per run`);

  const tmpRoot = path.resolve(a.tmp ?? os.tmpdir());
  const need = (shapes.length + (doScale ? 0.25 : 0) + (a.huge ? 1024 / size : 0)) * size * MB * 1.1;
  const free = freeBytes(tmpRoot);
  if (free !== null && free < need) throw new HarnessError(`not enough disk space in ${tmpRoot}: need about ${fmt(need / MB, 0)} MB, ${fmt(free / MB, 0)} MB free (use --tmp DIR or a smaller --size)`);
  const work = fs.mkdtempSync(path.join(tmpRoot, 'pgtriage-bench-'));
  const runsDir = path.join(work, 'runs');
  fs.mkdirSync(runsDir);
  const onSignal = (sig) => {
    killActive();
    fs.rmSync(work, { recursive: true, force: true });
    process.kill(process.pid, sig);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results = {
    startedAt: new Date().toISOString(),
    machine,
    config: { size, shapes, repeat, timeoutS: timeoutMs / 1000, seed, grepPattern: GREP_PATTERN, pgPrefix: PG_PREFIX, baselines, mbIs: 'MiB (2^20 bytes)' },
    startup: null,
    inputs: {},
    rows: [],
    checks: [],
    mismatches: [],
    errors: [],
  };

  try {
    // ---- start-up: an empty file --------------------------------------------------------------
    const empty = path.join(work, 'empty.log');
    fs.writeFileSync(empty, '');
    const st = [];
    for (let i = 0; i < Math.max(3, repeat); i++) {
      const r = await runPgtriage({ args: ['--format', 'json', empty], workDir: runsDir, rssMethod, timeoutMs: 60_000, label: 'startup' });
      if (!r.ok) throw new HarnessError(`the CLI does not work on an empty file: ${r.error}\n${r.stderr}`);
      fs.rmSync(r.stdoutFile, { force: true });
      st.push(r);
    }
    const bare = await runTool({ cmd: process.execPath, args: ['-e', ''], timeoutMs: 60_000, workDir: runsDir });
    results.startup = { medianS: round(median(st.map((r) => r.wallS))), peakRssMB: round(max(st.map((r) => r.rssMB)), 1), bareNodeS: round(bare.wallS) };
    log(`start-up on an empty file: ${fmt(results.startup.medianS, 3)} s, ${fmt(results.startup.peakRssMB, 0)} MB RSS (bare node: ${fmt(bare.wallS, 3)} s)`);

    // ---- generate -----------------------------------------------------------------------------
    const inputs = [];
    const gen = async (key, shape, bytes) => {
      const file = path.join(work, `${key}.log`);
      const t0 = process.hrtime.bigint();
      const stats = shape === 'friendly' ? await generateFile(file, { sizeBytes: bytes, seed }) : await generateShapeFile(file, { shape, sizeBytes: bytes, seed });
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      results.inputs[key] = { ...stats, file: undefined, generateS: round(s) };
      log(`generated ${key}: ${fmt(stats.bytes / MB, 1)} MB, ${stats.lines} lines, ${stats.incidents ?? '(undefined)'} incidents${stats.sessionsCut ? ` (${stats.sessionsCut} pooler sessions cut)` : ''} (${fmt(s, 1)} s)`);
      const input = { key, shape, path: file, bytes: stats.bytes, generated: stats.incidents };
      inputs.push(input);
      return input;
    };
    for (const shape of shapes) await gen(`${shape}-${size}`, shape, Math.round(size * MB));
    const scaleInput = doScale ? await gen(`busy-${size / 4}`, 'busy', Math.round((size / 4) * MB)) : null;

    // ---- measure ------------------------------------------------------------------------------
    const runCli = async (input, format, stdin) => {
      const args = ['--format', format, stdin ? '-' : input.path];
      const r = await runPgtriage({ args, stdinFile: stdin ? input.path : undefined, workDir: runsDir, rssMethod, timeoutMs, label: `${input.key}-${format}` });
      const out = { wallS: r.wallS, rssMB: r.rssMB, exitCode: r.exitCode, reportBytes: null, found: null, fingerprint: null, error: r.error ?? null };
      if (r.ok) {
        out.reportBytes = fs.statSync(r.stdoutFile).size;
        if (format === 'json') {
          if (out.reportBytes > 256 * MB) out.error = `JSON report of ${fmt(out.reportBytes / MB, 0)} MB: too large to read back`;
          else {
            const rep = readReport(r.stdoutFile);
            if (rep.error) out.error = rep.error;
            else {
              out.found = rep.found;
              out.fingerprint = fingerprint(JSON.parse(fs.readFileSync(r.stdoutFile, 'utf8')));
              out.stats = rep.stats;
            }
          }
        }
      }
      if (out.error && r.stderr) out.error += ` | stderr: ${r.stderr.trim().slice(-400)}`;
      fs.rmSync(r.stdoutFile, { force: true });
      return out;
    };
    const baseline = async (tool, input) => {
      if (tool === 'grep') return runGrep({ file: input.path, timeoutMs, workDir: runsDir });
      if (tool === 'rg') return runTool({ cmd: 'rg', args: ['-c', '-e', GREP_PATTERN, input.path], timeoutMs, workDir: runsDir, okCodes: [0, 1] });
      if (tool === 'lnav') {
        // lnav keeps state under $HOME/.lnav: give it a private one.
        const home = path.join(work, 'lnav-home');
        fs.mkdirSync(home, { recursive: true });
        return runTool({ cmd: 'lnav', args: ['-n', '-c', ';SELECT count(*) FROM all_logs WHERE log_level = "error"', input.path], timeoutMs, workDir: runsDir, env: { HOME: home } });
      }
      if (tool === 'pgbadger') {
        const html = path.join(runsDir, 'pgbadger.html');
        const r = await runTool({ cmd: 'pgbadger', args: ['-j', '1', '-q', '-f', 'stderr', '--prefix', PG_PREFIX, '-o', html, input.path], timeoutMs, workDir: runsDir });
        fs.rmSync(html, { force: true });
        return r;
      }
      throw new Error(tool);
    };

    const med = (xs, k) => round(median(xs.filter((x) => !x.error).map((x) => x[k])), 3);
    for (const input of [...inputs.filter((i) => i !== scaleInput), ...(scaleInput ? [scaleInput] : [])]) {
      const isScale = input === scaleInput;
      const tools = isScale ? ['grep'] : ['grep', ...(baselines.rg ? ['rg'] : [])];
      if (input.shape === 'server' && !isScale) for (const t of ['lnav', 'pgbadger']) if (baselines[t]) tools.push(t);
      const formats = isScale ? ['json'] : ['json', 'text'];
      log(`measuring ${input.key} (${input.shape === 'friendly' ? 'friendly mixed log, best case' : SHAPES[input.shape].title})`);
      const samples = Object.fromEntries([...tools, ...formats].map((k) => [k, []]));
      // Interleaved rounds: drifting load on the shared machine hits pgtriage and baselines alike.
      for (let i = 0; i < repeat; i++) {
        for (const t of tools) {
          const r = await baseline(t, input);
          samples[t].push(r);
          log(`  ${t.padEnd(8)} #${i + 1}: ${r.error ? 'ERROR ' + r.error : `${fmt(r.wallS, 3)} s${t === 'lnav' ? ` (${r.stdout.replace(/\s+/g, ' ').trim()})` : ''}`}`);
        }
        for (const f of formats) {
          const r = await runCli(input, f, false);
          samples[f].push(r);
          log(`  ${f.padEnd(8)} #${i + 1}: ${r.error ? 'ERROR ' + r.error : `${fmt(r.wallS)} s, ${fmt(r.rssMB, 0)} MB RSS, report ${fmt(r.reportBytes / 1024, 0)} KB${f === 'json' ? `, ${r.found}/${input.generated ?? '-'} incidents` : ''}`}`);
        }
      }
      // stdin must give the very incidents of the file run (once; timed but not repeated).
      const stdin = isScale ? null : await runCli(input, 'json', true);
      if (stdin) log(`  stdin    #1: ${stdin.error ? 'ERROR ' + stdin.error : `${fmt(stdin.wallS)} s, ${fmt(stdin.rssMB, 0)} MB RSS, ${stdin.found} incidents`}`);

      const grepS = med(samples.grep, 'wallS');
      const rgS = samples.rg ? med(samples.rg, 'wallS') : null;
      const row = {
        input: input.key,
        shape: input.shape,
        sizeMB: round(input.bytes / MB, 1),
        generated: input.generated,
        grepS,
        rgS,
        lnavS: samples.lnav ? med(samples.lnav, 'wallS') : null,
        lnavErrors: samples.lnav?.[0]?.stdout ? Number(/\d+/.exec(samples.lnav[0].stdout.split('\n').slice(1).join(' '))?.[0] ?? NaN) : null,
        pgbadgerS: samples.pgbadger ? med(samples.pgbadger, 'wallS') : null,
        formats: {},
        stdin: stdin ? { wallS: round(stdin.wallS), rssMB: round(stdin.rssMB, 1), found: stdin.found, sameAsFile: stdin.fingerprint !== null && stdin.fingerprint === samples.json.find((s) => s.fingerprint !== null)?.fingerprint } : null,
        samples,
      };
      for (const f of formats) {
        const ok = samples[f].filter((s) => !s.error);
        const s = med(samples[f], 'wallS');
        const founds = [...new Set(ok.map((x) => x.found).filter((x) => x !== null))];
        row.formats[f] = {
          s,
          mbps: s ? round(input.bytes / MB / s, 2) : null,
          xGrep: s && grepS ? round(s / grepS, 2) : null,
          xRg: s && rgS ? round(s / rgS, 2) : null,
          peakRssMB: round(max(ok.map((x) => x.rssMB)), 1),
          reportBytes: ok[0]?.reportBytes ?? null,
          found: founds.length === 1 ? founds[0] : founds.length ? founds : null,
          error: samples[f].find((x) => x.error)?.error ?? null,
        };
        if (f === 'json' && input.generated !== null) {
          if (founds.length > 1) results.mismatches.push(`${input.key}: runs disagree on incidents (${founds.join(', ')})`);
          else if (founds.length && founds[0] !== input.generated) results.mismatches.push(`${input.key}: found ${founds[0]} incidents, generated ${input.generated}`);
        }
        for (const x of samples[f]) if (x.error) results.errors.push(`${input.key} ${f}: ${x.error}`);
      }
      if (stdin && !row.stdin.sameAsFile) results.mismatches.push(`${input.key}: stdin gave ${stdin.found} incidents${stdin.error ? ` (${stdin.error})` : ''}, not the file run's incidents`);
      for (const t of tools) for (const x of samples[t]) if (x.error) results.errors.push(`${input.key} ${t}: ${x.error}`);
      for (const k of Object.keys(samples)) samples[k] = samples[k].map(({ fingerprint: _f, ...rest }) => rest);
      results.rows.push(row);
    }

    // ---- huge: memory on 1 GB ---------------------------------------------------------------
    if (a.huge) {
      const input = await gen('busy-1024', 'busy', 1024 * MB);
      log('measuring busy-1024 (peak RSS on 1 GB, json and text, one run each)');
      const row = { input: input.key, shape: 'busy', sizeMB: round(input.bytes / MB, 1), generated: input.generated, grepS: null, formats: {}, huge: true };
      const g = await runGrep({ file: input.path, timeoutMs, workDir: runsDir });
      row.grepS = round(g.wallS, 3);
      for (const f of ['json', 'text']) {
        const r = await runCli(input, f, false);
        row.formats[f] = { s: round(r.wallS), mbps: round(input.bytes / MB / r.wallS, 2), xGrep: round(r.wallS / g.wallS, 2), peakRssMB: round(r.rssMB, 1), reportBytes: r.reportBytes, found: r.found, error: r.error };
        log(`  ${f.padEnd(8)}: ${r.error ? 'ERROR ' + r.error : `${fmt(r.wallS)} s, ${fmt(r.rssMB, 0)} MB RSS, report ${fmt(r.reportBytes / 1024, 0)} KB${f === 'json' ? `, ${r.found}/${input.generated} incidents` : ''}`}`);
        if (r.error) results.errors.push(`${input.key} ${f}: ${r.error}`);
        if (f === 'json' && r.found !== null && r.found !== input.generated) results.mismatches.push(`${input.key}: found ${r.found} incidents, generated ${input.generated}`);
      }
      results.rows.push(row);
      fs.rmSync(input.path, { force: true });
    }

    // ---- report -------------------------------------------------------------------------------
    printTable(results);
    results.checks = computeChecks(results, { size, scale: doScale });
    log('');
    log('target checks (issue 13 "Done when"):');
    for (const c of results.checks) log(`  ${c.status.padEnd(4)}  ${c.name}: ${c.detail}`);
    if (results.mismatches.length) {
      log('');
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
    log(`\nresults: ${path.relative(process.cwd(), outFile) || outFile}; load average at end ${results.machine.loadAvgAtEnd.join(' ')}`);
    if (a.keep) log(`inputs kept in ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
  if (results.errors.length || results.mismatches.length) return 1;
  return a.strict && results.checks.some((c) => c.status === 'FAIL') ? 1 : 0;
}

function printTable(results) {
  const rows = [];
  for (const r of results.rows) {
    for (const [f, m] of Object.entries(r.formats)) {
      rows.push([
        f === 'json' ? r.input : '',
        f,
        fmt(r.sizeMB, 0),
        m.error && m.s === null ? 'ERROR' : fmt(m.s),
        fmt(m.mbps, 1),
        f === 'json' ? fmt(r.grepS, 3) : '',
        fmt(m.xGrep, 1),
        f === 'json' ? fmt(r.rgS, 3) : '',
        fmt(m.xRg, 1),
        fmt(m.peakRssMB, 0),
        m.reportBytes === null ? '-' : fmt(m.reportBytes / 1024, 0),
        f === 'json' ? `${m.found ?? '-'}/${r.generated ?? '-'}${r.generated !== null && m.found !== null && m.found !== r.generated ? ' MISMATCH' : ''}` : '',
        f === 'json' && r.stdin ? (r.stdin.sameAsFile ? 'same' : 'DIFFERS') : '',
      ]);
    }
  }
  log('');
  log(table(['input', 'format', 'MB', 'pgtriage s', 'MB/s', 'grep s', 'x grep', 'rg s', 'x rg', 'peak RSS MB', 'report KB', 'incidents found/gen', 'stdin'], rows));
  const server = results.rows.find((r) => r.shape === 'server');
  if (server && (server.lnavS || server.pgbadgerS)) {
    const t = server.formats.json?.s;
    log('');
    log(
      `server log baselines: lnav headless error count ${fmt(server.lnavS, 3)} s (${Number.isFinite(server.lnavErrors) ? server.lnavErrors : '?'} errors; pgtriage/lnav = ${fmt(t && server.lnavS ? t / server.lnavS : null)}x), ` +
        `pgBadger -j 1 ${fmt(server.pgbadgerS, 3)} s (pgtriage/pgBadger = ${fmt(t && server.pgbadgerS ? t / server.pgbadgerS : null)}x)`,
    );
  }
  log(`start-up (empty file): ${fmt(results.startup?.medianS, 3)} s, bare node ${fmt(results.startup?.bareNodeS, 3)} s`);
}

function computeChecks(results, { size, scale }) {
  const checks = [];
  const add = (name, pass, detail) => checks.push({ name, status: pass === null || pass === undefined ? 'N/A' : pass ? 'PASS' : 'FAIL', detail });
  const row = (shape) => results.rows.find((r) => r.shape === shape && !r.huge && r.input === `${shape}-${size}`);
  const busy = row('busy');
  const mixed = row('mixed');
  const server = row('server');
  const dbt = row('dbt');
  const exact = (r) => (r ? r.formats.json?.found === r.generated && r.generated !== null : null);
  if (busy) {
    const j = busy.formats.json;
    const t = busy.formats.text;
    add(`busy ${size} MB: <= 3x grep -cE`, j.xGrep === null ? null : j.xGrep <= 3, `${fmt(j.s)} s vs ${fmt(busy.grepS, 3)} s = ${fmt(j.xGrep, 1)}x`);
    add(`busy ${size} MB: peak RSS <= 128 MB (json, text)`, j.peakRssMB === null || t?.peakRssMB == null ? null : j.peakRssMB <= 128 && t.peakRssMB <= 128, `json ${fmt(j.peakRssMB, 0)} MB, text ${fmt(t?.peakRssMB, 0)} MB`);
    add(`busy ${size} MB: JSON report <= 5 MB`, j.reportBytes === null ? null : j.reportBytes <= 5 * MB, `${fmt(j.reportBytes / MB, 2)} MB`);
    add(`busy ${size} MB: incidents exact`, exact(busy), `${j.found}/${busy.generated}`);
  }
  if (mixed) {
    const j = mixed.formats.json;
    add(`mixed ${size} MB: <= 2x grep -cE`, j.xGrep === null ? null : j.xGrep <= 2, `${fmt(j.s)} s vs ${fmt(mixed.grepS, 3)} s = ${fmt(j.xGrep, 1)}x`);
    const rss = max([j.peakRssMB, mixed.formats.text?.peakRssMB]);
    add(`mixed ${size} MB: peak RSS <= 128 MB`, rss === null ? null : rss <= 128, `json ${fmt(j.peakRssMB, 0)} MB, text ${fmt(mixed.formats.text?.peakRssMB, 0)} MB`);
  }
  if (server) {
    const t = server.formats.json?.s;
    add('server log: not slower than lnav headless', t && server.lnavS ? t <= server.lnavS : null, server.lnavS ? `${fmt(t)} s vs lnav ${fmt(server.lnavS)} s` : 'lnav not installed');
  }
  if (dbt) add('dbt.log: incidents exact', exact(dbt), `${dbt.formats.json?.found}/${dbt.generated}`);
  const huge = results.rows.find((r) => r.huge);
  if (huge) {
    const rss = max([huge.formats.json?.peakRssMB, huge.formats.text?.peakRssMB]);
    add('1 GB input: peak RSS <= 128 MB', rss === null ? null : rss <= 128, `json ${fmt(huge.formats.json?.peakRssMB, 0)} MB, text ${fmt(huge.formats.text?.peakRssMB, 0)} MB`);
  }
  if (scale) {
    const small = results.rows.find((r) => r.input === `busy-${size / 4}`);
    const t1 = small?.formats.json?.s;
    const t4 = busy?.formats.json?.s;
    add('4x input <= 4.4x time (busy)', t1 && t4 ? t4 / t1 <= 4.4 : null, t1 && t4 ? `${fmt(t4)} / ${fmt(t1)} s = ${fmt(t4 / t1)}x` : 'no data');
  }
  const exactAll = results.rows.filter((r) => r.generated !== null && !r.huge);
  add('incidents found == generated, every input', exactAll.length ? exactAll.every(exact) : null, exactAll.map((r) => `${r.shape} ${r.formats.json?.found ?? '-'}/${r.generated}`).join(', '));
  const stdinRows = results.rows.filter((r) => r.stdin);
  add('stdin == file (same incidents), every input', stdinRows.length ? stdinRows.every((r) => r.stdin.sameAsFile) : null, stdinRows.map((r) => `${r.shape} ${r.stdin.sameAsFile ? 'same' : 'DIFFERS'}`).join(', '));
  add(`start-up on an empty file <= 0.1 s`, results.startup ? results.startup.medianS <= 0.1 : null, `${fmt(results.startup?.medianS, 3)} s (bare node ${fmt(results.startup?.bareNodeS, 3)} s)`);
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
