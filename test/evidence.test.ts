import { describe, expect, it } from 'vitest';
import { triage } from '../src/index.js';

const LAB = 'samples/lab';

describe('evidence across sources', () => {
  it('quotes a configuration contradiction given as input: pool_recycle longer than the server idle limit', async () => {
    const report = await triage([
      { path: `${LAB}/recycle-sqlalchemy-psycopg2/client.log` },
      { name: 'postgresql.conf', content: "# managed service defaults\nidle_session_timeout = '600s'\n" },
    ]);
    const [incident] = report.incidents;
    expect(incident.causes[0].id).toBe('pool-recycle-exceeds-server-timeout');
    const contradiction = incident.causes[0].evidence.find((e) => e.ruleId === 'pool-outlives-server-idle-limit')!;
    expect(contradiction.condition).toBe('pool.recycle > server.idle_timeout');
    expect(contradiction.witnesses!.map((w) => [w.name, w.value, w.origin?.source, w.origin?.line])).toEqual([
      ['pool.recycle', '3600 s', `${LAB}/recycle-sqlalchemy-psycopg2/client.log`, 1],
      ['server.idle_timeout', '600 s', 'postgresql.conf', 2],
    ]);
    // the configuration lines themselves are quoted among the incident's evidence lines
    expect(incident.evidence.some((l) => l.source === 'postgresql.conf' && l.line === 2 && l.text.includes('idle_session_timeout'))).toBe(true);
  });

  it('with only an ambiguous client log, ranks with low confidence and says what would decide it', async () => {
    const report = await triage({ path: `${LAB}/admin-terminate-sqlalchemy-psycopg2/client.log` });
    const [incident] = report.incidents;
    expect(incident.causes[0].confidence).toBe('low');
    expect(incident.missing.length).toBeGreaterThan(0);
    expect(incident.missing[0]).toMatch(/PostgreSQL server log for \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}-\d{2}:\d{2}:\d{2} UTC/);
  });

  it('the same client message is decided by the server log: admin termination vs restart', async () => {
    const admin = await triage([{ path: `${LAB}/admin-terminate-sqlalchemy-psycopg2/client.log` }, { path: `${LAB}/admin-terminate-sqlalchemy-psycopg2/server.log` }]);
    const restart = await triage([{ path: `${LAB}/restart-sqlalchemy-psycopg2/client.log` }, { path: `${LAB}/restart-sqlalchemy-psycopg2/server.log` }]);
    expect([admin.causes[0].id, admin.causes[0].confidence]).toEqual(['admin-terminated-backend', 'high']);
    expect([restart.causes[0].id, restart.causes[0].confidence]).toEqual(['stale-pool-after-restart', 'high']);
    // the decisive server lines are quoted with file:line
    const serverLines = admin.incidents[0].evidence.filter((l) => l.origin === 'server').map((l) => l.text);
    expect(serverLines.some((t) => t.includes('terminating connection due to administrator command'))).toBe(true);
  });
});
