#!/usr/bin/env node
// npm run eval [-- ROOT...] [--json FILE] [--corpus DIR] : the accuracy scoreboard over labelled
// sample sets; with --corpus, also a folder of labelled pasted logs (cases.jsonl, eval/corpus.mjs).
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
if (!existsSync(path.join(root, 'eval/out/js/scoreboard.js'))) {
  console.error('eval: the scoreboard is not built; run `npm run eval`');
  process.exit(2);
}
const { findLabelledSets, buildScoreboard, formatScoreboard, evaluateSet } = await import('./out/js/scoreboard.js');

const args = process.argv.slice(2);
let jsonOut = path.join(root, 'eval/out/scoreboard.json');
const roots = [];
const corpora = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--json') jsonOut = path.resolve(args[++i]);
  else if (args[i] === '--corpus') corpora.push(path.resolve(args[++i]));
  else roots.push(path.resolve(args[i]));
}
if (roots.length === 0) roots.push(path.join(root, 'samples'));

const sets = await findLabelledSets(roots);
if (sets.length === 0) {
  console.error(`eval: no manifest.json found under ${roots.join(', ')}`);
  process.exit(2);
}
const board = await buildScoreboard(sets);
process.stdout.write(`${sets.length} labelled sample sets under ${roots.map((r) => path.relative(process.cwd(), r) || '.').join(', ')}\n\n`);
process.stdout.write(formatScoreboard(board));
// first-sight figures recorded in the repo (eval/first-sight.mjs), beside today's
const firstSightFile = path.join(root, 'samples/lab/first-sight.json');
if (existsSync(firstSightFile)) {
  const { formatFirstSight } = await import('./first-sight-report.mjs');
  const section = await formatFirstSight(JSON.parse(readFileSync(firstSightFile, 'utf8')), board, evaluateSet);
  if (section) process.stdout.write('\n' + section);
}
for (const dir of corpora) {
  const { runCorpus } = await import('./corpus.mjs');
  process.stdout.write(`\n== corpus ${path.relative(process.cwd(), dir) || '.'} ==\n`);
  if ((await runCorpus(dir)) !== 0) process.exitCode = 2;
}
mkdirSync(path.dirname(jsonOut), { recursive: true });
const slim = { ...board, results: board.results.map((r) => ({ ...r, set: { name: r.set.name, cause: r.set.cause, client: r.set.client, origin: r.set.origin } })) };
writeFileSync(jsonOut, JSON.stringify(slim, null, 2) + '\n');
process.stdout.write(`\nwritten: ${path.relative(process.cwd(), jsonOut)}\n`);
