/**
 * The accuracy bar CI enforces on the committed lab samples (real logs written by real
 * PostgreSQL, PgBouncer and client libraries; see samples/lab/README.md): with the client and
 * server (and pooler) logs together, the right cause ranks first in every scenario, and no
 * negative neighbour (08001, 53300, 28P01) is ever reported as an 08003-family incident — except
 * the new stacks listed with their gap in test/lab-known-misses.ts, which must keep missing until
 * the gap is closed and the entry removed.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildScoreboard, findLabelledSets } from '../eval/scoreboard.js';
import { KNOWN_MISSES } from './lab-known-misses.js';
import { SEVEN_CAUSES } from './seven-causes.js';

const LAB = fileURLToPath(new URL('../samples/lab', import.meta.url));

describe('lab scoreboard', async () => {
  const sets = await findLabelledSets([LAB]);
  const board = await buildScoreboard(sets);
  const combined = board.results.filter((r) => r.mode === 'combined');

  it('has labelled scenarios for every cause and every negative neighbour', () => {
    const causes = new Set(sets.filter((s) => s.is08003Family).map((s) => s.cause));
    for (const id of SEVEN_CAUSES) {
      expect(causes.has(id), id).toBe(true);
      const clients = new Set(sets.filter((s) => s.cause === id).map((s) => s.client));
      expect(clients.size, `${id} clients`).toBeGreaterThanOrEqual(2);
    }
    expect(sets.filter((s) => !s.is08003Family).length).toBeGreaterThanOrEqual(3);
  });

  it('ranks the true cause first in every scenario with client + server logs (known misses aside)', () => {
    const misses = combined
      .filter((r) => r.set.is08003Family && !r.correctTop1 && !(r.set.name in KNOWN_MISSES))
      .map((r) => `${r.set.name}: got ${r.top}`);
    expect(misses).toEqual([]);
  });

  it('still misses each known miss (a fix must delete its entry from test/lab-known-misses.ts)', () => {
    const names = new Set(sets.map((s) => s.name));
    expect(Object.keys(KNOWN_MISSES).filter((n) => !names.has(n)), 'known misses without a lab case').toEqual([]);
    const nowRight = combined.filter((r) => r.set.name in KNOWN_MISSES && r.correctTop1).map((r) => r.set.name);
    expect(nowRight, 'fixed: remove these from KNOWN_MISSES').toEqual([]);
    const confidentlyWrong = combined
      .filter((r) => r.set.name in KNOWN_MISSES && r.confidence === 'high')
      .map((r) => r.set.name)
      .sort();
    const flagged = Object.entries(KNOWN_MISSES).filter(([, m]) => m.confidentlyWrong).map(([n]) => n).sort();
    expect(confidentlyWrong, 'confidentlyWrong flags must match the "high" known misses').toEqual(flagged);
  });

  it('reports no negative neighbour as an 08003-family incident', () => {
    const fps = board.results.filter((r) => r.falsePositive).map((r) => `${r.set.name} (${r.mode})`);
    expect(fps).toEqual([]);
  });

  it('is never confidently wrong: every "high" top cause with client + server logs is right', () => {
    const wrongHigh = combined
      .filter((r) => r.confidence === 'high' && !r.correctTop1 && !KNOWN_MISSES[r.set.name]?.confidentlyWrong)
      .map((r) => r.set.name);
    expect(wrongHigh).toEqual([]);
  });

  it('for each of the seven causes, a client log alone is not conclusive but client + server logs are (high confidence, right cause)', () => {
    const byName = new Map<string, { client?: (typeof board.results)[number]; combined?: (typeof board.results)[number] }>();
    for (const r of board.results) byName.set(r.set.name, { ...byName.get(r.set.name), [r.mode === 'combined' ? 'combined' : 'client']: r });
    const missing: string[] = [];
    for (const cause of SEVEN_CAUSES) {
      const decided = [...byName.values()].some(
        ({ client, combined }) =>
          combined?.set.cause === cause &&
          combined.correctTop1 &&
          combined.confidence === 'high' &&
          !(client?.correctTop1 && client.confidence === 'high'),
      );
      if (!decided) missing.push(cause);
    }
    expect(missing).toEqual([]);
  });

  it('tells a restart burst from a single admin termination behind the same client message', () => {
    const restart = combined.find((r) => r.set.name === 'restart-sqlalchemy-psycopg2')!;
    const admin = combined.find((r) => r.set.name === 'admin-terminate-sqlalchemy-psycopg2')!;
    expect([restart.top, admin.top]).toEqual(['stale-pool-after-restart', 'admin-terminated-backend']);
  });
});

