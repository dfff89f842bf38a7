/**
 * Incidents vs. the same failure seen twice (issue 12, item 9). Without a session identity, the
 * same wording logged again is another pooled connection failing the same way, and such
 * failures together are a burst; one failure's cascade (other wordings) and a chained traceback
 * stay one incident, and one failure seen in the client's and the server's log is one incident
 * quoting both.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';

const run = async (...files: Array<[string, string]>) => triage(files.map(([name, content]) => ({ name, content })));

describe('failures of different pooled connections, no identity', () => {
  const burst = [
    '2026-11-25T14:00:13.343Z INFO cache-warmer pool warm (3 clients)',
    '2026-11-25T14:00:14.412Z WARN cache-warmer pool: idle client error: Connection terminated unexpectedly',
    '2026-11-25T14:00:14.412Z WARN cache-warmer pool: idle client error: Connection terminated unexpectedly',
    '2026-11-25T14:00:14.413Z WARN cache-warmer pool: idle client error: Connection terminated unexpectedly',
  ].join('\n');

  it('stay distinct incidents and together are a burst', async () => {
    const report = await run(['warmer.log', burst]);
    expect(report.incidents.map((i) => i.line)).toEqual([2, 3, 4]);
    for (const incident of report.incidents) {
      const fact = incident.facts.find((f) => f.id === 'burst-of-failures');
      expect(fact, `incident at line ${incident.line}`).toBeDefined();
    }
  });

  it('one such failure alone is no burst', async () => {
    const [incident] = (await run(['warmer.log', burst.split('\n').slice(0, 2).join('\n')])).incidents;
    expect(incident.facts.map((f) => f.id)).not.toContain('burst-of-failures');
  });

  it('the same wording from one named session within seconds is that session failing on (one incident)', async () => {
    const report = await run([
      'app.log',
      [
        '2026-11-25 14:00:14,412 ERROR [worker-1] etl.load: psycopg2.OperationalError: server closed the connection unexpectedly',
        '2026-11-25 14:00:14,900 ERROR [worker-1] etl.load: psycopg2.OperationalError: server closed the connection unexpectedly',
      ].join('\n'),
    ]);
    expect(report.incidents).toHaveLength(1);
  });
});

describe('one failure seen more than once', () => {
  it('a chained traceback repeating the message under another class is one incident', async () => {
    const report = await run([
      'site.log',
      [
        'ERROR 2026-12-01 09:59:29,840 log 29339 139990560862912 Internal Server Error: /reports/daily',
        'Traceback (most recent call last):',
        '  File "/usr/lib/python3/dist-packages/django/db/backends/utils.py", line 82, in _execute',
        '    return self.cursor.execute(sql)',
        'psycopg2.OperationalError: server closed the connection unexpectedly',
        '',
        'The above exception was the direct cause of the following exception:',
        '',
        'Traceback (most recent call last):',
        '  File "/usr/lib/python3/dist-packages/django/db/utils.py", line 90, in __exit__',
        '    raise dj_exc_value.with_traceback(traceback) from exc_value',
        'django.db.utils.OperationalError: server closed the connection unexpectedly',
      ].join('\n'),
    ]);
    expect(report.incidents).toHaveLength(1);
  });

  it("in the client's and the server's log: one incident, the server's line among its witnesses", async () => {
    const report = await run(
      ['case/app.log', '2026-11-25T14:00:14.412Z ERROR reports query failed: error: terminating connection due to administrator command'],
      ['case/server.log', '2026-11-25 14:00:14.410 UTC [4711] etl@dw FATAL:  terminating connection due to administrator command'],
    );
    expect(report.incidents).toHaveLength(1);
    const [incident] = report.incidents;
    expect(incident.source).toBe('case/app.log');
    const witnesses = incident.facts.flatMap((f) => f.witnesses.map((w) => `${w.source}:${w.line}`));
    expect(witnesses).toContain('case/server.log:1');
  });
});
