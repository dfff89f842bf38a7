#!/usr/bin/env node
// node eval/corpus.mjs DIR : run pgtriage over a corpus of pasted logs labelled in DIR/cases.jsonl
// (id, file, label, is_08003_family) and print how the top cause compares with each label, and
// calibration: how often the top cause was right at each confidence. A case labelled with a
// cause pgtriage does not model (`other:NAME`) counts as wrong at whatever confidence it got;
// `undiagnosed` cases (the thread never found the cause) are left out of calibration.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
if (!existsSync(path.join(root, 'dist/index.js'))) {
  console.error('corpus: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const { triage } = await import('../dist/index.js');

/** Scores every case of the corpus in `dir` and prints one line per case, then the totals. */
export async function runCorpus(dir, print = (line) => console.log(line)) {
  const casesFile = path.join(dir, 'cases.jsonl');
  if (!existsSync(casesFile)) {
    console.error(`corpus: ${casesFile} not found`);
    return 2;
  }
  const cases = readFileSync(casesFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  let familyRight = 0;
  let labelled = 0;
  let top1 = 0;
  let top3 = 0;
  const calibration = { high: { n: 0, right: 0 }, medium: { n: 0, right: 0 }, low: { n: 0, right: 0 } };
  for (const c of cases) {
    const report = await triage({ path: path.join(dir, c.file) });
    const found = report.incidents.length > 0;
    if (found === c.is_08003_family) familyRight++;
    const ranked = report.causes.map((x) => x.id);
    const known = !c.label.startsWith('other') && c.label !== 'undiagnosed';
    if (known) {
      labelled++;
      if (ranked[0] === c.label) top1++;
      if (ranked.slice(0, 3).includes(c.label)) top3++;
    }
    const confidence = report.causes[0]?.confidence;
    if (found && c.is_08003_family && c.label !== 'undiagnosed' && calibration[confidence]) {
      calibration[confidence].n++;
      if (known && ranked[0] === c.label) calibration[confidence].right++;
    }
    const mark = found !== c.is_08003_family ? 'FAMILY-MISS' : known ? (ranked[0] === c.label ? 'ok' : ranked.slice(0, 3).includes(c.label) ? 'top3' : 'miss') : '-';
    print(`${mark.padEnd(11)} ${c.id.padEnd(58)} label=${c.label.padEnd(36)} got=${(ranked.slice(0, 3).join(',') || 'no incident')} (${report.causes[0]?.confidence ?? '-'})`);
  }
  print(`\nfamily detection ${familyRight}/${cases.length}; labelled causes top-1 ${top1}/${labelled}, top-3 ${top3}/${labelled}`);
  const pct = (a, b) => (b ? `${Math.round((a / b) * 100)}%` : '-');
  print('calibration (how often the top cause was right at each confidence; other:* labels count as wrong):');
  for (const level of ['high', 'medium', 'low']) {
    const { n, right } = calibration[level];
    print(`  ${level.padEnd(7)} ${right}/${n} ${pct(right, n)}`);
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runCorpus(path.resolve(process.argv[2] ?? ''));
}
