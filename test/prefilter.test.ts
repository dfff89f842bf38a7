import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MultiLiteralScanner } from '../src/prefilter/multi-literal.js';
import { LiteralPlan } from '../src/prefilter/plan.js';

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
        // Every occurrence is reported once (several literals may start at one offset).
        const got: number[] = [];
        new MultiLiteralScanner(lits).scan(buf, 0, buf.length, (o) => {
          got.push(o);
          return o;
        });
        expect([...new Set(got)].sort((a, b) => a - b)).toEqual(want);
        // Stopping at the first hit lands on the first line holding a literal, as the feeder needs.
        let first = -1;
        new MultiLiteralScanner(lits).scan(buf, 0, buf.length, (o) => {
          first = o;
          return buf.length;
        });
        const lineOf = (o: number) => buf.subarray(0, o).filter((b) => b === 10).length;
        expect(first < 0 ? -1 : lineOf(first)).toBe(want.length ? lineOf(want[0]) : -1);
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  // The feeder stops at the first hit and classifies its line from there on; hits come in
  // the order their windows end, so a literal starting earlier on the line must still count.
  const classifiedFromFirstHit = (lits: Array<[string, boolean]>, text: string) => {
    const plan = new LiteralPlan(lits.map(([t, trigger]) => ({ all: [{ text: t }], cls: trigger ? ('trigger' as const) : ('context' as const) })));
    const buf = Buffer.from(text);
    let hit = -1;
    let literal = -1;
    plan.scanner.scan(buf, 0, buf.length, (o, l) => {
      hit = o;
      literal = l;
      return buf.length;
    });
    const whole = plan.classify(buf, 0, buf.length);
    return { whole, fromHit: hit < 0 ? undefined : plan.classify(buf, 0, buf.length, Math.max(0, plan.scanner.earliestAfter(hit, literal))) };
  };

  it('classifies a line from where a later hit may start as from its start', () => {
    // "aacb" is reported first (its window ends first); the failure wording starts before it.
    const { whole, fromHit } = classifiedFromFirstHit([['aaac', false], ['aacb', false], ['caacb', true]], 'caacb');
    expect(whole).toBe('trigger');
    expect(fromHit).toBe('trigger');
  });

  it('classifies a line from where a later hit may start as from its start (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', ' ');
    const word = fc.array(alphabet, { minLength: 3, maxLength: 7 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(fc.tuple(word, fc.boolean()), { minLength: 1, maxLength: 6 }), fc.array(alphabet, { maxLength: 60 }), (lits, chars) => {
        const { whole, fromHit } = classifiedFromFirstHit(lits, chars.join(''));
        expect(fromHit).toBe(whole);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  it('finds literals that share a first word the text repeats on every line', () => {
    // Every literal starts with "connection"; the text repeats that word on every line.
    const lits = ['connection reset by peer', 'connection refused', 'connection timed out'];
    const line = 'LOG:  connection received: host=10.0.0.1 port=5432\n';
    const text = line.repeat(50) + 'FATAL:  connection timed out\n' + line.repeat(50) + 'x Connection Refused\n';
    const buf = Buffer.from(text);
    const got: Array<[number, number]> = [];
    new MultiLiteralScanner(lits).scan(buf, 0, buf.length, (o, l) => {
      got.push([o, l]);
      return o;
    });
    expect(got).toEqual([
      [text.indexOf('connection timed out'), 2],
      [text.indexOf('Connection Refused'), 1],
    ]);
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
