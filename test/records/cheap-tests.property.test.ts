/**
 * The hot path puts cheap tests before costly regexes (a glued record start, a socket failure's
 * wording). A cheap test may only ever skip work that would have found nothing: these compare
 * each gated function with its ungated form on lines built to sit on the edges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errnoClasses, isConnectPhase, socketFailure } from '../../src/formats/common/socket-errors.js';
import { cutByPattern, splitGlued } from '../../src/records/glued.js';

const piece = fc.constantFrom(
  '2024-05-01 12:00:00,123', '2024-05-01T12:00:00.123', '1999-12-31 23:59:59.000', '2024-05-01', '12:00:00', '-', '--',
  'Traceback (most recent call last):', 'sqlalchemy.exc.OperationalError: ', 'psycopg2.OperationalError: ', 'ERROR 1 of 3 in model x ',
  'Activity failed: ', 'Pipeline run failed: ', 'a', 'Z', ')', ']', '.', ';', '!', '?', ' ', ',', ':', '"', '(', '7', 'x-2024-05-01',
  'connection reset by peer', 'Connection Reset By Peer', 'ECONNRESET', 'xECONNRESET', 'Broken pipe', 'BROKEN PIPE', 'WinError 10054',
  '(10060)', 'unexpected EOF', 'read: EOF', 'EOF detected', 'timeout expired', 'dial tcp', 'could not connect to server',
  'connect ECONNREFUSED', 'SQLSTATE[08006] [7]', 'broKen pipe', 'İ', 'é', 'Connection timed out', 'No route to host',
);
const line = fc.array(piece, { maxLength: 10 }).map((p) => p.join(''));

describe('cheap tests before the hot path regexes', () => {
  it('splitGlued cuts exactly where its pattern does', () => {
    fc.assert(
      fc.property(line, (text) => {
        expect(splitGlued(text)).toEqual(text.length < 20 || text.startsWith('{') || text.startsWith('[') ? undefined : cutByPattern(text));
      }),
      { seed: 1302, numRuns: 2000 },
    );
  });

  it('socketFailure finds what the errno table and the connect wording find', () => {
    fc.assert(
      fc.property(line, (text) => {
        const errno = errnoClasses(text);
        expect(socketFailure(text)).toEqual({ errno, connect: errno.includes('ECONNREFUSED') || isConnectPhase(text) });
      }),
      { seed: 1303, numRuns: 2000 },
    );
  });
});
