/**
 * One table of driver wording makes the incident for every driver; words other software uses too
 * count only beside a database library. Messages are the drivers' own; records are invented.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../../src/index.js';

const run = async (lines: string[]) => triage([{ name: 'app.log', content: lines.join('\n') }]);

describe('driver wording table', () => {
  it('HikariCP: a closed proxy connection (the issue example)', async () => {
    const r = await run([
      '2025-05-04 10:00:01.123 ERROR 4242 --- [pool-3-thread-1] c.e.ledger.Sync : sync failed',
      'Caused by: java.sql.SQLException: Connection is closed',
      '\tat com.zaxxer.hikari.pool.ProxyConnection$ClosedConnection.lambda$getClosedConnection$0(ProxyConnection.java:515)',
    ]);
    expect(r.incidents.map((i) => i.sqlstate)).toEqual(['08003']);
  });

  it('ioredis says "Connection is closed" too: not a database session', async () => {
    const r = await run([
      '[2025-05-04T10:00:01.123Z] ERROR: cache write failed Error: Connection is closed.',
      '    at close (/srv/app/node_modules/ioredis/built/redis/event_handler.js:189:25)',
    ]);
    expect(r.incidents).toEqual([]);
  });

  it('Go database/sql and pgx', async () => {
    expect((await run(['2025/05/04 10:00:01 sync failed: driver: bad connection'])).incidents).toHaveLength(1);
    expect((await run(['2025/05/04 10:00:01 sync failed: github.com/jackc/pgx/v5/pgconn: conn closed'])).incidents).toHaveLength(1);
    expect((await run(['2025/05/04 10:00:01 websocket send failed: conn closed'])).incidents).toEqual([]);
  });

  it('pgjdbc before 42.2 spelled "occured"', async () => {
    const r = await run(['2025-05-04 10:00:01,123 ERROR [http-nio-8080-exec-4] o.h.e.j.s.SqlExceptionHelper: An I/O error occured while sending to the backend.']);
    expect(r.incidents).toHaveLength(1);
  });

  it('PHP PDO: a connect-time 08006 beside 53300 is a neighbour, a runtime 08006 an incident', async () => {
    const connect = await run(['[04-May-2025 10:00:01 UTC] PHP Fatal error:  Uncaught PDOException: SQLSTATE[08006] [7] connection to server at "db" (10.0.0.9), port 5432 failed: FATAL:  sorry, too many clients already in /srv/app/db.php:12']);
    expect(connect.incidents).toEqual([]);
    expect(connect.neighbours.map((n) => n.sqlstate)).toContain('53300');
    const runtime = await run(['[04-May-2025 10:00:01 UTC] PHP Fatal error:  Uncaught PDOException: SQLSTATE[08006]: <<Unknown error>>: 7 server closed the connection unexpectedly in /srv/app/job.php:40']);
    expect(runtime.incidents).toHaveLength(1);
  });

  it('ruby-pg: ConnectionBad on an open connection, not at connect time', async () => {
    expect((await run(['E, [2025-05-04T10:00:01.123456 #4242] ERROR -- : PG::ConnectionBad: PQconsumeInput() SSL connection has been closed unexpectedly'])).incidents).toHaveLength(1);
    expect((await run(['E, [2025-05-04T10:00:01.123456 #4242] ERROR -- : PG::ConnectionBad: could not connect to server: Connection refused'])).incidents).toEqual([]);
  });
});
