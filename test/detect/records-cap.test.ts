/**
 * A user rule that matches (nearly) every line merges the whole log into one incident. Only
 * the first MAX_RECORDS_PER_INCIDENT records are kept; the rest are counted in the incident's
 * facts, in `stats.recordsCapped` and in one warning, so memory and the report stay bounded.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_RECORDS_PER_INCIDENT } from '../../src/detect/incidents.js';
import { cliJson, tempDir } from '../hostile/helpers.js';

const LINES = 5000;

function greedyCase(): { log: string; rules: string } {
  const dir = tempDir('greedy');
  const rules = path.join(dir, 'rules');
  mkdirSync(rules);
  writeFileSync(
    path.join(rules, 'greedy.yaml'),
    [
      'rules:',
      '  - id: every-etl-line',
      '    description: A user rule that matches every line of the job.',
      '    match: { contains: "etl.load" }',
      '    evidence:',
      '      - { cause: tcp-keepalive-nat-drop, for: weak }',
      '  - id: every-error-line',
      '    description: A user incident rule that matches every error line.',
      '    match: { contains: "ERROR" }',
      '    incident: { sqlstate: "08003", kind: connection-lost }',
      '',
    ].join('\n'),
  );
  const t0 = Date.UTC(2024, 4, 1);
  const lines: string[] = [];
  // 100 ms apart: each record merges into the one open incident.
  for (let i = 0; i < LINES; i++) {
    const t = new Date(t0 + i * 100).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
    lines.push(`${t} ERROR etl.load: row ${i} failed: psycopg2.OperationalError: server closed the connection unexpectedly`);
  }
  const log = path.join(dir, 'job.log');
  writeFileSync(log, lines.join('\n') + '\n');
  return { log, rules };
}

describe('a rule that matches every line', () => {
  it('keeps 256 records of the incident, counts the rest, and says so', () => {
    const { log, rules } = greedyCase();
    const { code, report } = cliJson(['--rules', rules, log]);
    expect(code).toBe(1);
    expect(report.incidents).toHaveLength(1);
    const incident = report.incidents[0];
    expect(report.stats.recordsCapped).toBe(LINES - MAX_RECORDS_PER_INCIDENT);
    expect(report.warningIds).toContain('warning.records-capped');
    expect(report.warnings.find((w) => w.includes('beyond the'))).toMatch(/every-error-line/);
    // Every matched record still counts once in its fact; the quoted lines stay few.
    const fact = incident.facts.find((f) => f.id === 'every-etl-line');
    expect(fact?.count).toBe(LINES);
    expect(fact!.witnesses.length).toBeLessThanOrEqual(3);
    expect(incident.evidence.length).toBeLessThanOrEqual(48);
    expect(incident.endLine).toBe(LINES);
  });
});
