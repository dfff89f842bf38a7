import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/events.js';
import { configFormat, extractConfig, maskSecrets } from '../../../src/formats/config/config.js';
import { normalizeDuration, normalizeValue } from '../../../src/formats/config/config-keys.js';
import { serverFormats } from '../../../src/formats/index.js';
import { drive } from '../drive-server.js';

const sample = (name: string) => readFileSync(new URL(`../../../samples/config/${name}`, import.meta.url), 'utf8');
const configs = (events: LogEvent[]) => events.filter((e) => e.format === 'config').map((e) => e.fields.config ?? {});
const merged = (events: LogEvent[]) => Object.assign({}, ...configs(events)) as Record<string, string>;

describe('normalizeDuration', () => {
  it.each([
    ['10min', 's', 600], ['500ms', 's', 0.5], ["'1 h'", 's', 3600], ['1d', 's', 86400], ['30s', 'ms', 30],
    ['60000', 'ms', 60], ['60', 's', 60], ['2', 'min', 120], ['0', 'ms', 0], ['-1', 's', -1], ['250us', 's', 0.00025],
  ] as const)('%s (bare unit %s) → %s s', (text, unit, secs) => {
    expect(normalizeDuration(text, unit)).toBe(secs);
  });
  it('rejects non-durations', () => {
    expect(normalizeDuration('soon')).toBeUndefined();
    expect(normalizeDuration('10 parsecs')).toBeUndefined();
  });
  it('normalizeValue: booleans and raw text', () => {
    expect(normalizeValue('False', 'bool')).toBe('false');
    expect(normalizeValue('on', 'bool')).toBe('true');
    expect(normalizeValue("'transaction'", 'raw')).toBe('transaction');
  });
});

describe('config files', () => {
  it('postgresql.conf: active settings only, units normalized, quotes kept inside', () => {
    const events = drive([configFormat()], sample('postgresql.conf'), 'postgresql.conf');
    expect(merged(events)).toEqual({
      'postgres.max_connections': '200',
      'postgres.tcp_keepalives_idle': '60',
      'postgres.tcp_keepalives_interval': '10',
      'postgres.tcp_keepalives_count': '6',
      'postgres.statement_timeout': '0',
      'postgres.idle_in_transaction_session_timeout': '300',
      'postgres.idle_session_timeout': '600',
      'postgres.log_line_prefix': '%m [%p] %q%u@%d ',
      'postgres.log_disconnections': 'true',
    });
    expect(events.find((e) => e.line === 3)?.format).toBe('generic'); // commented-out default
  });

  it('pgbouncer.ini', () => {
    expect(merged(drive([configFormat()], sample('pgbouncer.ini'), 'pgbouncer.ini'))).toEqual({
      'pgbouncer.pool_mode': 'transaction',
      'pgbouncer.server_idle_timeout': '600',
      'pgbouncer.server_lifetime': '3600',
      'pgbouncer.client_idle_timeout': '0',
      'pgbouncer.idle_transaction_timeout': '30',
      'pgbouncer.query_wait_timeout': '120',
      'pgbouncer.server_check_delay': '30',
      'pgbouncer.max_prepared_statements': '0',
      'pgbouncer.default_pool_size': '20',
    });
  });

  it('multi-line create_engine() with URL parameters and connect_args, no password', () => {
    const events = drive([configFormat()], sample('engine.py'), 'engine.py');
    const e = events.find((x) => x.format === 'config')!;
    expect([e.line, e.endLine]).toEqual([5, 12]);
    expect(e.fields.config).toEqual({
      'sqlalchemy.create_engine': 'true',
      'libpq.user': 'etl',
      'libpq.host': 'db.internal',
      'libpq.port': '5432',
      'libpq.dbname': 'warehouse',
      'libpq.keepalives_idle': '30',
      'sqlalchemy.pool_recycle': '3600',
      'sqlalchemy.pool_pre_ping': 'false',
      'sqlalchemy.pool_size': '5',
      'sqlalchemy.max_overflow': '10',
      'libpq.keepalives': 'true',
      'libpq.keepalives_interval': '10',
      'libpq.keepalives_count': '3',
      'libpq.connect_timeout': '10',
    });
    expect(JSON.stringify(e.fields)).not.toContain('s3cret');
  });

  it('dbt profiles.yml', () => {
    expect(merged(drive([configFormat()], sample('profiles.yml'), 'profiles.yml'))).toEqual({
      'dbt.threads': '4', 'dbt.keepalives_idle': '0', 'dbt.connect_timeout': '10', 'dbt.retries': '1',
    });
  });

  it('connection strings: libpq key=value, URL, Npgsql, psqlODBC, logged engine config', () => {
    const events = drive([configFormat()], sample('connection-strings.txt'), 'app.log');
    const c = configs(events);
    expect(c[0]).toEqual({
      'libpq.host': 'db.internal', 'libpq.port': '5432', 'libpq.dbname': 'warehouse', 'libpq.user': 'etl',
      'libpq.keepalives': 'true', 'libpq.keepalives_idle': '60', 'libpq.keepalives_interval': '10',
      'libpq.keepalives_count': '5', 'libpq.tcp_user_timeout': '30', 'libpq.connect_timeout': '10',
    });
    expect(c[1]).toEqual({
      'libpq.user': 'etl', 'libpq.host': 'db.internal', 'libpq.port': '6432', 'libpq.dbname': 'warehouse',
      'libpq.sslmode': 'require', 'libpq.keepalives_idle': '120', 'libpq.connect_timeout': '5',
    });
    expect(c[2]).toEqual({
      'npgsql.keepalive': '30', 'npgsql.tcp_keepalive': 'true', 'npgsql.connection_idle_lifetime': '300', 'npgsql.command_timeout': '600',
    });
    expect(c[3]).toEqual({ 'odbc.keepalive_time': '60', 'odbc.keepalive_interval': '10' });
    expect(c[4]).toEqual({ 'sqlalchemy.pool_recycle': '3600', 'sqlalchemy.pool_pre_ping': 'false', 'sqlalchemy.pool_size': '5' });
    expect(events[4].ts).toBe(Date.UTC(2026, 4, 1, 10, 0, 0));
    for (const e of events) {
      expect(JSON.stringify(e.fields)).not.toContain('s3cret');
    }
  });

  it('real psql SHOW output and pg_settings rows (PostgreSQL 15)', () => {
    const events = drive([configFormat()], sample('psql-show-pg15.txt'), 'show.txt');
    const shows = events.filter((e) => e.format === 'config' && e.endLine > e.line);
    expect(shows.map((e) => [e.line, e.endLine, e.fields.config])).toEqual([
      [1, 4, { 'postgres.idle_session_timeout': '600' }],
      [6, 9, { 'postgres.idle_in_transaction_session_timeout': '60' }],
      [11, 14, { 'postgres.tcp_keepalives_idle': '0' }],
    ]);
    expect(merged(events.filter((e) => e.line >= 18))).toEqual({
      'postgres.idle_in_transaction_session_timeout': '60',
      'postgres.idle_session_timeout': '600',
      'postgres.max_connections': '20',
      'postgres.statement_timeout': '0',
      'postgres.tcp_keepalives_count': '0',
      'postgres.tcp_keepalives_idle': '0',
      'postgres.tcp_keepalives_interval': '0',
    });
  });

  it('SHOW with a psql prompt and a PgBouncer SHOW CONFIG row', () => {
    const text = 'appdb=# SHOW idle_session_timeout;\n idle_session_timeout \n----------------------\n 5min\n(1 row)\n';
    const [e] = drive([configFormat()], text);
    expect([e.line, e.endLine, e.fields.config]).toEqual([1, 5, { 'postgres.idle_session_timeout': '300' }]);
    const [row] = drive([configFormat()], ' pool_mode | transaction | session | yes');
    expect(row.fields.config).toEqual({ 'pgbouncer.pool_mode': 'transaction' });
  });
});

