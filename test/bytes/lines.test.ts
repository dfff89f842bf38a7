import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineSplitter } from '../../src/bytes/lines.js';

function split(chunks: Buffer[], maxLineChars = 1 << 20) {
  const lines: Array<[number, string]> = [];
  const splitter = new LineSplitter((text, no) => lines.push([no, text]), { maxLineChars });
  for (const c of chunks) splitter.push(c);
  splitter.end();
  return { lines, counters: splitter.counters };
}

describe('LineSplitter', () => {
  it('numbers lines, strips CRLF and keeps a last line without newline', () => {
    const { lines } = split([Buffer.from('a\r\nb\n\nc')]);
    expect(lines).toEqual([[1, 'a'], [2, 'b'], [3, ''], [4, 'c']]);
  });

  it('joins a multi-byte character split across chunks', () => {
    const bytes = Buffer.from('café\nnext\n');
    const { lines, counters } = split([bytes.subarray(0, 4), bytes.subarray(4)]);
    expect(lines.map((l) => l[1])).toEqual(['café', 'next']);
    expect(counters.invalidUtf8Lines).toBe(0);
  });

  it('replaces invalid UTF-8 and counts the line', () => {
    const { lines, counters } = split([Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a, 0x63, 0x0a])]);
    expect(lines[0][1]).toBe('a\uFFFD\uFFFDb');
    expect(lines[1][1]).toBe('c');
    expect(counters.invalidUtf8Lines).toBe(1);
  });

  it('counts lines holding control characters, not tabs, colour codes or form feeds', () => {
    const { counters } = split([Buffer.from('a\x01b\nplain\tline\n\x1b[31mred\x1b[0m\nnul \x00 here\n\x0cpage\n')]);
    expect(counters.controlCharLines).toBe(2);
  });

  it('cuts an over-long line at the cap, counts it, and keeps the following lines', () => {
    const long = 'x'.repeat(5000);
    const { lines, counters } = split([Buffer.from(long.slice(0, 3000)), Buffer.from(long.slice(3000) + '\nafter\n')], 1024);
    expect(lines).toHaveLength(2);
    expect(lines[0][1]).toHaveLength(1024);
    expect(lines[1]).toEqual([2, 'after']);
    expect(counters.linesTruncated).toBe(1);
  });

  it('cuts a long line that arrives in one chunk', () => {
    const { lines, counters } = split([Buffer.from('y'.repeat(3000) + '\nz\n')], 1024);
    expect(lines.map((l) => l[1].length)).toEqual([1024, 1]);
    expect(counters.linesTruncated).toBe(1);
  });

  it('gives the same lines whatever the chunk boundaries (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 8 }), (text, cuts) => {
        const bytes = Buffer.from(text, 'utf8');
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(bytes.subarray(prev, p));
          prev = p;
        }
        chunks.push(bytes.subarray(prev));
        expect(split(chunks).lines).toEqual(split([bytes]).lines);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
