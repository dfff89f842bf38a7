#!/usr/bin/env node
// node eval/corpus.mjs DIR : run pgtriage over a corpus of pasted logs labelled in DIR/cases.jsonl
// (id, file, label, is_08003_family) and print how the top cause compares with each label.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
if (!existsSync(path.join(root, 'dist/index.js'))) {
  console.error('corpus: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const { triage } = await import('../dist/index.js');
const dir = path.resolve(process.argv[2] ?? '');
const casesFile = path.join(dir, 'cases.jsonl');
if (!existsSync(casesFile)) {
  console.error(`corpus: ${casesFile} not found`);
  process.exit(2);
}
const cases = readFileSync(casesFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
let familyRight = 0;
let labelled = 0;
let top1 = 0;
let top3 = 0;
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
  const mark = found !== c.is_08003_family ? 'FAMILY-MISS' : known ? (ranked[0] === c.label ? 'ok' : ranked.slice(0, 3).includes(c.label) ? 'top3' : 'miss') : '-';
  console.log(`${mark.padEnd(11)} ${c.id.padEnd(58)} label=${c.label.padEnd(36)} got=${(ranked.slice(0, 3).join(',') || 'no incident')} (${report.causes[0]?.confidence ?? '-'})`);
}
console.log(`\nfamily detection ${familyRight}/${cases.length}; labelled causes top-1 ${top1}/${labelled}, top-3 ${top3}/${labelled}`);
