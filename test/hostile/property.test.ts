/**
 * Properties of triage() on hostile bytes (fast-check, fixed seeds, bounded runs):
 *  (a) arbitrary bytes in arbitrary chunks never make it throw, and the report survives JSON;
 *  (b) garbage lines inserted BETWEEN the records of a realistic multi-format log do not change
 *      the incidents found (failure line in the original numbering, sqlstate, top cause);
 *  (c) chunk boundaries never change the report.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRulePacks, triage, type Report, type RulePack } from '../../src/index.js';
import { KNOWN } from './helpers.js';

let pack: RulePack;
const PREFILTER = process.env.PGTRIAGE_PREFILTER !== '0';
beforeAll(async () => {
  pack = await loadRulePacks([DEFAULT_RULES_DIR]);
});

/** Feeds `bytes` as one source, cut at `cuts` (positions, any order). */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, bytes.length]) {
    if (c > prev) out.push(bytes.subarray(prev, c));
    prev = c;
  }
  return out;
}

function run(sources: Array<{ name: string; chunks: Buffer[] }>, prefilter = PREFILTER): Promise<Report> {
  return triage(
    sources.map((s) => ({ name: s.name, content: Readable.from(s.chunks, { objectMode: true }) })),
    { pack, prefilter },
  );
}

/** The report without what legitimately depends on chunking: nothing. Kept whole. */
const stable = (r: Report) => JSON.parse(JSON.stringify(r)) as Report;

// Fragments that reach the parsers and the input stage, mixed with arbitrary bytes.
const FRAGMENTS = [
  KNOWN + '\n',
  '\n',
  '\r\n',
  '\r',
  '\x00',
  '\x1f\x8b',
  '\xef\xbb\xbf',
  '{"a":',
  '{"data": {"level": "error"',
  '[\n',
  '  "x",\n',
  'Traceback (most recent call last):\n',
  '  File "a.py", line 1, in <module>\n',
  '[SQL: SELECT 1]\n',
  'ERROR 1 of 1 in model m (models/m.sql)\n',
  '2024-05-01 02:00:01.000 UTC [42] FATAL:  terminating connection due to administrator command\n',
  '2024-05-01 02:00:01.000 UTC [42] DETAIL:  x\n',
  '2024-05-01 02:00:01 UTC,"u","d",42,"h:1",x,1,"idle",2024-05-01 02:00:00 UTC,3/1,0,FATAL,57P01,"terminating ',
  'Activity failed: CopyData | ErrorCode: X | Message: Error [08003] connection does not exist\n',
];
const hostileBytes = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)) },
      { weight: 3, arbitrary: fc.constantFrom(...FRAGMENTS).map((s) => Buffer.from(s, 'latin1')) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => Buffer.from(s, 'utf8')) },
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.concat(parts));

describe('(a) arbitrary bytes in arbitrary chunks', () => {
  it('never throw, and the report round-trips through JSON', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBytes, fc.array(fc.nat(4000), { maxLength: 12 }), async (bytes, cuts) => {
        const report = await run([{ name: 'fuzz.log', chunks: chunked(bytes, cuts) }]);
        expect(JSON.parse(JSON.stringify(report))).toEqual(report);
        expect(report.stats.sources).toBe(1);
      }),
      { seed: 20240501, numRuns: 150 },
    );
  }, 120_000);

  it('gzip-wrapped arbitrary bytes (whole or cut) never throw', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBytes, fc.nat(), fc.array(fc.nat(400), { maxLength: 6 }), async (bytes, cut, cuts) => {
        const gz = gzipSync(bytes);
        const damaged = gz.subarray(0, cut % (gz.length + 1));
        const report = await run([{ name: 'fuzz.gz', chunks: chunked(damaged, cuts) }]);
        expect(JSON.parse(JSON.stringify(report))).toEqual(report);
      }),
      { seed: 8, numRuns: 60 },
    );
  }, 120_000);
});

