/**
 * Output safety end to end, through the CLI: terminal escapes and credentials inside the failure
 * records never reach the output raw, in any --format; --no-redact keeps the secrets but still
 * no raw ESC in text/markdown (json/ndjson escape it as \u001b by construction).
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report-types.js';
import { KNOWN, runCli, tempDir } from './helpers.js';

const dir = tempDir('hostile-out');
const SECRET = 'S3cretPw';
const SAS = 'AbC123%2Bxyz%3D';
const ACCOUNT_KEY = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc';
const ESCAPES = '\x1b[2J\x1b[31m \x1b]8;;http://x\x07click\x1b]8;;\x07 \x9b31m \u202e';

const log = [
  `${KNOWN} ${ESCAPES} url=postgresql://etl:${SECRET}@db:5432/wh password=${SECRET}`,
  'Traceback (most recent call last):',
  '  File "/app/load.py", line 12, in run',
  `    conn = connect("Driver={PostgreSQL Unicode};Server=db;Uid=etl;Pwd=${SECRET};")`,
  `psycopg2.OperationalError: server closed the connection unexpectedly ${ESCAPES} Authorization: Bearer ${JWT}`,
  `Activity failed: CopyData | ErrorCode: UserErrorOdbcOperationFailed | Message: ODBC Source, Error [08003] connection does not exist ${ESCAPES} https://acct.blob.core.windows.net/c/f.csv?sv=2022-11-02&sig=${SAS}&se=2024 DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${ACCOUNT_KEY};EndpointSuffix=core.windows.net Pwd=${SECRET}; | Pipeline: pl_ingest | Duration: 00:02:14`,
  '',
].join('\n');
const file = path.join(dir, 'hostile-output.log');
writeFileSync(file, log);

const FORMATS = ['text', 'json', 'markdown', 'ndjson'] as const;
const SECRETS = [SECRET, SAS, ACCOUNT_KEY, JWT];

describe('the hostile log', () => {
  it('yields the incidents whose records carry the escapes and secrets', () => {
    const r = runCli(['--format', 'json', '--no-redact', file]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.incidents.map((i) => i.line)).toEqual([1, 6]); // the traceback joins the first (one cascade)
    const quoted = JSON.stringify(report.incidents.map((i) => i.evidence));
    for (const s of SECRETS) expect(quoted).toContain(s);
  });
});

describe.each(FORMATS)('--format %s', (format) => {
  const redacted = runCli(['--format', format, '--explain', file]);
  const plain = runCli(['--format', format, '--explain', '--no-redact', file]);

  it('exits 1 and says nothing on stderr', () => {
    expect(redacted.code).toBe(1);
    expect(plain.code).toBe(1);
    expect(redacted.stderr).toBe('');
  });

  it('emits no raw ESC, C1 CSI or bidi override', () => {
    for (const out of [redacted.stdout, plain.stdout]) {
      expect(out).not.toContain('\x1b');
      expect(out).not.toContain('\x9b');
      expect(out).not.toContain('\u202e');
      expect(out).not.toContain('\x07');
    }
  });

  it('masks every credential by default', () => {
    for (const s of SECRETS) expect(redacted.stdout).not.toContain(s);
  });

  it('keeps the credentials with --no-redact', () => {
    expect(plain.stdout).toContain(SECRET);
    expect(plain.stdout).toContain(SAS);
  });

  it.runIf(format === 'text')('stays clean with colour forced (only SGR codes of its own)', () => {
    const colour = runCli(['--format', format, '--color', '--no-redact', file]);
    const stripped = colour.stdout.replace(/\x1b\[\d+(?:;\d+)*m/g, '');
    expect(stripped).not.toContain('\x1b');
    expect(stripped).not.toContain('\x9b');
    expect(stripped).not.toContain('\u202e');
  });
});
