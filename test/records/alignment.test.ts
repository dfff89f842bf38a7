/**
 * Sources of one case that do not overlap in time: one warning per case, naming the groups of
 * sources that do overlap, however many sources there are (it was one warning per pair).
 */
import { describe, expect, it } from 'vitest';
import { overlapWarnings, quarterHours, type TimedSource } from '../../src/records/alignment.js';
import { triage } from '../../src/index.js';

const H = 3_600_000;
const at = (name: string, first: number, last: number, naive = false): TimedSource => ({ name, timeRange: { first, last, naive } });
const T0 = Date.UTC(2025, 2, 2, 4, 0);

describe('overlap warnings', () => {
  it('one warning for a case, whatever the number of sources, naming each group in time order', () => {
    const sources = [at('c.log', T0 + 5 * H, T0 + 6 * H), at('a.log', T0, T0 + H), at('b.log', T0 + 0.5 * H, T0 + 2 * H), at('d.log', T0 + 9 * H, T0 + 9 * H)];
    const said = overlapWarnings(sources, () => '', 5_000);
    expect(said.map((s) => s.id)).toEqual(['warning.sources-apart']);
    expect(said[0].text).toBe(
      'sources that do not overlap in time cannot be joined: a.log, b.log (2025-03-02T04:00:00Z to 2025-03-02T06:00:00Z); c.log (2025-03-02T09:00:00Z to 2025-03-02T10:00:00Z); d.log (2025-03-02T13:00:00Z to 2025-03-02T13:00:00Z)',
    );
  });

  it('nothing when every source overlaps another one (transitively), or within the skew', () => {
    const sources = [at('a.log', T0, T0 + H), at('b.log', T0 + H + 4_000, T0 + 2 * H), at('c.log', T0 + 1.5 * H, T0 + 3 * H)];
    expect(overlapWarnings(sources, () => '', 5_000)).toEqual([]);
  });

  it('per case: each case is judged on its own sources', () => {
    const sources = [at('x/a.log', T0, T0 + H), at('x/b.log', T0 + 3 * H, T0 + 4 * H), at('y/a.log', T0, T0 + H), at('y/b.log', T0, T0 + H)];
    const said = overlapWarnings(sources, (s) => s.split('/')[0], 5_000);
    expect(said).toHaveLength(1);
    expect(said[0].text.startsWith('x: ')).toBe(true);
  });

  it('names the zone of a naive group that a quarter-hour shift would line up', () => {
    const said = overlapWarnings([at('app.log', T0 + 5.5 * H, T0 + 6 * H, true), at('pg.log', T0, T0 + 0.5 * H)], () => '', 5_000);
    expect(said.map((s) => s.id)).toEqual(['warning.sources-apart-naive']);
    expect(said[0].text).toContain('pass app.log@tz=+05:30');
    expect(quarterHours(5.4 * H)).toBe(5.5 * H);
  });

  it('end to end: twelve mutually apart sources of one case make one warning', async () => {
    const line = (h: number) => `2025-03-02 ${String(h).padStart(2, '0')}:00:00.000 UTC [1] LOG:  checkpoint starting: time`;
    const inputs = Array.from({ length: 12 }, (_, i) => ({ name: `s${i}.log`, content: `${line(i)}\n` }));
    const report = await triage(inputs);
    expect((report.warningIds ?? []).filter((id) => id.startsWith('warning.sources-apart'))).toEqual(['warning.sources-apart']);
    expect(report.warnings.find((w) => w.includes('overlap'))).toContain('and 4 more');
  });
});