// ---- (b) garbage between the records of a realistic log -------------------------------------

/** The seed example, one entry per record. */
const SEED_RECORDS: string[][] = (() => {
  const lines = readFileSync('samples/seed-example.log', 'utf8').split('\n').filter((l) => l.length > 0);
  return [lines.slice(0, 4), lines.slice(4, 8), lines.slice(8, 9)];
})();
/** A PostgreSQL server excerpt (multi-line STATEMENT/DETAIL entries), one entry per record. */
const SERVER_RECORDS: string[][] = (() => {
  const lines = readFileSync('samples/server/handwritten-pg17-19-stderr.log', 'utf8').split('\n').filter((l) => l.length > 0);
  const records: string[][] = [];
  for (const l of lines) {
    if (/^\s/.test(l)) records[records.length - 1]!.push(l);
    else records.push([l]);
  }
  return records;
})();

// A stray `Traceback (most recent call last):` is left out: directly before an exception line it
// rightly becomes that exception's traceback (tested on its own below, before a server entry).
const KNOWN_GOOD_GARBAGE = ['{"a":', '{"a": [1, 2', '[SQL:', '[SQL: SELECT 1', ''];
const garbageLine = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }).filter((s) => !/[\r\n\u2028\u2029]/.test(s) && !/^[\s\d[{"]/.test(s)),
  fc.constantFrom(...KNOWN_GOOD_GARBAGE),
);

interface Layout {
  text: string;
  /** Original line number of each physical line (0 for inserted garbage). */
  origin: number[];
}

function layout(records: string[][], garbage: string[][]): Layout {
  const out: string[] = [];
  const origin: number[] = [];
  let n = 0;
  records.forEach((rec, i) => {
    for (const g of garbage[i] ?? []) {
      out.push(g);
      origin.push(0);
    }
    for (const l of rec) {
      out.push(l);
      origin.push(++n);
    }
  });
  return { text: out.join('\n') + '\n', origin };
}

/** Incidents without ids: source, failure line in the ORIGINAL numbering, sqlstate, top cause. */
function summary(report: Report, origins: Record<string, number[]>) {
  return report.incidents.map((i) => ({
    source: i.source,
    line: origins[i.source]![i.line - 1],
    sqlstate: i.sqlstate,
    observed: i.observedSqlstates,
    cause: i.causes[0]?.id,
  }));
}

async function triageLayouts(seed: Layout, server: Layout): Promise<Report> {
  return run([
    { name: 'seed.log', chunks: [Buffer.from(seed.text)] },
    { name: 'server.log', chunks: [Buffer.from(server.text)] },
  ]);
}

describe('(b) garbage lines between records', () => {
  const none = (records: string[][]) => records.map(() => [] as string[]);

  it('the clean log has its incidents', async () => {
    const seed = layout(SEED_RECORDS, none(SEED_RECORDS));
    const server = layout(SERVER_RECORDS, none(SERVER_RECORDS));
    const report = await triageLayouts(seed, server);
    const s = summary(report, { 'seed.log': seed.origin, 'server.log': server.origin });
    expect(s.filter((i) => i.source === 'seed.log').map((i) => i.line)).toEqual([1, 5, 9]);
  });

  it('do not change the incidents found', async () => {
    const seed0 = layout(SEED_RECORDS, none(SEED_RECORDS));
    const server0 = layout(SERVER_RECORDS, none(SERVER_RECORDS));
    const baseline = summary(await triageLayouts(seed0, server0), { 'seed.log': seed0.origin, 'server.log': server0.origin });
    const garbageFor = (records: string[][]) => fc.array(fc.array(garbageLine, { maxLength: 3 }), { minLength: records.length, maxLength: records.length });
    await fc.assert(
      fc.asyncProperty(garbageFor(SEED_RECORDS), garbageFor(SERVER_RECORDS), async (g1, g2) => {
        const seed = layout(SEED_RECORDS, g1);
        const server = layout(SERVER_RECORDS, g2);
        const got = summary(await triageLayouts(seed, server), { 'seed.log': seed.origin, 'server.log': server.origin });
        expect(got).toEqual(baseline);
      }),
      { seed: 424242, numRuns: 120 },
    );
  }, 120_000);

  /**
   * Regression (python-traceback parser): in the `frames` phase any line at column 0 used to be
   * taken as the exception line ('must'), so a stray traceback header with no body swallowed
   * the next server entry — `2026-05-01 10:06:10.300 UTC [905] app@appdb FATAL: terminating
   * connection due to administrator command` became a client traceback and a new 08003
   * incident appeared on the garbage line. Found by the property above (fast-check seed
   * 424242); fixed by accepting only an exception-shaped line after the frames for sure.
   */
  it('a stray traceback header before a server entry does not create an incident', async () => {
    const seed = layout(SEED_RECORDS, none(SEED_RECORDS));
    const server0 = layout(SERVER_RECORDS, none(SERVER_RECORDS));
    const baseline = summary(await triageLayouts(seed, server0), { 'seed.log': seed.origin, 'server.log': server0.origin });
    const g = none(SERVER_RECORDS);
    g[8] = ['Traceback (most recent call last):'];
    const server = layout(SERVER_RECORDS, g);
    expect(summary(await triageLayouts(seed, server), { 'seed.log': seed.origin, 'server.log': server.origin })).toEqual(baseline);
  });
});

// ---- (c) chunk boundaries --------------------------------------------------------------------

describe('(c) chunk boundaries', () => {
  const realistic = Buffer.from(
    readFileSync('samples/seed-example.log', 'utf8') + readFileSync('samples/server/handwritten-pg17-19-stderr.log', 'utf8') + KNOWN + '\n',
  );

  it('never change the report of a realistic log', async () => {
    const whole = stable(await run([{ name: 'x.log', chunks: [realistic] }]));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(realistic.length), { maxLength: 20 }), async (cuts) => {
        expect(stable(await run([{ name: 'x.log', chunks: chunked(realistic, cuts) }]))).toEqual(whole);
      }),
      { seed: 99, numRuns: 60 },
    );
  }, 120_000);

  it('never change the report of hostile bytes', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBytes, fc.array(fc.nat(4000), { maxLength: 12 }), async (bytes, cuts) => {
        const whole = stable(await run([{ name: 'x.log', chunks: [bytes] }]));
        expect(stable(await run([{ name: 'x.log', chunks: chunked(bytes, cuts) }]))).toEqual(whole);
      }),
      { seed: 1234, numRuns: 150 },
    );
  }, 120_000);

  /**
   * Regression: the binary check used to look at the FIRST CHUNK only, so the same bytes were
   * "binary" or "text" depending on how a stream happened to deliver them — a one-byte first
   * chunk holding a NUL (or a control byte) threw away the whole log and its incident; and a
   * copytruncate-rotated log (leading NULs) was always skipped. The decision now waits for 8 KiB
   * (or the end of the source) and ignores a leading NUL run.
   */
  it('regression: a first chunk of one NUL byte does not make the log binary', async () => {
    const bytes = Buffer.concat([Buffer.from([0]), Buffer.from(KNOWN + '\n')]);
    const dripped = await run([{ name: 'x.log', chunks: chunked(bytes, [1]) }]);
    expect(dripped.stats.sourcesBinary).toBe(0);
    expect(dripped.incidents).toHaveLength(1);
    const ctrl = Buffer.concat([Buffer.from([7]), Buffer.from('\n' + KNOWN + '\n')]);
    const r = await run([{ name: 'y.log', chunks: chunked(ctrl, [1]) }]);
    expect(r.stats.sourcesBinary).toBe(0);
    expect(r.incidents.map((i) => i.line)).toEqual([2]);
  });
});
