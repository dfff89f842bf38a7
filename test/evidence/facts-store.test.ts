import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LogEvent, Origin } from '../../src/events.js';
import { FactStore } from '../../src/evidence/facts.js';
import { identityOf, relate } from '../../src/evidence/identity.js';
import { sideOf } from '../../src/evidence/side.js';
import { poolerReasonOf, POOLER_REASONS } from '../../src/evidence/pgbouncer-reasons.js';
import type { Rule } from '../../src/rules/types.js';

const rule = (id: string, before = 10 * 60_000, after = 5_000) => ({ id, window: { before, after } }) as unknown as Rule;

let lineNo = 0;
function ev(text: string, over: Partial<LogEvent> = {}, fields: LogEvent['fields'] = {}): LogEvent {
  const line = ++lineNo;
  return { source: 'app.log', line, endLine: line, text, format: 'python-logging', origin: 'client', fields, ...over };
}

describe('session identity', () => {
  it('tells threads, backends and connection objects apart, and leaves different kinds unrelated', () => {
    const t1 = identityOf(ev('x', {}, { thread: 'worker-1' }));
    const t2 = identityOf(ev('x', {}, { thread: 'worker-2' }));
    const conn = identityOf(ev('Connection <connection object at 0x7f3a2b1c9d40; closed: 0> exceeded timeout; recycling'));
    expect(relate(t1, t1)).toBe('same');
    expect(relate(t1, t2)).toBe('other');
    expect(relate(t1, conn)).toBe('unrelated');
    expect(conn.conn).toBe('0x7f3a2b1c9d40');
    // a server pid and a client process id never compare equal
    const server = identityOf(ev('FATAL: x', { origin: 'server', format: 'pg-stderr' }, { pid: 42 }));
    const client = identityOf(ev('boom', { format: 'json-record' as LogEvent['format'] }, { pid: 42 }));
    expect(relate(server, client)).toBe('other');
    // dbt's invocation id is the whole run, not a session: the thread decides
    const dbtA = identityOf(ev('x', { format: 'dbt-json' }, { thread: 'Thread-1', sessionId: 'inv-1', pid: 7 }));
    const dbtB = identityOf(ev('x', { format: 'dbt-json' }, { thread: 'Thread-2', sessionId: 'inv-1', pid: 7 }));
    expect(relate(dbtA, dbtB)).toBe('other');
  });
});

describe('one side per record', () => {
  const unknown = (text: string) => sideOf(ev(text, { origin: 'unknown', format: 'generic' }));
  it('reads a bare severity tag and server-only wording as the server, a driver class as the client', () => {
    expect(unknown('FATAL: terminating connection due to administrator command')).toBe('server');
    expect(unknown('2024-05-01 02:00:00 UTC [4711] FATAL:  terminating connection due to idle-session timeout')).toBe('server');
    expect(unknown('LOG:  could not receive data from client: Connection reset by peer')).toBe('server');
    expect(unknown('psycopg.OperationalError: consuming input failed: server closed the connection unexpectedly')).toBe('client');
    expect(unknown('org.postgresql.util.PSQLException: FATAL: terminating connection due to administrator command')).toBe('client');
    expect(unknown('the job stopped')).toBe('unknown');
  });
  it('keeps the side a format decided', () => {
    expect(sideOf(ev('FATAL: x', { origin: 'client' as Origin }))).toBe('client');
  });
});

describe('PgBouncer reasons: one table for the pooler and the clients that relay it', () => {
  it('finds the same reason on the pooler line and in the client error', () => {
    const pooler = ev('LOG C-0x1: db/u@1.2.3.4:5 closing because: client_idle_timeout (age=900s)', { origin: 'pooler', format: 'pgbouncer' }, {
      serverEvent: 'pooler-close',
      serverEventKind: 'client-idle-timeout',
    });
    const client = ev('psycopg2.OperationalError: FATAL:  client_idle_timeout\nserver closed the connection unexpectedly');
    expect(poolerReasonOf(pooler)).toBe('client-idle-timeout');
    expect(poolerReasonOf(client)).toBe('client-idle-timeout');
    expect(poolerReasonOf(ev('psycopg2.OperationalError: server conn crashed?'))).toBe('server-conn-crashed');
    expect(poolerReasonOf(ev('psycopg2.OperationalError: server closed the connection unexpectedly'))).toBeUndefined();
    expect(POOLER_REASONS['client-idle-timeout'].evidence[0].cause).toBe('pool-recycle-exceeds-server-timeout');
  });
});

