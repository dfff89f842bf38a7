/**
 * Realistic Report objects for reporter tests, built from the seed (MetricSign 08003 page):
 * a SQLAlchemy/psycopg2 "connection does not exist" with a server log that shows a restart,
 * two ranked causes plus `unknown`, and a connection-refused neighbour.
 */
import { SCHEMA_VERSION, type CauseEvidence, type Incident, type RankedCause, type Report } from '../../src/report-types.js';

export const SQLA_FAILURE = [
  'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) FATAL:  connection does not exist',
  'SSLERROR: decryption failed or bad record mac',
  '[SQL: SELECT id, updated_at FROM public.fact_orders WHERE updated_at > %(ts)s]',
  '(Background on this error at: https://sqlalche.me/e/14/e3q8)',
].join('\n');

export function causeEvidence(over: Partial<CauseEvidence> = {}): CauseEvidence {
  return {
    source: 'logs/postgresql-2024-05-01.log',
    line: 88,
    text: '2024-05-01 10:01:58 UTC [311] LOG:  received fast shutdown request',
    ruleId: 'server.shutdown-fast',
    reason: 'the server shut down in fast mode, closing every session',
    direction: 'for',
    weight: 1.3,
    ...over,
  };
}

export function stalePoolCause(): RankedCause {
  const against = causeEvidence({
    source: 'logs/etl.log',
    line: 118,
    text: "2024-05-01 10:02:01,004 INFO sqlalchemy.pool.impl.QueuePool Pool pre-ping enabled (pool_pre_ping=True)",
    ruleId: 'client.pre-ping-on',
    reason: 'pre-ping would have replaced a dead pooled connection',
    direction: 'against',
    weight: -0.4,
  });
  return {
    id: 'stale-pool-after-restart',
    title: 'The pool handed out a connection the server closed when it restarted',
    score: 0.612,
    confidence: 'medium',
    summary: 'The server restarted (patch, failover) while the pool held connections; the next checkout got a dead socket.',
    evidence: [
      causeEvidence(),
      causeEvidence({
        line: 91,
        text: '2024-05-01 10:02:00 UTC [402] LOG:  database system is ready to accept connections',
        ruleId: 'server.ready',
        reason: 'the server came back up seconds before the failure',
        weight: 0.9,
      }),
      against,
    ],
    contradicting: [against],
    remediation: [
      { stack: 'sqlalchemy', text: 'Enable pre-ping: `create_engine(url, pool_pre_ping=True)`.' },
      { stack: 'psycopg', text: 'Check connections before use (`SELECT 1`) in your psycopg pool.' },
      { stack: 'dbt', text: 'Re-run the failed models with `dbt retry`.' },
      { stack: 'server', text: 'Schedule restarts outside pipeline windows.' },
    ],
  };
}

export function idleInTxCause(): RankedCause {
  return {
    id: 'idle-in-transaction-timeout',
    title: 'idle_in_transaction_session_timeout ended the session',
    score: 0.241,
    confidence: 'low',
    summary: 'A transaction sat idle longer than `idle_in_transaction_session_timeout`.',
    evidence: [
      causeEvidence({
        source: 'logs/etl.log',
        line: 97,
        text: '2024-05-01 09:56:40,512 INFO etl.load BEGIN (implicit)',
        ruleId: 'client.begin',
        reason: 'a transaction was open minutes before the failure',
        weight: 0.3,
      }),
    ],
    contradicting: [],
    remediation: [
      { stack: 'sqlalchemy', text: 'Commit before slow work; do not hold a Session open across external calls.' },
      { stack: 'server', text: 'ALTER ROLE pipeline_user SET idle_in_transaction_session_timeout = 0;' },
    ],
  };
}

export function unknownCause(): RankedCause {
  return {
    id: 'unknown',
    title: 'Something the rules do not know',
    score: 0.147,
    confidence: 'low',
    summary: '',
    evidence: [],
    contradicting: [],
    remediation: [],
  };
}

