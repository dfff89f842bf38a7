/**
 * Mutation fuzzing with fast-check: real log text from samples/ is cut into windows of a few
 * lines and mutated the way damaged or hostile logs are (bytes flipped, fragments that open
 * quotes, braces and escapes inserted, ranges deleted or repeated, lines cut short). fast-check
 * draws the seed window and the mutations, so a failure shrinks to a small counterexample and
 * replays from its seed.
 *
 * Runs and seed: PGTRIAGE_FUZZ_RUNS (default 150 per property in `npm test`) and
 * PGTRIAGE_FUZZ_SEED (default fixed; `random` explores, as `npm run fuzz` does).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';

const ROOT = path.resolve(import.meta.dirname, '../..');

export const FUZZ_RUNS = Number(process.env.PGTRIAGE_FUZZ_RUNS ?? 150);
const seedEnv = process.env.PGTRIAGE_FUZZ_SEED;
export const FUZZ_SEED = seedEnv === 'random' ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : Number(seedEnv ?? 20261201);

/** fast-check parameters every fuzz property uses; the seed is printed on failure by fast-check. */
export const fuzzParams = { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true } as const;

/** Every log file of samples/ (not the expected reports), read once. */
function sampleTexts(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(log|json|csv|txt|ini|conf|yml|py)$/.test(name) && !name.endsWith('.expected.json') && statSync(p).size < 1 << 20) out.push(readFileSync(p, 'latin1'));
    }
  };
  walk(path.join(ROOT, 'samples'));
  return out;
}

const TEXTS = sampleTexts();
const LINES = TEXTS.map((t) => t.split('\n'));

/** Fragments that break readers: quotes, escapes, brackets, separators, controls, long runs. */
const FRAGMENTS = [
  '"', "'", '\\', '\\"', '{', '}', '[', ']', ',', ':', '=', '&', ';', '@', '//', '%', '\t', '\r', '\n', '\r\n', '\x00', '\x1b[31m',
  '\x1b]8;;http://x\x07', '\u2028', '\u202e', '\ufffd', '\ud800', '💥', '""', '{"', '":', '\\u00', '\\ud800', '0x', '-', '+', ' ',
  'Traceback (most recent call last):', '  File "x.py", line 1, in <module>', 'DETAIL:  ', 'STATEMENT:  ', 'ERROR:  ', 'FATAL:  ',
  'password=', "PASSWORD '", 'postgresql://u:', '-----BEGIN PRIVATE KEY-----', 'eyJ', '08003', '2024-05-01 02:00:00,000 ',
  '2024-05-01 02:00:00.000 UTC [1] ', 'x'.repeat(3000), ' '.repeat(500), '{'.repeat(200), '"'.repeat(101), '\\'.repeat(99),
];

type Mutation =
  | { op: 'flip'; at: number; byte: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'repeat'; at: number; length: number; times: number }
  | { op: 'cut'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 12 })) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }), times: fc.integer({ min: 2, max: 40 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
);

function apply(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.op) {
    case 'flip':
      return text.slice(0, at) + String.fromCharCode(m.byte) + text.slice(at + 1);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'repeat':
      return text.slice(0, at) + text.slice(at, at + m.length).repeat(m.times) + text.slice(at + m.length);
    case 'cut':
      return text.slice(0, at);
  }
}

/** A window of 1-40 consecutive lines of one sample, as text. */
const window: fc.Arbitrary<string> = fc
  .record({ file: fc.nat(LINES.length - 1), from: fc.nat(), length: fc.integer({ min: 1, max: 40 }) })
  .map(({ file, from, length }) => {
    const lines = LINES[file];
    const start = from % lines.length;
    return lines.slice(start, start + length).join('\n');
  });

/** Real log text, mutated 0-8 times. */
export const mutatedLog: fc.Arbitrary<string> = fc
  .tuple(window, fc.array(mutation, { maxLength: 8 }))
  .map(([text, mutations]) => mutations.reduce(apply, text));

/** Saved counterexamples (test/fixtures/fuzz/<target>/*.txt): each is replayed by every run. */
export function regressionSamples(target: string): Array<{ name: string; text: string }> {
  const dir = path.join(ROOT, 'test/fixtures/fuzz', target);
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.txt')).sort();
  } catch {
    return [];
  }
  return names.map((name) => ({ name, text: readFileSync(path.join(dir, name), 'latin1') }));
}
