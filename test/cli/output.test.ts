/**
 * Output failures are honest: EPIPE ends quietly, any other write error prints one line and
 * exits 2, and `--output-file` is complete or untouched (never a partial report in its place).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../hostile/helpers.js';
import { ROOT, runCli } from './run-cli.js';

const BIN = path.join(ROOT, 'bin/pgtriage.js');
const CLEAN = '2024-05-01 02:00:00,000 INFO etl.load: batch 1 loaded\n';

/** A log of `n` incidents ten minutes apart: its report is larger than a pipe buffer or 8 KiB. */
function busyLog(dir: string, n: number): string {
  const t0 = Date.UTC(2024, 4, 1);
  let text = '';
  for (let i = 0; i < n; i++) {
    const t = new Date(t0 + i * 600_000).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
    text += `${t} ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly\n`;
  }
  const file = path.join(dir, 'busy.log');
  writeFileSync(file, text);
  return file;
}

function sh(script: string, cwd: string) {
  return spawnSync('sh', ['-c', script], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', BIN }, timeout: 120_000 });
}

describe('stdout failures', () => {
  it.skipIf(!existsSync('/dev/full'))('pgtriage clean.log > /dev/full prints one line and exits 2', () => {
    const dir = tempDir('full');
    writeFileSync(path.join(dir, 'clean.log'), CLEAN);
    for (const format of ['text', 'json', 'ndjson', 'markdown']) {
      const r = sh(`"${process.execPath}" "$BIN" -f ${format} clean.log > /dev/full`, dir);
      expect(r.status, format).toBe(2);
      expect(r.stderr.trim().split('\n'), format).toEqual(['pgtriage: cannot write to stdout: no space left on device (ENOSPC)']);
    }
  });

  it('a closed pipe ends quietly with the analysis exit code', () => {
    const log = busyLog(tempDir('pipe'), 500);
    const r = sh(`"${process.execPath}" "$BIN" -f json "${log}" | head -c 10 > /dev/null`, ROOT);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('--output-file', () => {
  it('writes the same report as stdout, for every format, and leaves no temporary file', () => {
    const dir = tempDir('outfile');
    for (const format of ['text', 'json', 'ndjson', 'markdown']) {
      const file = path.join(dir, `report.${format}`);
      const toStdout = runCli(['-f', format, 'samples/seed-example.log']);
      const toFile = runCli(['-f', format, '-o', file, 'samples/seed-example.log']);
      expect(toFile.code).toBe(toStdout.code);
      expect(toFile.stdout).toBe('');
      expect(readFileSync(file, 'utf8')).toBe(toStdout.stdout);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a write failure mid-way leaves the previous file whole: one line, exit 2, no temporary file', () => {
    const dir = tempDir('outfail');
    writeFileSync(path.join(dir, 'out.json'), 'previous\n');
    // RLIMIT_FSIZE makes the write fail with EFBIG after 8 KiB (the signal it raises is ignored).
    const log = busyLog(tempDir('outfail-in'), 200);
    const r = sh(`trap "" XFSZ; ulimit -f 16; exec "${process.execPath}" "$BIN" -f json -o out.json "${log}"`, dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['pgtriage: cannot write out.json: file too large (EFBIG)']);
    expect(readFileSync(path.join(dir, 'out.json'), 'utf8')).toBe('previous\n');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('an unwritable place fails before the analysis with one line and exit 2', () => {
    const r = runCli(['-o', '/nonexistent-dir/x.json', 'samples/seed-example.log']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('pgtriage: cannot write /nonexistent-dir/x.json: no such directory (ENOENT)');
  });
});