describe('FactStore', () => {
  const T0 = Date.UTC(2024, 4, 1, 2, 0, 0);
  it('keeps one fact per rule with its count and at most three witnesses, whatever the density', () => {
    const store = new FactStore();
    const http = rule('external-call-in-flight');
    for (let i = 0; i < 20_000; i++) store.add(ev(`GET http://x/${i}`, { ts: T0 + i * 10 }, { thread: 'worker-1' }), [http]);
    const failure = ev('psycopg2.OperationalError: boom', { ts: T0 + 200_000 }, { thread: 'worker-1' });
    const facts = store.gather(failure, { skewMs: 5_000 });
    expect(facts).toHaveLength(1);
    expect(facts[0].scope).toBe('session');
    expect(facts[0].witnesses.length).toBeLessThanOrEqual(3);
    // window: 10 min before to 5 s (+5 s skew) after, every record of the same thread counts
    expect(facts[0].count).toBe(20_000);
    expect(store.size).toBe(1);
  });

  it("does not take other sessions' lines as evidence, but takes global ones", () => {
    const store = new FactStore();
    store.add(ev('GET http://x', { ts: T0 }, { thread: 'worker-2' }), [rule('external-call-in-flight')]);
    store.add(ev('LOG:  received fast shutdown request', { ts: T0, origin: 'server', format: 'pg-stderr' }, { pid: 1, serverEvent: 'shutdown-request' }), [rule('pg-shutdown')]);
    const facts = store.gather(ev('boom', { ts: T0 + 1000 }, { thread: 'worker-1' }), { skewMs: 5_000 });
    expect(facts.map((f) => [f.rule.id, f.scope])).toEqual([['pg-shutdown', 'global']]);
  });

  it("links a client failure to the backend that ended at that moment and ignores the other backends' lines", () => {
    const store = new FactStore();
    const iit = rule('pg-idle-in-transaction-timeout');
    const net = rule('pg-client-network-failure');
    const server = (text: string, pid: number, dt: number) => ev(text, { ts: T0 + dt, origin: 'server', format: 'pg-stderr' }, { pid });
    store.add(server('FATAL:  terminating connection due to idle-in-transaction timeout', 31, -40), [iit]);
    store.add(server('LOG:  could not receive data from client: Connection reset by peer', 99, -30_000), [net]);
    const facts = store.gather(ev('psycopg.OperationalError: consuming input failed', { ts: T0 }), { skewMs: 5_000 });
    expect(facts.map((f) => [f.rule.id, f.scope])).toEqual([['pg-idle-in-transaction-timeout', 'session']]);
  });

  it("keeps each case's witnesses apart: another case feeding the same rule does not push them out", () => {
    const store = new FactStore(undefined, (source) => source.split('/')[0]!);
    const crash = rule('pg-crash-reset', 30 * 60_000);
    const reset = (source: string, dt: number) =>
      ev('LOG:  terminating any other active server processes', { source, ts: T0 + dt, origin: 'server', format: 'pg-stderr' }, { pid: 1, serverEvent: 'crash' });
    for (let i = 0; i < 10; i++) store.add(reset('b/server.log', 1000 + i), [crash]);
    store.add(reset('a/server.log', 0), [crash]);
    for (let i = 0; i < 10; i++) store.add(reset('b/server.log', 2000 + i), [crash]);
    const failure = ev('Connection terminated unexpectedly', { source: 'a/client.log', ts: T0 + 500 });
    const facts = store.gather(failure, { skewMs: 5_000, sameCase: (source) => source.startsWith('a/') });
    expect(facts.map((f) => [f.rule.id, f.count, f.witnesses.map((w) => w.source)])).toEqual([['pg-crash-reset', 1, ['a/server.log']]]);
  });

  it('memory is bounded by buckets, not by lines: many sessions evict the least recently fed (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(5000), { minLength: 1, maxLength: 400 }), (threads) => {
        const store = new FactStore(64);
        for (const t of threads) store.add(ev('GET http://x', { ts: T0 }, { thread: `t${t}` }), [rule('r')]);
        const distinct = new Set(threads).size;
        expect(store.size).toBe(Math.min(64, distinct));
        expect(store.evicted).toBe(Math.max(0, distinct - 64) + countReEvictions(threads, 64));
        // the session fed last is never the one evicted
        const last = threads[threads.length - 1];
        const facts = store.gather(ev('boom', { ts: T0 + 1 }, { thread: `t${last}` }), { skewMs: 5_000 });
        expect(facts.map((f) => f.scope)).toEqual(['session']);
      }),
      { seed: 3, numRuns: 50 },
    );
  });
});

/** Reference LRU: how many evictions beyond the first fill happen when evicted keys come back. */
function countReEvictions(keys: number[], cap: number): number {
  const lru = new Map<number, true>();
  let evicted = 0;
  for (const k of keys) {
    if (lru.has(k)) lru.delete(k);
    else if (lru.size >= cap) {
      lru.delete(lru.keys().next().value as number);
      evicted++;
    }
    lru.set(k, true);
  }
  return evicted - Math.max(0, new Set(keys).size - cap);
}
