import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MultiLiteralScanner } from '../src/prefilter/multi-literal.js';

function hits(literals: string[], text: string): number[] {
  const scanner = new MultiLiteralScanner(literals);
  const buf = Buffer.from(text, 'utf8');
  const out: number[] = [];
  scanner.scan(buf, 0, buf.length, (offset) => {
    out.push(offset);
    return offset + 1;
  });
  return out;
}

describe('MultiLiteralScanner', () => {
  it('finds every literal in any ASCII case', () => {
    expect(hits(['server closed', 'does not exist'], 'x Server Closed y CONNECTION DOES NOT EXIST')).toEqual([2, 29]);
  });

  it('says it cannot be used when a literal is shorter than a block', () => {
    expect(new MultiLiteralScanner(['ab', 'bcd']).usable).toBe(false);
    expect(new MultiLiteralScanner(['abc', 'bcd']).usable).toBe(true);
  });

  it('finds literals of different lengths, at the edges of the range', () => {
    expect(hits(['abc', 'abcdef'], 'abcdef')).toEqual([0]);
    expect(hits(['xyz', 'abcdef'], 'zzabcdef')).toEqual([2]);
    expect(hits(['08003'], '08003')).toEqual([0]);
    expect(hits(['08003'], '0800')).toEqual([]);
  });

  it('finds a word-bounded literal (a SQLSTATE code) only where no letter or digit touches it', () => {
    const scan = (text: string) => {
      const out: number[] = [];
      const buf = Buffer.from(text);
      new MultiLiteralScanner([{ text: '08003', word: true }]).scan(buf, 0, buf.length, (o) => (out.push(o), o + 1));
      return out;
    };
    expect(scan('ERROR [08003] x')).toEqual([7]);
    expect(scan('08003: connection')).toEqual([0]);
    expect(scan('at 0x7f08003a1b')).toEqual([]);
    expect(scan('port=408003 ')).toEqual([]);
  });

  it('agrees with a naive case-insensitive search (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', 'A', 'B', ' ', 'é', '\n', 'x');
    const word = fc.array(alphabet, { minLength: 3, maxLength: 6 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), fc.array(alphabet, { maxLength: 80 }), (lits, chars) => {
        const text = chars.join('');
        const buf = Buffer.from(text, 'utf8');
        const lower = Buffer.from(text.replace(/[A-Z]/g, (c) => c.toLowerCase()), 'utf8');
        const want: number[] = [];
        for (let i = 0; i < lower.length; i++) {
          if (lits.some((l) => lower.subarray(i, i + Buffer.byteLength(l)).equals(Buffer.from(l.toLowerCase(), 'utf8')))) want.push(i);
        }
        const got: number[] = [];
        new MultiLiteralScanner(lits).scan(buf, 0, buf.length, (o) => {
          got.push(o);
          return o + 1;
        });
        expect(got).toEqual(want);
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});

describe('the byte prefilter changes nothing but speed', () => {
  it('finds the same incidents, causes and line numbers with and without it on every bundled sample set', async () => {
    const { triage } = await import('../src/index.js');
    const fg = (await import('fast-glob')).default;
    const dirs = [...new Set((await fg('samples/**/*.{log,json,csv,txt}', { ignore: ['**/*.expected.json', '**/manifest.json', '**/index.json'] })).map((f) => f.split('/').slice(0, -1).join('/')))];
    expect(dirs.length).toBeGreaterThan(10);
    const summary = (r: Awaited<ReturnType<typeof triage>>) => ({
      lines: r.stats.lines,
      bytes: r.stats.bytes,
      incidents: r.incidents.map((i) => [i.source, i.line, i.endLine, i.sqlstate, i.causes.slice(0, 3).map((c) => [c.id, c.score])]),
      neighbours: r.neighbours.map((n) => [n.source, n.line, n.sqlstate]),
    });
    for (const dir of dirs) {
      const files = (await fg(`${dir}/*`, { ignore: ['**/*.expected.json', '**/manifest.json', '**/index.json', '**/*.md'] })).sort();
      const inputs = files.map((path) => ({ path }));
      const fast = await triage(inputs, { prefilter: true });
      const full = await triage(inputs, { prefilter: false });
      expect(summary(fast), dir).toEqual(summary(full));
      expect(fast.stats.linesParsed).toBeLessThanOrEqual(full.stats.linesParsed);
    }
  }, 120_000);
});

describe('WindowedFeeder (property)', () => {
  it('emits every line holding a literal with its true number, and counts every line, whatever the chunking', async () => {
    const { WindowedFeeder } = await import('../src/prefilter/windowed.js');
    const { LineSplitter } = await import('../src/bytes/lines.js');
    const { LiteralPlan } = await import('../src/prefilter/plan.js');
    const plan = new LiteralPlan([
      { all: [{ text: 'hit' }], cls: 'trigger' },
      { all: [{ text: 'ctx' }], cls: 'context' },
    ]);
    const line = fc.oneof(fc.constant(''), fc.constant('noise line'), fc.constant('a hit here'), fc.constant('  a ctx line'), fc.string({ maxLength: 12 }).map((s) => s.replace(/\n/g, ' ')));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 300 }), fc.array(fc.nat(5000), { maxLength: 6 }), fc.boolean(), (lines, cuts, trailingNewline) => {
        const text = lines.join('\n') + (trailingNewline && lines.length ? '\n' : '');
        const bytes = Buffer.from(text, 'utf8');
        const seen = new Map<number, string>();
        const splitter = new LineSplitter((t, n) => seen.set(n, t));
        const feeder = new WindowedFeeder(plan, splitter, { continues: () => false, closeWindow: () => {}, failureRecords: () => 0, openRecordLine: () => undefined }, 1 << 20);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          feeder.push(bytes.subarray(prev, p));
          prev = p;
        }
        feeder.end();
        splitter.end();
        const expected = text === '' ? [] : text.replace(/\n$/, '').split('\n');
        expect(splitter.counters.lines).toBe(expected.length);
        expect(splitter.counters.bytes).toBe(bytes.length);
        expected.forEach((l, i) => {
          if (/hit|ctx/i.test(l)) expect(seen.get(i + 1)).toBe(l);
        });
        for (const [n, t] of seen) expect(t).toBe(expected[n - 1]);
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});
