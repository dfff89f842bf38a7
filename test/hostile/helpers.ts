import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/report-types.js';
import { ROOT, runCli } from '../cli/run-cli.js';

/** One line, one 08003-family incident (checked first in inputs.test.ts). */
export const KNOWN = '2024-05-01 02:00:00,000 ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `pgtriage-${prefix}-`));
}

export interface JsonRun {
  code: number | null;
  report: Report;
  stderr: string;
}

/** Runs the CLI with --format json and parses the report (throws with stderr if it is not JSON). */
export function cliJson(args: string[], input?: string | Buffer): JsonRun {
  const r = runCli(['--format', 'json', ...args], input);
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`no JSON report (exit ${r.code}); stderr:\n${r.stderr}\nstdout:\n${r.stdout.slice(0, 500)}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}

/** Runs the CLI in a child with a small heap: an unbounded line buffer would abort it. */
export function cliSmallHeap(args: string[], heapMb = 256): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, path.join(ROOT, 'bin/pgtriage.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 64 << 20,
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Lines (1-based) of the incidents found in `source`. */
export function incidentLines(report: Report, source?: string): number[] {
  return report.incidents.filter((i) => source === undefined || i.source === source).map((i) => i.line);
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export { runCli, ROOT };
