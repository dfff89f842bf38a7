#!/usr/bin/env node
// node eval/first-sight.mjs --with DIR [--file F] [--as first-sight|after] [CASE...]
//
// Scores lab cases with the pgtriage built in DIR (a worktree of an older or a newer commit, after
// `npm ci && npm run build` there) and records the result per case in samples/lab/first-sight.json.
//
// Why a recorded file: the first-sight figure of a new stack or layout is what pgtriage did on it
// before anyone changed a rule for it. It cannot be recomputed later from the current code, so it is
// measured once with the round's starting commit and committed; `npm run eval` prints it beside
// today's result.
//
//   --as first-sight  (default) record under cases[name].firstSight; refuses to overwrite one
//                     already recorded unless --force (a first sight happens once)
//   --as first-sight-current
//                     record under cases[name].firstSightCurrent: the same first look, but with
//                     main as it was when the case was added (earlier batches' fixes included,
//                     none for this case yet) — the figure that must rise from batch to batch
//   --as after        record under cases[name].after (re-scored later, e.g. at the end of a round)
//   --baseline        also record the whole-lab summary (every case, old and new) under
//                     summaries[<commit>] — the client-log-only top-1 of the lab at that commit
//   CASE...           lab case names; none = every case under samples/lab whose name is listed
//                     under `new` in the file, plus those given with --new
//   --new NAME        mark NAME as a case new this round (repeatable)
//   --batch N         which batch of new cases this first sight belongs to (the figure must rise
//                     from batch to batch)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { otherSides } from './first-sight-report.mjs';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
let withDir = null;
let file = path.join(root, 'samples/lab/first-sight.json');
let as = 'first-sight';
let force = false;
let baseline = false;
let batch = null;
const names = [];
const newNames = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--with') withDir = path.resolve(args[++i]);
  else if (a === '--file') file = path.resolve(args[++i]);
  else if (a === '--as') as = args[++i];
  else if (a === '--force') force = true;
  else if (a === '--baseline') baseline = true;
  else if (a === '--new') newNames.push(args[++i]);
  else if (a === '--batch') batch = Number(args[++i]);
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else names.push(a);
}
if (!withDir) usage('--with DIR is required');
const KEYS = { 'first-sight': 'firstSight', 'first-sight-current': 'firstSightCurrent', after: 'after' };
if (!KEYS[as]) usage('--as takes first-sight, first-sight-current or after');
// Older commits built the scoreboard into dist/eval/; since it left the package it is built
// into eval/out/js/ by tsconfig.eval.json.
const scoreboardJs = [path.join(withDir, 'eval/out/js/scoreboard.js'), path.join(withDir, 'dist/eval/scoreboard.js')].find((f) => existsSync(f));
if (!scoreboardJs) usage(`no built scoreboard in ${withDir}; run \`npm ci && npm run build && npx tsc -p tsconfig.eval.json\` there`);

function usage(msg) {
  console.error(`first-sight: ${msg}`);
  console.error('usage: node eval/first-sight.mjs --with DIR [--as first-sight|after] [--baseline] [--new NAME]... [CASE...]');
  process.exit(2);
}

const commit = execFileSync('git', ['-C', withDir, 'rev-parse', '--short=7', 'HEAD'], { encoding: 'utf8' }).trim();
const { findLabelledSets, evaluateSet } = await import(scoreboardJs);
const ABOUT =
  'Written by eval/first-sight.mjs. firstSight: how the round\'s starting commit scored each new lab case before any rule ' +
  'was changed for it; after: the same case re-scored later. summaries: the whole lab (old and new 08003-family cases) ' +
  'at one commit. combined = client + server (+ pooler) logs; clientOnly = the client log alone.';
const record = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { cases: {}, summaries: {}, new: [] };
record.new = [...new Set([...(record.new ?? []), ...newNames])].sort();
const sets = await findLabelledSets([path.join(root, 'samples/lab')]);
const byName = new Map(sets.map((s) => [s.name, s]));
const unknown = names.filter((n) => !byName.has(n));
if (unknown.length) usage(`no lab case named ${unknown.join(', ')}`);
const chosen = names.length ? names : newNames.length ? newNames : record.new;

const brief = (r) => ({
  incidents: r.incidents,
  family: r.set.is08003Family ? r.incidents > 0 : r.incidents === 0,
  top: r.top,
  confidence: r.confidence,
  top1: r.correctTop1,
  top3: r.correctTop3,
});

const when = new Date().toISOString().slice(0, 19) + 'Z';
for (const name of chosen) {
  const set = byName.get(name);
  if (!set) usage(`no lab case named ${name}`);
  const entry = (record.cases[name] ??= { cause: set.cause, client: set.client });
  const key = KEYS[as];
  if (key !== 'after' && entry[key] && !force) {
    console.error(`first-sight: ${name} already has ${key} (${entry[key].commit}); kept (use --force to redo)`);
    continue;
  }
  const combined = brief(await evaluateSet(set, 'combined'));
  const clientOnly = brief(await evaluateSet(set, 'client-only'));
  const views = {};
  for (const [view, other] of otherSides(set)) views[view] = brief(await evaluateSet(other, 'client-only'));
  entry[key] = { commit, at: when, ...(batch ? { batch } : {}), combined, clientOnly, ...views };
  const show = (b) => `${b.family ? 'found' : 'MISSED'} top=${b.top ?? '-'}${b.top1 ? ' (right)' : ''}`;
  console.log(`${name.padEnd(34)} ${key} @${commit}: combined ${show(combined)}; client-only ${show(clientOnly)}`);
}

if (baseline) {
  // the whole lab at this commit: how many 08003-family cases each view gets right first
  const tally = { combined: { positives: 0, top1: 0, family: 0 }, clientOnly: { positives: 0, top1: 0, family: 0 }, cases: [] };
  for (const set of sets) {
    if (!set.is08003Family) continue;
    tally.cases.push(set.name);
    for (const [mode, key] of [['combined', 'combined'], ['client-only', 'clientOnly']]) {
      const r = await evaluateSet(set, mode);
      tally[key].positives++;
      if (r.incidents > 0) tally[key].family++;
      if (r.correctTop1) tally[key].top1++;
    }
  }
  record.summaries[commit] = { at: when, ...tally };
  console.log(`whole lab @${commit}: combined top-1 ${tally.combined.top1}/${tally.combined.positives}, client-only top-1 ${tally.clientOnly.top1}/${tally.clientOnly.positives}`);
}

writeFileSync(file, serialize(record));
console.log(`written: ${path.relative(process.cwd(), file)}`);

/** One line per case and view, so a diff of the file shows exactly which figure changed. */
function serialize(rec) {
  const cases = Object.entries(rec.cases).sort(([a], [b]) => a.localeCompare(b));
  const lines = ['{', `  "about": ${JSON.stringify(rec.about ?? ABOUT)},`, `  "new": ${JSON.stringify(rec.new)},`, '  "summaries": {'];
  const sums = Object.entries(rec.summaries ?? {});
  sums.forEach(([k, v], i) => lines.push(`    ${JSON.stringify(k)}: ${JSON.stringify(v)}${i < sums.length - 1 ? ',' : ''}`));
  lines.push('  },', '  "cases": {');
  cases.forEach(([name, c], i) => {
    lines.push(`    ${JSON.stringify(name)}: {`);
    const parts = Object.entries(c).map(([k, v]) => `      ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    lines.push(parts.join(',\n'));
    lines.push(`    }${i < cases.length - 1 ? ',' : ''}`);
  });
  lines.push('  }', '}');
  return lines.join('\n') + '\n';
}