describe('config does not steal log lines', () => {
  const f = configFormat();
  it.each([
    '2026-11-25 13:41:40.886 UTC [5838] app@appdb FATAL:  terminating connection due to idle-in-transaction timeout',
    '2024-05-01 12:00:00,123 INFO sqlalchemy.pool.impl.QueuePool Connection <connection object> exceeded timeout; recycling',
    'retrying in 5 seconds',
    '# idle_session_timeout = 0',
    'The pool_recycle setting is documented here.',
  ])('%s', (line) => {
    expect(f.start(line)).toBeUndefined();
  });

  it('server logs keep their format when config is in the registry', () => {
    const line = '2026-11-25 13:41:53.512 UTC [5822] LOG:  parameter "idle_session_timeout" changed to "10min"';
    const [e] = drive(serverFormats({}), line);
    expect(e.format).toBe('pg-stderr');
    expect(e.fields.config).toEqual({ 'postgres.idle_session_timeout': '600' });
  });
});

describe('settings logged by applications', () => {
  it('a client line naming libpq settings with units', () => {
    const [e] = drive([configFormat()], '2026-05-01 09:00:00,001 INFO loader: connecting to 10.0.0.4:5432 (tcp_user_timeout=4000ms, keepalives_idle=30s)');
    expect(e.fields.config).toEqual({ 'libpq.tcp_user_timeout': '4', 'libpq.keepalives_idle': '30' });
  });
  it('a JS object dump with unset values is not taken as configuration', () => {
    const f = configFormat();
    expect(f.start('      statement_timeout: false,')).toBeUndefined();
    expect(f.start('      idle_in_transaction_session_timeout: undefined,')).toBeUndefined();
    // node-pg's own query_timeout (ms) is not PgBouncer's query_timeout (s)
    expect(f.start('      query_timeout: 30000,')).toBeUndefined();
    const [e] = drive([f], 'query_timeout = 30', 'pgbouncer.ini');
    expect(e.fields.config).toEqual({ 'pgbouncer.query_timeout': '30' });
  });
});

describe('extractConfig / maskSecrets', () => {
  it('reads options="-c ..." server settings and Flask-SQLAlchemy names', () => {
    expect(extractConfig("connect_args={'options': '-c statement_timeout=5000'} SQLALCHEMY_POOL_RECYCLE=280")).toEqual({
      'postgres.statement_timeout': '5', 'sqlalchemy.pool_recycle': '280',
    });
  });
  it('masks passwords in URLs and key=value text', () => {
    expect(maskSecrets('postgresql://u:pw@h/db password=x Pwd=y;')).toBe('postgresql://u:***@h/db password=*** Pwd=***;');
  });
});
