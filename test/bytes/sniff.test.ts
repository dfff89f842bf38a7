/**
 * Binary or text, by proportion over the whole sample and per 1 KiB region: a local burst of
 * control bytes in a log does not make it binary; control bytes spread all through do.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { judgeBinary, looksBinary, REGION_BYTES, SNIFF_BYTES, TextSniffer } from '../../src/bytes/sniff.js';

const LINE = '2024-05-01 02:00:00,000 INFO etl.load: batch 17 loaded rows=12345 table=public.orders\n';
const text = (bytes: number) => Buffer.from(LINE.repeat(Math.ceil(bytes / LINE.length))).subarray(0, bytes);
/** Bytes 0x01..0x08, 0x0e..0x1a: none of them text whitespace or ESC. */
const controls = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => [1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26][i % 21]));

describe('judgeBinary', () => {
  it('reads a text sample with a burst of a few hundred control bytes as text', () => {
    const sample = Buffer.concat([text(3000), controls(400), text(SNIFF_BYTES)]).subarray(0, SNIFF_BYTES);
    const v = judgeBinary(sample);
    // The burst alone is over 1 % of the sample and nearly all of its region...
    expect(v.suspicious).toBe(400);
    expect(v.regions - v.cleanRegions).toBeLessThanOrEqual(2);
    // ...and the rest reads as text.
    expect(v.binary).toBe(false);
  });

  it('a burst that would have been over 3 % of the old 8 KiB sample is text too', () => {
    const sample = Buffer.concat([text(1000), controls(600), text(6592)]);
    expect(sample.length).toBe(8192);
    expect(judgeBinary(sample).suspicious / 8192).toBeGreaterThan(0.03);
    expect(looksBinary(sample)).toBe(false);
  });

  it('calls control bytes spread all through binary, even at a low per-region count', () => {
    const parts: Buffer[] = [];
    // 40 control bytes in every KiB: about 4 %, in every region
    for (let at = 0; at < SNIFF_BYTES; at += REGION_BYTES) parts.push(text(REGION_BYTES - 40), controls(40));
    expect(looksBinary(Buffer.concat(parts))).toBe(true);
  });

  it('calls real executables and pseudo-random bytes binary', () => {
    expect(looksBinary(readFileSync('/bin/ls').subarray(0, SNIFF_BYTES))).toBe(true);
    let x = 0x2545f491;
    const random = Buffer.from(Array.from({ length: SNIFF_BYTES }, () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x & 0xff)));
    expect(looksBinary(random)).toBe(true);
  });

  it('a text sample with one burst of up to 1000 control bytes stays text wherever it is placed (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SNIFF_BYTES - 1000 }), fc.integer({ min: 4, max: 1000 }), (at, size) => {
        const sample = Buffer.concat([text(at), controls(size), text(SNIFF_BYTES)]).subarray(0, SNIFF_BYTES);
        expect(looksBinary(sample)).toBe(false);
      }),
      { seed: 17, numRuns: 200 },
    );
  });
});

describe('TextSniffer', () => {
  it('passes a log with a burst through whole and says where the burst is', () => {
    // 1000 bytes are over 3 % of the sample: only the region test keeps the log as text.
    const out: Buffer[] = [];
    const warnings: string[] = [];
    const sniffer = new TextSniffer('burst.log', { text: (c) => out.push(c), count: () => undefined, warn: (m) => warnings.push(m.text) });
    const body = Buffer.concat([text(2048), controls(1000), text(100_000)]);
    for (let at = 0; at < body.length; at += 4096) expect(sniffer.write(body.subarray(at, at + 4096))).toBe(true);
    sniffer.settle();
    expect(sniffer.binary).toBe(false);
    expect(judgeBinary(body.subarray(0, SNIFF_BYTES)).burst).toBe(true);
    expect(Buffer.concat(out).equals(body)).toBe(true);
    expect(warnings).toEqual(['burst.log: 1000 control byte(s) in 1 KiB of the first 32 KiB; read as text, quoted escaped']);
  });
});
