#!/usr/bin/env node
/**
 * Longer fuzz run against the built library (dist/): hostile bytes in arbitrary chunks.
 *   npm run build && node scripts/fuzz.mjs [runs=2000] [seed]
 * Properties: triage() never throws, the report round-trips through JSON, and the report does
 * not depend on chunk boundaries. A fresh seed each run (printed), so a failure can be replayed
 * with `node scripts/fuzz.mjs 1 <seed>` ... plus the printed path. Exit 1 on a counterexample.
 */
import { isDeepStrictEqual } from 'node:util';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { DEFAULT_RULES_DIR, loadRulePacks, triage } from '../dist/index.js';

const runs = Number(process.argv[2] ?? 2000);
const seed = process.argv[3] !== undefined ? Number(process.argv[3]) : Date.now() ^ (Math.random() * 0x7fffffff);
const pack = await loadRulePacks([DEFAULT_RULES_DIR]);
const KNOWN = '2024-05-01 02:00:00,000 ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly';

const FRAGMENTS = [
  KNOWN + '\n', '\n', '\r\n', '\r', '\x00', '\x1f\x8b', '\xef\xbb\xbf', '\xff\xfe', '{"a":', '{"data": {"level": "error"', '[\n', '  "x",\n',
  'Traceback (most recent call last):\n', '  File "a.py", line 1, in <module>\n', '[SQL: SELECT 1]\n', '[SQL: ',
  'ERROR 1 of 1 in model m (models/m.sql)\n', '  Database Error in model m\n',
  '2024-05-01 02:00:01.000 UTC [42] FATAL:  terminating connection due to administrator command\n',
  '2024-05-01 02:00:01.000 UTC [42] DETAIL:  x\n', '\tSELECT 1\n',
  '2024-05-01 02:00:01 UTC,"u","d",42,"h:1",x,1,"idle",2024-05-01 02:00:00 UTC,3/1,0,FATAL,57P01,"terminating ',
  '2024-05-01 02:00:02.000 UTC [1] LOG C-0x1: db/u@1.2.3.4:5 closing because: client unexpected eof (age=1s)\n',
  'Activity failed: CopyData | ErrorCode: X | Message: Error [08003] connection does not exist\n',
  '\x1b[2J\x1b]8;;http://x\x07', 'password=S3cretPw ', 'postgresql://u:S3cretPw@h/d ',
];
const bytes = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.uint8Array({ maxLength: 256 }).map((a) => Buffer.from(a)) },
      { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS).map((s) => Buffer.from(s, 'latin1')) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }).map((s) => Buffer.from(s, 'utf8')) },
      { weight: 1, arbitrary: fc.nat(20_000).map((n) => Buffer.alloc(n, n % 2 ? 0x78 : 0)) },
    ),
    { maxLength: 80 },
  )
  .chain((b) => fc.constantFrom(Buffer.concat(b), gzipSync(Buffer.concat(b)), gzipSync(Buffer.concat(b)).subarray(0, Math.floor(Buffer.concat(b).length / 2))));

function chunked(buf, cuts) {
  const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out = [];
  let prev = 0;
  for (const c of [...at, buf.length]) {
    if (c > prev) out.push(buf.subarray(prev, c));
    prev = c;
  }
  return out;
}
const run = (chunks) => triage({ name: 'fuzz.log', content: Readable.from(chunks, { objectMode: true }) }, { pack });

console.log(`pgtriage fuzz: ${runs} runs, seed ${seed}`);
const t0 = Date.now();
try {
  await fc.assert(
    fc.asyncProperty(bytes, fc.array(fc.nat(1 << 16), { maxLength: 24 }), async (buf, cuts) => {
      const whole = await run([buf]);
      const json = JSON.parse(JSON.stringify(whole));
      if (!isDeepStrictEqual(json, JSON.parse(JSON.stringify(json)))) throw new Error('report does not round-trip through JSON');
      const pieces = JSON.parse(JSON.stringify(await run(chunked(buf, cuts))));
      if (!isDeepStrictEqual(pieces, json)) throw new Error('chunk boundaries changed the report');
    }),
    { seed, numRuns: runs, verbose: 1 },
  );
  console.log(`ok: no counterexample in ${runs} runs (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
} catch (error) {
  console.error(String(error?.message ?? error));
  process.exitCode = 1;
}
