/**
 * The limit that fired, read through the one PgBouncer reason table: each of PgBouncer's own
 * wordings (as logged by the pooler, or relayed to a client) names its setting.
 */
import { describe, expect, it } from 'vitest';
import { remedyNumbers } from '../../src/remedy/numbers.js';

const limitOf = (text: string) => {
  const n = remedyNumbers({ observedSqlstates: [], texts: [text], config: () => undefined });
  return n.limit_component === 'PgBouncer' ? n.limit_setting : undefined;
};

describe('the PgBouncer limit a stated reason names', () => {
  it.each([
    ['2026-05-01 10:15:02.124 UTC [812] LOG C-0x1: app/app@10.0.1.5:40022 closing because: client_idle_timeout (age=901s)', 'client_idle_timeout'],
    ['LOG S-0x2: appdb/app@10.0.1.5:5432 closing because: idle transaction timeout (age=61s)', 'idle_transaction_timeout'],
    ['LOG S-0x3: appdb/app@10.0.1.5:5432 closing because: server lifetime over (age=3600s)', 'server_lifetime'],
    ['LOG S-0x4: appdb/app@10.0.1.5:5432 closing because: server idle timeout (age=600s)', 'server_idle_timeout'],
    ['WARNING C-0x5: app/app@10.0.1.5:40022 pooler error: query_wait_timeout', 'query_wait_timeout'],
    ['LOG C-0x6: app/app@10.0.1.5:40022 closing because: query_timeout (age=30s)', 'query_timeout'],
    ['psycopg2.OperationalError: FATAL:  client_idle_timeout', 'client_idle_timeout'],
    ['error: client_idle_timeout', 'client_idle_timeout'],
    ['ERROR:  idle transaction timeout', 'idle_transaction_timeout'],
  ])('%s', (line, setting) => {
    expect(limitOf(line)).toBe(setting);
  });

  it('a driver dumping its own option names no limit; an unknown reason names none', () => {
    expect(limitOf("Error: Connection terminated\n  query_timeout: 30000,\n  idle_in_transaction_session_timeout: undefined")).toBeUndefined();
    expect(limitOf('closing because: client close request (age=3s)')).toBeUndefined();
  });

  it('of several stated reasons the client-facing limit comes first, whatever the line order', () => {
    expect(limitOf('closing because: server idle timeout (age=600s)\nclosing because: client_idle_timeout (age=901s)')).toBe('client_idle_timeout');
  });
});
