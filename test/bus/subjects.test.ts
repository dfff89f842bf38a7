import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionAcks } from '../../src/bus/ack.js';
import {
  decodeToken,
  encodeToken,
  incidentId,
  mappingConfig,
  parsePartitionList,
  parsePartitionedSubject,
  partitionedSubject,
  partitionOf,
} from '../../src/bus/subjects.js';

describe('subject tokens', () => {
  it('round-trip any case key or source name and never contain what a token may not', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'binary' }), (value) => {
        const token = encodeToken(value);
        expect(token).not.toMatch(/[.*>\s]/u);
        expect(decodeToken(token)).toBe(value);
      }),
      { numRuns: 200 },
    );
  }, 30_000);

  it('reads a partitioned subject back and refuses other layouts', () => {
    const subject = partitionedSubject('plogs', 3, 'shop db/eu', 'logs/dbt.log');
    expect(subject).toBe('plogs.3.shop%20db/eu.logs/dbt%2Elog');
    expect(parsePartitionedSubject(subject, 'plogs')).toEqual({ partition: 3, key: 'shop db/eu', source: 'logs/dbt.log' });
    expect(parsePartitionedSubject('plogs.x.a.b', 'plogs')).toBeUndefined();
    expect(parsePartitionedSubject('plogs.1.a', 'plogs')).toBeUndefined();
    expect(parsePartitionedSubject('other.1.a.b', 'plogs')).toBeUndefined();
  });

  it('refuses an empty key', () => {
    expect(() => encodeToken('')).toThrow(/empty/);
  });

  it('parses partition lists and rejects partitions that do not exist', () => {
    expect(parsePartitionList('0-1,3', 4)).toEqual([0, 1, 3]);
    expect(() => parsePartitionList('4', 4)).toThrow(/does not exist/);
    expect(() => parsePartitionList('3-1', 4)).toThrow(/backwards/);
    expect(() => parsePartitionList('a', 4)).toThrow(/not a number/);
  });

  it('partitions evenly enough and stays within range', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[partitionOf(`case-${i}`, 4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
    expect(mappingConfig('logs', 'plogs', 4)).toContain('{{partition(4,1)}}');
  });

  it('gives the same incident the same id and different failures different ids', () => {
    const a = { source: 'client.log', line: 12, sqlstate: '08003', kind: 'connection-lost', time: '2026-01-01T00:00:00.000Z' };
    expect(incidentId('k', a)).toBe(incidentId('k', { ...a }));
    expect(incidentId('k', a)).not.toBe(incidentId('k', { ...a, line: 13 }));
    expect(incidentId('k', a)).not.toBe(incidentId('other', a));
  });
});

describe('the ack rule of a partition', () => {
  it('never acknowledges a message an open case may still need', () => {
    // Random streams of messages over a few cases, with cases closing at random points.
    const step = fc.oneof(
      fc.record({ kind: fc.constant('line' as const), key: fc.constantFrom('a', 'b', 'c', 'd') }),
      fc.record({ kind: fc.constant('close' as const), key: fc.constantFrom('a', 'b', 'c', 'd') }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const acks = new PartitionAcks<number>();
        const firstOpen = new Map<string, number>();
        let seq = 0;
        let acked = 0;
        for (const s of steps) {
          if (s.kind === 'line') {
            seq++;
            acks.processed(seq, seq, s.key);
            if (!firstOpen.has(s.key)) firstOpen.set(s.key, seq);
          } else {
            acks.closed(s.key);
            firstOpen.delete(s.key);
          }
          const point = acks.ackable();
          if (point) {
            expect(point.handle).toBe(point.seq);
            acks.markAcked(point.seq);
            acked = point.seq;
          }
          const oldest = Math.min(...firstOpen.values());
          // Everything acknowledged lies before the first line of every open case ...
          expect(acked).toBeLessThan(oldest);
          // ... and with no open case, everything processed is acknowledged.
          if (firstOpen.size === 0) expect(acked).toBe(seq);
          else expect(acked).toBe(oldest - 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('skips redeliveries of what it already processed and resumes after a floor', () => {
    const acks = new PartitionAcks<string>(10);
    expect(acks.isNew(10)).toBe(false);
    expect(acks.isNew(11)).toBe(true);
    acks.processed(11, 'm11', 'a');
    expect(acks.isNew(11)).toBe(false);
    expect(() => acks.processed(11, 'm11', 'a')).toThrow(/twice/);
    expect(acks.ackable()).toBeUndefined();
    acks.closed('a');
    expect(acks.ackable()).toEqual({ seq: 11, handle: 'm11' });
  });
});

describe('bus command line', () => {
  it('prints its help and refuses unknown options and bad partitions with exit 2', async () => {
    const { runCli } = await import('../cli/run-cli.js');
    const help = runCli(['consume', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--partitions LIST');
    const bad = runCli(['consume', '--partitons', '0-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/partitons/);
    const range = runCli(['consume', '--partition-count', '2', '--partitions', '0-3']);
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/partition 2 does not exist/);
    expect(runCli(['publish', '--help']).stdout).toContain('--direct N');
  }, 60_000);
});
