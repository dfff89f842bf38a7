/**
 * Hostile inputs through the CLI: every class of damaged, odd or unreadable input is skipped or
 * cut with a counted, worded reason, the exit code follows the documented table, and the known
 * 08003 incident placed AFTER the bad part is still found. Inputs are generated here; nothing
 * binary is committed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, closeSync, copyFileSync, mkdirSync, openSync, readFileSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';
import { KNOWN, cliJson, cliSmallHeap, incidentLines, isRoot, runCli, tempDir } from './helpers.js';

const dir = tempDir('hostile-in');
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
};
const NOISE = '2024-05-01 01:59:59,000 INFO etl.load: loading batch 7\n';
const known = file('known.log', KNOWN + '\n');

describe('the known incident', () => {
  it('is one 08003 incident on line 1, exit 1', () => {
    const { code, report } = cliJson([known]);
    expect(code).toBe(1);
    expect(report.incidents.map((i) => [i.line, i.sqlstate])).toEqual([[1, '08003']]);
  });
});

describe('binary inputs', () => {
  const ls = path.join(dir, 'ls.bin');
  copyFileSync('/bin/ls', ls);
  // Deterministic pseudo-random bytes (xorshift), 256 KiB.
  let x = 0x9e3779b9;
  const random = file(
    'random.bin',
    Buffer.from(Array.from({ length: 256 * 1024 }, () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x & 0xff))),
  );

  it.each([
    ['a real executable', ls],
    ['random bytes', random],
  ])('skips %s with a warning, counts it, and the exit code follows the other inputs', (_name, bin) => {
    const { code, report, stderr } = cliJson([bin, known]);
    expect(code).toBe(1);
    expect(report.stats.sourcesBinary).toBe(1);
    expect(report.stats.sourcesFailed).toBe(0);
    expect(incidentLines(report, known)).toEqual([1]);
    expect(report.warnings).toContain(`${bin}: looks like a binary file; skipped`);
    expect(stderr).toContain('looks like a binary file; skipped');
    expect(report.sources.find((s) => s.source === bin)?.detection).toBe('binary content, skipped');
  });

  it('exits 2 when the only input is binary (nothing could be analysed); 0 with a clean log beside it', () => {
    expect(cliJson([ls]).code).toBe(2);
    expect(cliJson([ls, file('clean.log', NOISE)]).code).toBe(0);
  });

  it('exits 2 with --strict when an input was skipped as binary', () => {
    expect(cliJson(['--strict', ls, known]).code).toBe(2);
  });

  it('does not call a log binary for a few NUL bytes in it, and counts invalid UTF-8 lines', () => {
    const text = Buffer.concat([
      Buffer.from(NOISE),
      Buffer.from('2024-05-01 01:59:59,500 WARNING etl.load: odd bytes \x00 here \x00\n'),
      Buffer.from('2024-05-01 01:59:59,600 WARNING etl.load: latin-1 caf'),
      Buffer.from([0xe9, 0xff, 0xfe]),
      Buffer.from(' after\n' + KNOWN + '\n'),
    ]);
    const p = file('nul-and-latin1.log', text);
    const { code, report } = cliJson([p]);
    expect(code).toBe(1);
    expect(report.stats.sourcesBinary).toBe(0);
    expect(report.stats.invalidUtf8Lines).toBe(1);
    expect(incidentLines(report)).toEqual([4]);
  });

  it('reads a log behind a leading run of NULs (copytruncate rotation) and says so', () => {
    const p = file('holed.log', Buffer.concat([Buffer.alloc(20_000), Buffer.from(NOISE + KNOWN + '\n')]));
    const { code, report } = cliJson([p]);
    expect(code).toBe(1);
    expect(report.stats.sourcesBinary).toBe(0);
    expect(incidentLines(report)).toEqual([2]);
    expect(report.warnings).toContain(`${p}: skipped 20000 NUL byte(s) at the start (a log truncated while its writer kept its offset?)`);
  });

  it('reads a zero-filled block in the middle of a log (crash) as damaged text, not binary', () => {
    const p = file('zero-block.log', Buffer.concat([Buffer.from(NOISE), Buffer.alloc(4096), Buffer.from('\n' + KNOWN + '\n')]));
    const { code, report } = cliJson([p]);
    expect(code).toBe(1);
    expect(report.stats.sourcesBinary).toBe(0);
    expect(incidentLines(report)).toEqual([3]);
  });

  it('reads UTF-16 logs (PowerShell redirection), with and without a BOM', () => {
    const body = NOISE + KNOWN + '\r\n';
    const le = file('utf16le.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]));
    const be = file('utf16be.log', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(body, 'utf16le').swap16()]));
    const bare = file('utf16le-nobom.log', Buffer.from(body, 'utf16le'));
    const bareBe = file('utf16be-nobom.log', Buffer.from(body, 'utf16le').swap16());
    const { code, report } = cliJson([le, be, bare, bareBe]);
    expect(code).toBe(1);
    expect(report.stats.sourcesBinary).toBe(0);
    for (const p of [le, be, bare, bareBe]) expect(incidentLines(report, p)).toEqual([2]);
    expect(report.incidents[0]!.message).toBe('psycopg2.OperationalError: server closed the connection unexpectedly');
  });

  it('strips a UTF-8 byte-order mark', () => {
    const p = file('bom.log', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(KNOWN + '\n')]));
    const { report } = cliJson([p]);
    expect(report.incidents.map((i) => [i.line, i.format])).toEqual([[1, 'python-logging']]);
  });
});

describe('line endings', () => {
  it('normalizes CRLF', () => {
    const p = file('crlf.log', (NOISE + KNOWN + '\n').replace(/\n/g, '\r\n'));
    const { code, report } = cliJson([p]);
    expect(code).toBe(1);
    expect(incidentLines(report)).toEqual([2]);
    expect(report.incidents[0]!.evidence[0]!.text.endsWith('unexpectedly')).toBe(true);
  });

  it('keeps a lone CR inside its line (line numbers match grep -n) and still finds the incident after it', () => {
    const p = file('lone-cr.log', `progress 10%\rprogress 20%\rprogress 100%\n${NOISE}${KNOWN}\n`);
    const { code, report } = cliJson([p]);
    expect(code).toBe(1);
    expect(incidentLines(report)).toEqual([3]);
    expect(report.stats.lines).toBe(3);
  });
});

describe('a 100 MB single line', () => {
  it('is cut at the 1 MiB cap and counted, memory stays bounded, and the incident after it is found', () => {
    const p = path.join(dir, 'huge-line.log');
    const fd = openSync(p, 'w');
    const block = Buffer.alloc(1 << 20, 'x');
    writeSync(fd, NOISE);
    for (let i = 0; i < 100; i++) writeSync(fd, block);
    writeSync(fd, '\n' + KNOWN + '\n');
    closeSync(fd);
    // A 256 MB heap: holding the line (200 MB as a JS string) would abort the child.
    const r = cliSmallHeap(['--format', 'json', p]);
    expect(r.stderr).not.toMatch(/heap out of memory/i);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.stats.linesTruncated).toBe(1);
    expect(report.stats.bytes).toBe(100 * (1 << 20) + NOISE.length + KNOWN.length + 2);
    expect(incidentLines(report)).toEqual([3]);
    expect(report.warnings).toContain('1 over-long line(s) were cut at 1048576 characters');
  }, 120_000);
});

describe('malformed JSON records', () => {
  it('counts a cut ADF JSON document and finds the incident after it', () => {
    const adf = readFileSync('samples/formats/adf-activity-error.json', 'utf8');
    const p = file('adf-cut.json', adf.slice(0, Math.floor(adf.length / 2)) + '\n' + KNOWN + '\n');
    const { code, report } = cliJson([p]);
    expect(code).toBe(1);
    expect(report.stats.recordsMalformed).toBe(1);
    const lines = adf.slice(0, Math.floor(adf.length / 2)).split('\n').length;
    expect(incidentLines(report)).toContain(lines + 1);
  });

  it('counts cut dbt JSON log lines and finds the incident after them', () => {
    const dbt = readFileSync('samples/formats/dbt-json.log', 'utf8').split('\n').filter(Boolean);
    const cut = dbt.slice(0, 3).map((l) => l.slice(0, Math.floor(l.length * 0.6)));
    const p = file('dbt-cut.log', cut.join('\n') + '\n' + KNOWN + '\n');
    const { code, report } = cliJson([p]);
    expect(code).toBe(1);
    expect(report.stats.recordsMalformed).toBe(3);
    expect(incidentLines(report)).toEqual([4]);
  });

  it('counts a run_results.json cut mid-way (the last input) and a log after it still counts', () => {
    const rr = readFileSync('samples/formats/run_results.json', 'utf8');
    const p = file('run_results-cut.json', rr.slice(0, Math.floor(rr.length / 2)));
    const { code, report } = cliJson([p, known]);
    expect(code).toBe(1);
    expect(report.stats.recordsMalformed).toBe(1);
    expect(incidentLines(report, known)).toEqual([1]);
  });
});

describe('empty, missing, unreadable and special paths', () => {
  const empty = file('empty.log', '');

  it('an empty file: exit 0, warning "the input was empty"', () => {
    const { code, report, stderr } = cliJson([empty]);
    expect(code).toBe(0);
    expect(report.warnings).toEqual(['the input was empty']);
    expect(stderr).toContain('pgtriage: warning: the input was empty');
  });

  it('an empty file beside a log: no "empty" warning', () => {
    const { code, report } = cliJson([empty, known]);
    expect(code).toBe(1);
    expect(report.warnings).toEqual([]);
  });

  it('a path inside a directory that does not exist: exit 2 alone, counted beside a log', () => {
    const missing = path.join(dir, 'no-such-dir', 'app.log');
    const alone = runCli([missing]);
    expect(alone.code).toBe(2);
    expect(alone.stderr.trim()).toBe(`pgtriage: ${missing}: no such file or directory`);
    const { code, report } = cliJson([missing, known]);
    expect(code).toBe(1);
    expect(report.stats.sourcesFailed).toBe(1);
    expect(cliJson(['--strict', missing, known]).code).toBe(2);
  });

  it.skipIf(isRoot)('a file without read permission (chmod 000): counted, the others analysed', () => {
    const locked = file('locked.log', KNOWN + '\n');
    chmodSync(locked, 0o000);
    const { code, report } = cliJson([locked, file('clean2.log', NOISE)]);
    expect(code).toBe(0);
    expect(report.stats.sourcesFailed).toBe(1);
    expect(report.warnings).toContain(`${locked}: cannot read: permission denied`);
    expect(runCli([locked]).code).toBe(2);
  });

  it('a directory where the library expects a file: counted as failed, no throw', async () => {
    const report = await triage([{ path: dir }, KNOWN + '\n']);
    expect(report.stats.sourcesFailed).toBe(1);
    expect(report.warnings).toContain(`${dir}: cannot read: is a directory`);
    expect(report.incidents).toHaveLength(1);
  });

  it('a symlink loop inside a directory: no hang, no crash, the log beside it is read', () => {
    const d = path.join(dir, 'loopdir');
    mkdirSync(d);
    writeFileSync(path.join(d, 'app.log'), KNOWN + '\n');
    symlinkSync('.', path.join(d, 'loop'));
    symlinkSync('self', path.join(d, 'self'));
    const viaDir = cliJson([d]);
    expect(viaDir.code).toBe(1);
    expect(viaDir.report.sources.map((s) => s.source)).toEqual([path.join(d, 'app.log')]);
    const viaGlob = cliJson([`${d}/**/*`]);
    expect(viaGlob.code).toBe(1);
    expect(viaGlob.report.sources.map((s) => s.source)).toEqual([`${d}/app.log`]);
    const direct = runCli([path.join(d, 'self')]);
    expect(direct.code).toBe(2);
    expect(direct.stderr).toContain('too many levels of symbolic links');
  });

  it('a FIFO given as a path is read like a file; a FIFO inside a directory is skipped', async () => {
    const fifo = path.join(dir, 'pipe.log');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo here
    }
    const child = spawn(process.execPath, ['bin/pgtriage.js', '--format', 'json', fifo], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    const w = openSync(fifo, 'w');
    writeSync(w, KNOWN + '\n');
    closeSync(w);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(JSON.parse(out).incidents).toHaveLength(1);
    const d = path.join(dir, 'fifodir');
    mkdirSync(d);
    execFileSync('mkfifo', [path.join(d, 'blocked.log')]);
    writeFileSync(path.join(d, 'app.log'), KNOWN + '\n');
    const r = cliJson([d]);
    expect(r.code).toBe(1);
    expect(r.report.sources.map((s) => s.source)).toEqual([path.join(d, 'app.log')]);
  }, 30_000);

  it('a character device is refused with one line', () => {
    const r = runCli(['/dev/zero', known]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pgtriage: /dev/zero: not a regular file, directory or pipe');
  });
});

describe('files that change while read', () => {
  it('a file that grows while read: no crash', async () => {
    const p = file('growing.log', NOISE.repeat(20_000));
    const child = spawn(process.execPath, ['bin/pgtriage.js', '--format', 'json', p], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    for (let i = 0; i < 50; i++) appendFileSync(p, KNOWN + '\n' + NOISE.repeat(100));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect([0, 1]).toContain(code);
    expect(JSON.parse(out).stats.sourcesFailed).toBe(0);
  });

  it('a file truncated while read: no crash', async () => {
    const p = file('shrinking.log', NOISE.repeat(200_000) + KNOWN + '\n');
    const child = spawn(process.execPath, ['bin/pgtriage.js', '--format', 'json', p], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    truncateSync(p, 1000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect([0, 1]).toContain(code);
    expect(JSON.parse(out).stats.sourcesFailed).toBe(0);
  });
});

describe('gzip', () => {
  const body = (NOISE.repeat(30_000) + KNOWN + '\n' + NOISE.repeat(30_000)) as string;
  const gz = gzipSync(body);
  const knownLine = 30_001;

  it('reads a whole .gz', () => {
    const { code, report } = cliJson([file('whole.log.gz', gz)]);
    expect(code).toBe(1);
    expect(incidentLines(report)).toEqual([knownLine]);
  });

  it('a truncated .gz: the part before the cut is analysed, a clear warning, counted as failed', () => {
    const p = file('cut.log.gz', gz.subarray(0, Math.floor(gz.length * 0.75)));
    const { code, report } = cliJson([p]);
    // Analysed up to the damage, so the incident counts (exit 1); --strict makes it 2.
    expect(code).toBe(1);
    expect(incidentLines(report)).toEqual([knownLine]);
    expect(report.stats.sourcesFailed).toBe(1);
    expect(report.stats.lines).toBeGreaterThan(knownLine);
    expect(report.warnings).toContain(`${p}: gzip data is corrupt or truncated (unexpected end of file); the part before the damage was analysed`);
    expect(report.sources[0]!.detection).toMatch(/^partly read, until the error; /);
    expect(cliJson(['--strict', p]).code).toBe(2);
  });

  it('a .gz corrupt in the middle: the part before is analysed, a clear warning', () => {
    const bad = Buffer.from(gz);
    bad.fill(0xff, Math.floor(bad.length * 0.8), Math.floor(bad.length * 0.8) + 64);
    const p = file('corrupt.log.gz', bad);
    const { report, stderr } = cliJson([p, known]);
    expect(incidentLines(report, p)).toEqual([knownLine]);
    expect(report.stats.sourcesFailed).toBe(1);
    expect(stderr).toMatch(/corrupt\.log\.gz: gzip data is corrupt or truncated \(.+\); the part before the damage was analysed/);
  });

  it('a .gz holding only its magic: nothing read, exit 2', () => {
    const p = file('magic-only.gz', Buffer.from([0x1f, 0x8b]));
    const r = runCli([p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('gzip data is corrupt or truncated');
  });

  it('a .gz that is actually plain text is read as text', () => {
    const { code, report } = cliJson([file('plain.log.gz', KNOWN + '\n')]);
    expect(code).toBe(1);
    expect(report.stats.sourcesFailed).toBe(0);
  });

  it('gzip magic delivered one byte at a time on stdin is still recognized', async () => {
    const { Readable } = await import('node:stream');
    const small = gzipSync(KNOWN + '\n');
    const report = await triage({ name: 'drip', content: Readable.from([...small].map((b) => Buffer.from([b]))) });
    expect(report.incidents).toHaveLength(1);
    expect(report.stats.sourcesFailed).toBe(0);
  });
});
