/**
 * One logged statement with a burst of control bytes near the top of a 130 KB log used to
 * make the whole file "binary": its incidents were lost and the run exited 2. The burst is now
 * read as text, quoted escaped, and its lines counted.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliJson, runCli, tempDir } from './helpers.js';

const RAW = /[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]/;

function burstLog(): { file: string; incidentsAt: number[] } {
  const lines: string[] = [];
  const at = (i: number) => new Date(Date.UTC(2024, 4, 1, 2) + i * 1000).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
  const incidentsAt: number[] = [];
  let i = 0;
  const push = (line: string) => lines.push(line);
  for (; i < 20; i++) push(`${at(i)} INFO etl.load: loading batch ${i}`);
  // A bytea value logged raw: 1000 bytes of C0 controls inside an otherwise ordinary record,
  // over 3 % of the 32 KiB sample (the share that alone would call a file binary).
  const blob = Buffer.from(Array.from({ length: 1000 }, (_, k) => 1 + (k % 8))).toString('latin1');
  push(`${at(i++)} ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly [SQL: INSERT INTO blobs VALUES ('${blob}')]`);
  incidentsAt.push(lines.length);
  while (lines.join('\n').length < 130_000) {
    push(`${at(i)} INFO etl.load: loading batch ${i} rows=${i * 37} table=public.orders status=ok`);
    i++;
  }
  push(`${at(i + 3600)} ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly`);
  incidentsAt.push(lines.length);
  const file = path.join(tempDir('burst'), 'burst.log');
  writeFileSync(file, lines.join('\n') + '\n', 'latin1');
  return { file, incidentsAt };
}

describe('a control-byte burst near the top of a 130 KB log', () => {
  const { file, incidentsAt } = burstLog();

  it('keeps its incidents, reads every byte and counts the burst', () => {
    const { code, report, stderr } = cliJson([file]);
    expect(code).toBe(1);
    expect(report.stats.sourcesBinary).toBe(0);
    expect(report.stats.bytes).toBeGreaterThan(130_000);
    expect(report.incidents.map((x) => x.line)).toEqual(incidentsAt);
    expect(report.stats.controlCharLines).toBe(1);
    expect(stderr).toMatch(/burst\.log: 1000 control byte\(s\) in [12] KiB of the first 32 KiB; read as text, quoted escaped/);
    expect(stderr).not.toMatch(RAW);
  });

  it('quotes the burst visibly in text and markdown, and only escaped in JSON', () => {
    for (const format of ['text', 'markdown']) {
      const r = runCli(['--format', format, '--explain', file]);
      expect(r.stdout, format).toContain('\\x01\\x02\\x03');
      expect(r.stdout, format).not.toMatch(RAW);
    }
    const json = runCli(['--format', 'json', file]).stdout;
    expect(json).not.toMatch(RAW);
    expect(json).toContain('\\u0001\\u0002');
  });
});
