import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePoolerReason } from '../../src/formats/pgbouncer/pgbouncer.js';
import { MAY_NAME_REASON, POOLER_REASONS, poolerReasonOf } from '../../src/evidence/pgbouncer-reasons.js';
import type { LogEvent } from '../../src/events.js';

// PgBouncer's own close and error wording (src/sbuf.c, src/server.c, src/client.c of PgBouncer 1.2x).
const WORDING = [
  'server idle timeout',
  'server lifetime over',
  'server conn crashed?',
  'idle transaction timeout',
  'transaction timeout',
  'query timeout',
  'query_timeout',
  'query_wait_timeout',
  'client_idle_timeout',
  'client_login_timeout',
  'client close request',
  'client unexpected eof',
  'client disconnect while server was not ready',
  'test query failed',
  'reset query failed',
  'server shutting down',
  'server login has been failing, try again later (server_login_retry)',
  'prepared statement did not exist',
  'prepared statement name is already in use',
  'no more connections allowed (max_client_conn)',
];

const ev = (text: string): LogEvent => ({ source: 'app.log', line: 1, endLine: 1, text, format: 'python-logging', origin: 'client', fields: {} });

describe('the cheap gate in front of relayed PgBouncer reasons', () => {
  it('lets through every wording and every slug that names a reason of the table', () => {
    let named = 0;
    for (const w of [...WORDING, ...Object.keys(POOLER_REASONS), ...Object.keys(POOLER_REASONS).map((k) => k.replace(/-/g, ' ').toUpperCase())]) {
      if (!POOLER_REASONS[normalizePoolerReason(w)]) continue;
      named++;
      expect(MAY_NAME_REASON.test(w), w).toBe(true);
      expect(poolerReasonOf(ev(`psycopg2.OperationalError: ${w}`))).toBe(normalizePoolerReason(w));
    }
    // every key is reached by its own slug and most by PgBouncer's wording
    expect(named).toBeGreaterThanOrEqual(2 * Object.keys(POOLER_REASONS).length);
  });

  it('rejects nothing that would normalize to a known reason (fixed seed)', () => {
    const parts = [...WORDING, ...Object.keys(POOLER_REASONS), 'FATAL:  ', 'psycopg2.OperationalError: ', ' ', '\n', 'checked out from pool', 'GET http://x'];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...parts), fc.string({ maxLength: 12 })), { maxLength: 5 }), (pieces) => {
        const text = pieces.join('');
        for (const line of text.split('\n')) {
          if (POOLER_REASONS[normalizePoolerReason(line)]) expect(MAY_NAME_REASON.test(text)).toBe(true);
        }
      }),
      { seed: 13, numRuns: 2000 },
    );
  });
});
