/**
 * JSON application logs are data: rules read decoded string fields, whatever library wrote them.
 * One record per library's layout, each in that library's key names (invented values).
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';
import { decodedText } from '../../src/formats/app/app-json.js';

const RECORDS: Array<[string, string, { time: string; message: RegExp; sqlstate?: string }]> = [
  [
    'pino (numeric level, epoch ms, err object with escaped quotes)',
    '{"level":50,"time":1767225600123,"pid":311,"name":"ledger","err":{"type":"DatabaseError","message":"prepared statement \\"q_balance\\" does not exist","code":"26000"},"msg":"balance query failed"}',
    { time: '2026-01-01T00:00:00.123Z', message: /prepared statement "q_balance" does not exist/, sqlstate: '26000' },
  ],
  [
    'bunyan (err.stack with escaped newlines)',
    '{"name":"ledger","hostname":"h","pid":311,"level":50,"err":{"message":"Connection terminated unexpectedly","name":"Error","stack":"Error: Connection terminated unexpectedly\\n    at Connection.<anonymous> (/app/node_modules/pg/lib/client.js:132:73)"},"msg":"query failed","time":"2026-01-01T00:00:00.123Z","v":0}',
    { time: '2026-01-01T00:00:00.123Z', message: /Connection terminated unexpectedly/ },
  ],
  [
    'winston (stack at top level)',
    '{"level":"error","message":"sync failed","timestamp":"2026-01-01T00:01:00.000Z","stack":"Error: read ECONNRESET\\n    at TCP.onStreamRead (node:internal/stream_base_commons:217:20)"}',
    { time: '2026-01-01T00:01:00.000Z', message: /ECONNRESET/ },
  ],
  [
    'structlog (event key, Python traceback in exception)',
    '{"event":"batch failed","level":"error","logger":"billing","timestamp":"2026-01-01T00:02:00.000000Z","exception":"Traceback (most recent call last):\\n  File \\"/srv/x.py\\", line 3, in <module>\\npsycopg2.OperationalError: server closed the connection unexpectedly\\n\\tThis probably means the server terminated abnormally\\n"}',
    { time: '2026-01-01T00:02:00.000Z', message: /server closed the connection unexpectedly/ },
  ],
  [
    'logback logstash encoder (stack_trace)',
    '{"@timestamp":"2026-01-01T00:03:00.000Z","@version":"1","message":"Query failed","logger_name":"com.acme.Repo","thread_name":"main","level":"ERROR","level_value":40000,"stack_trace":"org.postgresql.util.PSQLException: An I/O error occurred while sending to the backend.\\n\\tat org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:395)"}',
    { time: '2026-01-01T00:03:00.000Z', message: /An I\/O error occurred/ },
  ],
  [
    'log4j2 JsonLayout (instant object, thrown)',
    '{"instant":{"epochSecond":1767225840,"nanoOfSecond":5000000},"thread":"main","level":"ERROR","loggerName":"com.acme.Repo","message":"Query failed","thrown":{"name":"org.postgresql.util.PSQLException","message":"This connection has been closed."}}',
    { time: '2026-01-01T00:04:00.005Z', message: /This connection has been closed/ },
  ],
  [
    'Elastic Common Schema (log.level, error object)',
    '{"@timestamp":"2026-01-01T00:05:00.000Z","log.level":"error","message":"db error","ecs.version":"1.6.0","log":{"logger":"app"},"error":{"type":"PSQLException","message":"This connection has been closed."}}',
    { time: '2026-01-01T00:05:00.000Z', message: /This connection has been closed/ },
  ],
  [
    'JSON inside a JSON string',
    '{"level":"error","ts":1767226000.5,"msg":"job failed","detail":"{\\"driver\\":\\"psycopg\\",\\"error\\":\\"consuming input failed: server closed the connection unexpectedly\\"}"}',
    { time: '2026-01-01T00:06:40.500Z', message: /job failed/ },
  ],
];

describe('JSON application logs', () => {
  it.each(RECORDS)('%s: one incident with its time, read from decoded fields', async (_name, line, want) => {
    const report = await triage({ name: 'app.json', content: line + '\n' });
    expect(report.incidents).toHaveLength(1);
    const [i] = report.incidents;
    expect(i.format).toBe('app-json');
    expect(i.time).toBe(want.time);
    expect(i.message).toMatch(want.message);
    if (want.sqlstate) expect(i.observedSqlstates).toContain(want.sqlstate);
  });

  it('an info record that mentions the wording is not an incident', async () => {
    const report = await triage({ name: 'app.json', content: '{"level":30,"time":1767225600123,"msg":"retrying after server closed the connection unexpectedly"}\n' });
    expect(report.incidents).toEqual([]);
  });

  it('ADF reads only records with ADF keys; an ADF record is still ADF', async () => {
    const adf = '{"errorCode":"2200","message":"Failure happened on \'Source\' side. ERROR [08S01] The connection has been lost","failureType":"UserError","target":"CopyOrders"}';
    const report = await triage({ name: 'adf.json', content: adf + '\n' });
    expect(report.incidents.map((i) => [i.format, i.activity])).toEqual([['adf-json', 'CopyOrders']]);
  });

  it('decodes escapes and nested JSON strings into key: value lines', () => {
    expect(decodedText({ a: 'x "q"\nnext', b: '{"c":"inner"}', d: [1, { e: 'f' }] })).toBe('a: x "q"\nnext\nb.c: inner\nd.0: 1\nd.1.e: f');
  });
});