export function sqlalchemyIncident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    sqlstate: '08003',
    kind: 'connection-lost',
    observedSqlstates: ['08003'],
    why: 'libpq/psycopg2 reported "connection does not exist" on a held connection',
    message: 'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) FATAL:  connection does not exist',
    source: 'logs/etl.log',
    line: 120,
    endLine: 123,
    origin: 'client',
    format: 'python-traceback',
    time: '2024-05-01T10:02:03.120Z',
    stacks: ['sqlalchemy', 'psycopg'],
    exception: 'sqlalchemy.exc.OperationalError',
    driver: 'psycopg2.OperationalError',
    evidence: [
      {
        source: 'logs/etl.log',
        line: 120,
        endLine: 123,
        text: SQLA_FAILURE,
        origin: 'client',
        format: 'python-traceback',
        time: '2024-05-01T10:02:03.120Z',
        role: 'failure',
        rules: ['client.connection-does-not-exist'],
      },
      {
        source: 'logs/postgresql-2024-05-01.log',
        line: 88,
        endLine: 88,
        text: '2024-05-01 10:01:58 UTC [311] LOG:  received fast shutdown request',
        origin: 'server',
        format: 'pg-stderr',
        time: '2024-05-01T10:01:58.000Z',
        role: 'context',
        rules: ['server.shutdown-fast'],
      },
    ],
    facts: [
      {
        id: 'pg-shutdown',
        description: 'The postmaster was asked to shut down or finished shutting down.',
        scope: 'global',
        count: 2,
        witnesses: [
          {
            source: 'logs/postgresql-2024-05-01.log',
            line: 88,
            endLine: 88,
            text: '2024-05-01 10:01:58 UTC [311] LOG:  received fast shutdown request',
            origin: 'server',
            time: '2024-05-01T10:01:58.000Z',
            which: ['nearest', 'first'],
          },
        ],
        quantities: { nearestMs: -5120 },
        contributes: [
          { cause: 'stale-pool-after-restart', weight: 1 },
          { cause: 'admin-terminated-backend', weight: -1 },
        ],
      },
    ],
    causes: [stalePoolCause(), idleInTxCause(), unknownCause()],
    missing: ['The pool settings (`pool_pre_ping`, `pool_recycle`) of the engine that failed', 'The server log for 10:00–10:03 UTC'],
    ...over,
  };
}

export function makeReport(over: Partial<Report> = {}): Report {
  const incident = sqlalchemyIncident();
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'pgtriage', version: '0.1.0' },
    incidents: [incident],
    causes: [
      { id: 'stale-pool-after-restart', title: stalePoolCause().title, score: 0.612, confidence: 'medium', incidents: ['inc-1'], topIn: 1 },
      { id: 'idle-in-transaction-timeout', title: idleInTxCause().title, score: 0.241, confidence: 'low', incidents: ['inc-1'], topIn: 0 },
    ],
    neighbours: [
      {
        sqlstate: '08001',
        name: 'connection refused',
        why: 'the client could not open a connection; nothing was lost',
        source: 'logs/etl.log',
        line: 12,
        text: 'psycopg2.OperationalError: connection to server at "db" (10.0.0.5), port 5432 failed: Connection refused',
        time: '2024-05-01T09:50:00.000Z',
      },
    ],
    sources: [
      {
        source: 'logs/etl.log',
        formats: { 'python-logging': 140, 'python-traceback': 2 },
        detection: 'python-logging: 140 of 150 lines match `%(asctime)s %(levelname)s %(name)s`',
        lines: 150,
        bytes: 18234,
      },
      {
        source: 'logs/postgresql-2024-05-01.log',
        formats: { 'pg-stderr': 300 },
        detection: "pg-stderr with log_line_prefix '%m [%p] '",
        lines: 300,
        bytes: 40211,
      },
    ],
    stats: {
      incidents: 1,
      sources: 2,
      lines: 450,
      bytes: 58445,
      linesParsed: 450,
      records: 442,
      events: 12,
      linesTruncated: 1,
      recordsTruncated: 0,
      invalidUtf8Lines: 0,
      recordsMalformed: 0,
      sourcesFailed: 0,
      sourcesBinary: 1,
    },
    warnings: ['logs/app.bin: binary input skipped'],
    ...over,
  };
}

/** An empty run: nothing found. */
export function emptyReport(): Report {
  const report = makeReport({ incidents: [], causes: [], neighbours: [], warnings: [] });
  return { ...report, stats: { ...report.stats, incidents: 0 } };
}
