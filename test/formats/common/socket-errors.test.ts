/**
 * One errno class, every platform's wording: the rules test the class, so a Windows, macOS, Go,
 * JVM or Python spelling of the same socket failure makes the same incident. Texts are the
 * systems' own messages; the records around them are invented.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../../src/index.js';
import { errnoClasses, socketFailure } from '../../../src/formats/common/socket-errors.js';

const CLASSES: Array<[string, string]> = [
  ['psycopg2.OperationalError: could not receive data from server: Connection reset by peer', 'ECONNRESET'],
  ['read tcp 10.0.0.5:41234->10.0.0.9:5432: read: connection reset by peer', 'ECONNRESET'],
  ['Error: read ECONNRESET', 'ECONNRESET'],
  ['ConnectionResetError: [WinError 10054] An existing connection was forcibly closed by the remote host', 'ECONNRESET'],
  ['System.Net.Sockets.SocketException (10054): An existing connection was forcibly closed by the remote host.', 'ECONNRESET'],
  ['Caused by: java.net.SocketException: Connection reset', 'ECONNRESET'],
  ['System.Net.Sockets.SocketException (10053): An established connection was aborted by the software in your host machine.', 'ECONNABORTED'],
  ['write tcp 10.0.0.5:41234->10.0.0.9:5432: write: broken pipe', 'EPIPE'],
  ['Error: write EPIPE', 'EPIPE'],
  ['could not receive data from server: Operation timed out', 'ETIMEDOUT'],
  ['Unable to read data from the transport connection: A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond.', 'ETIMEDOUT'],
  ['could not send data to server: No route to host', 'EHOSTUNREACH'],
  ['Error: connect ECONNREFUSED 10.0.0.9:5432', 'ECONNREFUSED'],
  ['No connection could be made because the target machine actively refused it. (10061)', 'ECONNREFUSED'],
  ['pq: unexpected EOF', 'EOF'],
];

describe('errno classes', () => {
  for (const [text, cls] of CLASSES) {
    it(`${cls}: ${text.slice(0, 60)}`, () => {
      expect(errnoClasses(text)).toEqual([cls]);
    });
  }

  it('does not read a class into a longer token or a port number', () => {
    expect(errnoClasses('SOCKET_EPIPE_COUNT=3')).toEqual([]);
    expect(errnoClasses('listening on 0.0.0.0:10054')).toEqual([]);
  });

  it('tells a connection being set up from one in use', () => {
    expect(socketFailure('dial tcp 10.0.0.9:5432: connect: connection timed out').connect).toBe(true);
    expect(socketFailure('could not connect to server: Connection timed out').connect).toBe(true);
    expect(socketFailure('Error: connect ECONNREFUSED 10.0.0.9:5432').connect).toBe(true);
    expect(socketFailure("PDOException: SQLSTATE[08006] [7] connection to server at \"db\" (10.0.0.9), port 5432 failed: FATAL:  sorry, too many clients already").connect).toBe(true);
    expect(socketFailure('read tcp 10.0.0.5:41234->10.0.0.9:5432: read: connection timed out').connect).toBe(false);
  });
});

const run = async (lines: string[]) => (await triage([{ name: 'app.log', content: lines.join('\n') }])).incidents;

describe('errno wording makes the incident on any platform', () => {
  it('the Windows timeout under Npgsql is a timed-out open connection', async () => {
    const incidents = await run([
      '2025-05-04 10:00:01.123 +00:00 [ERR] Ledger sync failed',
      'Npgsql.NpgsqlException (0x80004005): Exception while reading from stream ---> System.IO.IOException: Unable to read data from the transport connection: A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond.',
    ]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0].causes[0].id).toBe('tcp-keepalive-nat-drop');
  });

  it('Go: a broken pipe to port 5432 is an incident, the same to port 443 is not', async () => {
    expect(await run(['2025/05/04 10:00:01 query failed: write tcp 10.0.0.5:41234->10.0.0.9:5432: write: broken pipe'])).toHaveLength(1);
    expect(await run(['2025/05/04 10:00:01 webhook failed: write tcp 10.0.0.5:41234->93.184.216.34:443: write: broken pipe'])).toEqual([]);
  });

  it('a connect-time timeout is not a lost session', async () => {
    expect(await run(['2025/05/04 10:00:01 ping failed: dial tcp 10.0.0.9:5432: connect: connection timed out'])).toEqual([]);
  });
});

describe('one record is one observation', () => {
  it('libpq-socket-error and network-timed-out both read one "Connection timed out": it counts once per cause', async () => {
    const report = await triage([
      { name: 'a.log', content: '2025-03-02 04:17:39,120 ERROR app: sync failed\npsycopg2.OperationalError: could not receive data from server: Connection timed out\n' },
    ]);
    const [incident] = report.incidents;
    const facts = new Map(incident.facts.map((f) => [f.id, f]));
    // Both rules read the line...
    expect([...facts.keys()]).toEqual(expect.arrayContaining(['network-timed-out', 'libpq-socket-error']));
    // ...but only the stronger one's weight for the NAT drop is counted (score/rank.ts step 4).
    const natDrop = incident.facts.flatMap((f) => f.contributes.filter((c) => c.cause === 'tcp-keepalive-nat-drop'));
    expect(natDrop).toEqual([{ cause: 'tcp-keepalive-nat-drop', weight: 1 }]);
    expect(facts.get('libpq-socket-error')?.contributes).toEqual([]);
  });
});
