#!/usr/bin/env node
// Writes <sample>.expected.json next to every sample under samples/formats, samples/server,
// samples/config and the seed: what pgtriage finds in that file on its own. Run after a
// deliberate change, then REVIEW the diff (git diff samples/) before committing: the golden
// test (test/samples.test.ts) holds pgtriage to these files.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';

const { triage } = await import('../dist/index.js');
const files = (
  await fg(['samples/seed-example.log', 'samples/{formats,server,config}/*'], {
    ignore: ['**/*.md', '**/*.expected.json', '**/*.sh'],
  })
).sort();
for (const file of files) {
  const report = await triage({ path: file });
  const expected = {
    incidents: report.incidents.map((i) => ({
      line: i.line,
      endLine: i.endLine,
      sqlstate: i.sqlstate,
      kind: i.kind,
      format: i.format,
      top: i.causes[0].id,
    })),
    neighbours: report.neighbours.map((n) => ({ line: n.line, sqlstate: n.sqlstate })),
    formats: report.sources[0]?.formats ?? {},
  };
  const out = file.replace(/(\.[^./]+)?$/, '.expected.json');
  writeFileSync(out, JSON.stringify(expected, null, 2) + '\n');
  console.log(`${path.relative('.', out)}: ${expected.incidents.length} incident(s), ${expected.neighbours.length} neighbour(s)`);
}
