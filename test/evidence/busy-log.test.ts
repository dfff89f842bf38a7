/**
 * A busy but ordinary application log: SQLAlchemy pool DEBUG lines, HTTP client lines from
 * other threads, one failure every ~5,000 lines. Each incident's evidence stays bounded, and
 * other threads' lines do not move its ranking.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';

const T0 = Date.UTC(2024, 4, 1, 2, 0, 0);
const stamp = (ms: number) => new Date(T0 + ms).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');

/** Lines of the busy log; `others` false keeps only the failing threads' own lines. */
function busyLog(lines: number, others: boolean): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const t = stamp(i * 20);
    const failing = i % 5000 === 4999;
    const thread = `worker-${(i % 7) + 1}`;
    if (failing) {
      out.push(`${t} ERROR [worker-9] etl.load: psycopg2.OperationalError: server closed the connection unexpectedly`);
      continue;
    }
    if (!others) continue;
    if (i % 3 === 0) out.push(`${t} DEBUG [${thread}] sqlalchemy.pool.impl.QueuePool: Connection <connection object at 0x7f3a2b1c${(i % 97).toString(16).padStart(4, '0')}; closed: 0> checked out from pool`);
    else if (i % 3 === 1) out.push(`${t} INFO [${thread}] etl.enrich: GET http://enrich.internal/api?batch=${i} took 0.4s`);
    else out.push(`${t} DEBUG [${thread}] sqlalchemy.pool.impl.QueuePool: Connection <connection object at 0x7f3a2b1c${(i % 97).toString(16).padStart(4, '0')}; closed: 0> being returned to pool`);
  }
  return out.join('\n') + '\n';
}

describe('a busy application log', () => {
  it('keeps every incident bounded and ranked as if the other threads were not there', async () => {
    const busy = await triage({ name: 'busy.log', content: busyLog(20_000, true) });
    const quiet = await triage({ name: 'busy.log', content: busyLog(20_000, false) });
    expect(busy.incidents).toHaveLength(4);
    for (const incident of busy.incidents) {
      expect(incident.evidence.length).toBeLessThanOrEqual(48);
      for (const fact of incident.facts) expect(fact.witnesses.length).toBeLessThanOrEqual(3);
      // other threads' HTTP calls are not this session's external call
      expect(incident.facts.map((f) => f.id)).not.toContain('external-call-in-flight');
      const causes = incident.causes.map((c) => c.id).join(',');
      const twin = quiet.incidents.find((q) => q.time === incident.time)!;
      expect(causes).toBe(twin.causes.map((c) => c.id).join(','));
      expect(incident.causes[0].id).toBe(twin.causes[0].id);
    }
  });

  it('with no thread ids the HTTP lines are only nearby: counted once, capped, never decisive', async () => {
    const log = busyLog(6_000, true).replace(/ \[worker-\d\]/g, '');
    const [incident] = (await triage({ name: 'flat.log', content: log })).incidents;
    const http = incident.facts.find((f) => f.id === 'external-call-in-flight')!;
    expect(http.scope).toBe('nearby');
    expect(http.count).toBeGreaterThan(100);
    expect(http.witnesses.length).toBeLessThanOrEqual(3);
    expect(Math.max(...http.contributes.map((c) => c.weight))).toBeLessThanOrEqual(Math.log10(4) + 1e-9);
    expect(incident.evidence.length).toBeLessThanOrEqual(48);
  });
});
