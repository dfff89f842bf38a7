/**
 * The other side of the socket alone: a PgBouncer log with no client log makes its incidents
 * (pooler-only view), and a server log beside a client log that covers another time still does
 * (the server-only view is turned off only where a client incident covers the same window).
 * Lab-written logs from real PgBouncer/PostgreSQL runs, and the synthetic PgBouncer lines.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';

const lab = (name: string) => readFileSync(new URL(`../../samples/lab/${name}`, import.meta.url), 'utf8');

describe('pooler-only view', () => {
  it('a PgBouncer log alone (lab: idle transaction timeout) gives the incident, with the cause', async () => {
    const report = await triage([{ name: 'pgbouncer.log', content: lab('iit-pgbouncer-structlog/pgbouncer.log') }]);
    expect(report.incidents).toHaveLength(1);
    const [i] = report.incidents;
    expect([i.origin, i.format, i.causes[0].id]).toEqual(['pooler', 'pgbouncer', 'idle-in-transaction-timeout']);
    expect(i.message).toContain('idle transaction timeout');
  });

  it("the issue's example: one incident at the pooler error, joined with the server link's timeout and its closing", async () => {
    const content = [
      '2025-04-01 03:00:00.101 UTC [911] WARNING tls_sbufio_recv: read failed: Connection timed out',
      '2025-04-01 03:00:00.101 UTC [911] LOG S-0x5612ab10: shop/app@10.1.2.3:5432 closing because: server conn crashed? (age=5400s)',
      '2025-04-01 03:00:00.102 UTC [911] WARNING C-0x5612ab90: shop/app@10.9.8.7:51000 pooler error: server conn crashed?',
    ].join('\n');
    const report = await triage([{ name: 'pgbouncer.log', content }]);
    expect(report.incidents.map((i) => [i.line, i.time])).toEqual([[3, '2025-04-01T03:00:00.102Z']]);
    const [i] = report.incidents;
    expect(i.evidence.map((e) => e.line).sort()).toEqual([1, 2, 3]);
    // The pooler's own read timed out: packets were dropped between it and the server.
    expect(i.causes[0].id).toBe('tcp-keepalive-nat-drop');
  });
});

describe('server-only view beside a client log', () => {
  const server = lab('idle-session-psycopg3/server.log');

  it('a client log of another time does not hide the server incident (lab: idle-session timeout)', async () => {
    const report = await triage([
      { name: 'server.log', content: server },
      { name: 'client.log', content: lab('neg-refused-node-pg/client.log') },
    ]);
    expect(report.incidents.map((i) => [i.source, i.origin, i.causes[0].id])).toEqual([['server.log', 'server', 'idle-session-timeout']]);
  });

  it('a client incident in the same window takes the server line as its evidence instead', async () => {
    const report = await triage([
      { name: 'server.log', content: server },
      { name: 'client.log', content: lab('idle-session-psycopg3/client.log') },
    ]);
    expect(report.incidents.every((i) => i.source === 'client.log')).toBe(true);
    expect(report.incidents[0].evidence.some((e) => e.source === 'server.log')).toBe(true);
    expect(report.incidents[0].causes[0].id).toBe('idle-session-timeout');
  });
});
