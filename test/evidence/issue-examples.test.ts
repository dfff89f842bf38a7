/**
 * The synthetic examples of issue 12: each must come out as stated, and each fails if the
 * mechanism behind it (one side per record, neutral facts, a pool-managed fact, session-state
 * hypotheses, the idle-in-transaction cap) is taken away.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';

const run = async (...files: Array<[string, string]>) => (await triage(files.map(([name, content]) => ({ name, content })))).incidents;

describe('issue 12 examples', () => {
  it('57P05 with a pool visible in the same log: the pool recycle cause first', async () => {
    const [incident] = await run([
      'ledger.log',
      [
        '2025-06-10T08:00:00.000Z INFO [ledger-api] pg pool config {"max":10,"idleTimeoutMillis":3600000}',
        '2025-06-10T08:04:12.410Z ERROR [ledger-api] pool error on idle client: error: terminating connection due to idle-session timeout (code=57P05)',
      ].join('\n'),
    ]);
    expect(incident.causes[0].id).toBe('pool-recycle-exceeds-server-timeout');
  });

  it("57P05 with only pg-pool's own wording (no setting): the pool is visible, recycle cause first", async () => {
    const [incident] = await run([
      'ledger.log',
      '2025-06-10T08:04:12.410Z ERROR [ledger-api] pool error on idle client: error: terminating connection due to idle-session timeout (code=57P05)',
    ]);
    expect(incident.causes[0].id).toBe('pool-recycle-exceeds-server-timeout');
    expect(incident.facts.map((f) => f.id)).toContain('pooled-connection-killed-idle');
  });

  it('the same 57P05 without any pool: the server idle limit first', async () => {
    const [incident] = await run([
      'job.log',
      '2025-06-10T08:04:12.410Z ERROR [report] query failed: error: terminating connection due to idle-session timeout (code=57P05)',
    ]);
    expect(incident.causes[0].id).toBe('idle-session-timeout');
  });

  it('"does not exist" on one backend and "already exists" on another, with the client errors: transaction pooling, high', async () => {
    const incidents = await run(
      [
        'server.log',
        [
          '2025-05-05 10:00:01.200 UTC [7101] app@shop ERROR:  prepared statement "save_cart" does not exist',
          '2025-05-05 10:00:01.950 UTC [7102] app@shop ERROR:  prepared statement "save_cart" already exists',
        ].join('\n'),
      ],
      [
        'app.log',
        [
          '2025-05-05 10:00:01,210 ERROR shop.cart: psycopg.errors.InvalidSqlStatementName: prepared statement "save_cart" does not exist',
          '2025-05-05 10:00:01,960 ERROR shop.cart: psycopg.errors.DuplicatePreparedStatement: prepared statement "save_cart" already exists',
        ].join('\n'),
      ],
    );
    expect(incidents.length).toBeGreaterThan(0);
    for (const i of incidents) {
      expect(i.kind).toBe('session-state-lost');
      expect([i.causes[0].id, i.causes[0].confidence]).toEqual(['pgbouncer-transaction-mode', 'high']);
      // ranked only among the session-state hypotheses
      expect(i.causes.every((c) => ['pgbouncer-transaction-mode', 'reconnect-lost-session-state', 'application-session-state-bug', 'unknown'].includes(c.id))).toBe(true);
    }
  });

  it('a bare "FATAL: ... administrator command" is read once, as the server; admin and restart stay close, low', async () => {
    const [incident] = await run(['paste.txt', 'FATAL: terminating connection due to administrator command']);
    expect(incident.origin).toBe('server');
    // one line, one reading: no client-side rule fired on it
    expect(incident.facts.every((f) => f.witnesses.every((w) => w.origin === 'server'))).toBe(true);
    expect(incident.causes[0].confidence).toBe('low');
    const admin = incident.causes.find((c) => c.id === 'admin-terminated-backend')!;
    const stale = incident.causes.find((c) => c.id === 'stale-pool-after-restart');
    expect(admin).toBeDefined();
    expect(stale).toBeDefined();
    // the same FATAL is written for pg_terminate_backend() and for a fast shutdown: one line
    // cannot set them far apart
    expect(stale!.score / admin.score).toBeGreaterThan(0.5);
  });

  it('libpq EOF wording alone supports every cause alike: neutral, unknown first', async () => {
    const [incident] = await run(['job.log', 'psycopg.OperationalError: consuming input failed: server closed the connection unexpectedly']);
    expect(incident.causes[0].id).toBe('unknown');
    const wording = incident.facts.find((f) => f.id === 'libpq-server-closed-unexpectedly')!;
    expect(wording.neutral).toBe(true);
    expect(wording.contributes).toEqual([]);
  });

  it('an idle-in-transaction kill alone: at most medium, held-across named as the alternative with its decider', async () => {
    const [incident] = await run(['paste.txt', 'FATAL: terminating connection due to idle-in-transaction timeout']);
    expect(incident.causes[0].id).toBe('idle-in-transaction-timeout');
    expect(incident.causes[0].confidence).not.toBe('high');
    expect(incident.causes.map((c) => c.id)).toContain('held-across-external-call');
    expect(incident.missing.join('\n')).toMatch(/held-across-external-call/);
    expect(incident.missing.join('\n')).toMatch(/application's own lines/);
  });
});
