/**
 * A socket reset under an HTTP client is a failed web call, not a lost database session: the
 * errno wording is the same, the library that reported it is not. Wordings are the libraries'
 * own (exception classes, logger names, frame paths); the records around them are invented.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';
import { peerOf } from '../../src/records/peer.js';
import type { LogEvent } from '../../src/events.js';

const at = '2025-05-04 10:00:01,123';
const frames = (paths: string[]) => ['Traceback (most recent call last):', ...paths.map((p, i) => `  File "/usr/lib/python3.11/site-packages/${p}", line ${100 + i}, in send`)];

const HTTP: Record<string, string[]> = {
  'urllib3 retry warning': [
    `${at} WARNING urllib3.connectionpool: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ProtocolError('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))': /v1/rates`,
  ],
  requests: [
    `${at} ERROR rates.sync: fetching rates failed`,
    ...frames(['requests/adapters.py']),
    "requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
  ],
  httpx: [`${at} ERROR rates.sync: fetching rates failed`, ...frames(['httpx/_transports/default.py']), 'httpx.ReadError: [Errno 104] Connection reset by peer'],
  aiohttp: [`${at} ERROR rates.sync: fetching rates failed`, ...frames(['aiohttp/client.py']), 'aiohttp.client_exceptions.ClientOSError: [Errno 104] Connection reset by peer'],
  botocore: [
    `${at} ERROR export.s3: upload failed`,
    ...frames(['botocore/httpsession.py']),
    'ConnectionResetError: [Errno 104] Connection reset by peer',
  ],
  'azure-core': [
    `${at} ERROR export.blob: upload failed`,
    ...frames(['azure/core/pipeline/transport/_requests_basic.py']),
    "azure.core.exceptions.ServiceResponseError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
  ],
  'axios (node)': ['[2025-05-04T10:00:01.123Z] ERROR: webhook failed AxiosError: read ECONNRESET', '    at Function.AxiosError.from (/srv/app/node_modules/axios/lib/core/AxiosError.js:89:14)'],
  'Go net/http': ['2025/05/04 10:00:01 ERROR webhook failed: Get "https://api.example.com/v1/rates": read tcp 10.0.0.5:41234->93.184.216.34:443: read: connection reset by peer'],
};

const DATABASE: Record<string, string[]> = {
  'Go to port 5432': ['2025/05/04 10:00:01 ERROR query failed: read tcp 10.0.0.5:41234->10.0.0.9:5432: read: connection reset by peer'],
  'node without a library named': ['[2025-05-04T10:00:01.123Z] ERROR: nightly job failed Error: read ECONNRESET', '    at TCP.onStreamRead (node:internal/stream_base_commons:217:20)'],
  'psycopg2 beside an HTTP frame': [
    `${at} ERROR rates.sync: storing rates failed`,
    ...frames(['requests/adapters.py', 'psycopg2/extras.py']),
    'psycopg2.OperationalError: could not receive data from server: Connection reset by peer',
  ],
};

const run = (lines: string[]) => triage([{ name: 'app.log', content: lines.join('\n') }]);

describe('socket resets by peer library', () => {
  for (const [name, lines] of Object.entries(HTTP)) {
    it(`an HTTP client's reset makes no incident: ${name}`, async () => {
      expect((await run(lines)).incidents).toEqual([]);
    });
  }
  for (const [name, lines] of Object.entries(DATABASE)) {
    it(`a database reset is still an incident: ${name}`, async () => {
      const report = await run(lines);
      expect(report.incidents.map((i) => i.sqlstate)).toEqual(['08003']);
    });
  }

  it('names the peer from module roots, not from the word in a sentence', () => {
    const ev = (text: string, logger?: string) => ({ text, fields: logger ? { logger } : {} }) as LogEvent;
    expect(peerOf(ev('too many requests. Connection reset by peer'))).toBeUndefined();
    expect(peerOf(ev('Connection reset by peer', 'urllib3.connectionpool'))).toBe('http');
    expect(peerOf(ev('PG::ConnectionBad: PQconsumeInput() could not receive data from server: Connection reset by peer'))).toBe('database');
    expect(peerOf(ev('myrequests.exceptions failed'))).toBeUndefined();
  });
});
