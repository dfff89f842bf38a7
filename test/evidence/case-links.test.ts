/**
 * What links a client log to the rest of its case when the failing record alone cannot: a
 * pool's own line that no rule reads (Django's CONN_MAX_AGE), and a client failure that carries
 * no time beside a server log that does.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';

const run = async (...files: Array<[string, string]>) => triage(files.map(([name, content]) => ({ name, content })));

const djangoFailure = [
  'ERROR 2026-12-01 09:59:29,840 log 29339 139990560862912 Internal Server Error: /reports/daily',
  'Traceback (most recent call last):',
  '  File "/usr/lib/python3/dist-packages/django/db/backends/utils.py", line 82, in _execute',
  '    return self.cursor.execute(sql)',
  'psycopg2.OperationalError: server closed the connection unexpectedly',
  '\tThis probably means the server terminated abnormally',
  '\tbefore or while processing the request.',
];
const idleSessionKill = '2026-12-01 09:59:28.336 UTC [4242] etl@warehouse FATAL:  terminating connection due to idle-session timeout';

describe('a pool shown only by its own line', () => {
  it('Django persistent connections make a 57P05 the pool outliving the server limit', async () => {
    const report = await run(
      ['site/client.log', ['INFO 2026-12-01 09:59:25,043 reports 29339 139990560862912 CONN_MAX_AGE=600', ...djangoFailure].join('\n')],
      ['site/server.log', idleSessionKill],
    );
    expect(report.incidents).toHaveLength(1);
    expect(report.incidents[0].causes[0].id).toBe('pool-recycle-exceeds-server-timeout');
  });

  it('without that line the same failure is the server idle limit on a lone connection', async () => {
    const report = await run(['site/client.log', djangoFailure.join('\n')], ['site/server.log', idleSessionKill]);
    expect(report.incidents[0].causes[0].id).toBe('idle-session-timeout');
  });
});

describe('a client failure with no time', () => {
  const untimed = [
    'Internal Server Error: /orders/7/cancel',
    'Traceback (most recent call last):',
    '  File "/usr/lib/python3/dist-packages/django/db/backends/utils.py", line 84, in _execute',
    '    return self.cursor.execute(sql, params)',
    'psycopg2.OperationalError: server closed the connection unexpectedly',
    '\tThis probably means the server terminated abnormally',
    '\tbefore or while processing the request.',
  ].join('\n');
  const server = [
    '2026-12-01 13:02:05 UTC [28941]: [1-1] user=postgres,db=warehouse,app=psql,client=[local] LOG:  connection authorized: user=postgres database=warehouse application_name=psql',
    '2026-12-01 13:02:06 UTC [28930]: [4-1] user=etl,db=warehouse,app=orders_admin,client=127.0.0.1 FATAL:  terminating connection due to administrator command',
  ].join('\n');

  it('is the one failure the server ended: one incident, judged at the server moment', async () => {
    const report = await run(['shop/client.log', untimed], ['shop/server.log', server]);
    expect(report.incidents.map((i) => i.origin)).toEqual(['client']);
    const [incident] = report.incidents;
    expect(incident.causes[0].id).toBe('admin-terminated-backend');
    // the condition about timing was judged (at the server's moment), not skipped
    expect(incident.facts.map((f) => f.id)).toContain('lone-termination-without-shutdown');
  });

  it('the server line alone is still an incident of its own', async () => {
    const report = await run(['shop/server.log', server]);
    expect(report.incidents.map((i) => i.origin)).toEqual(['server']);
  });
});
