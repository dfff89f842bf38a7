/**
 * GitHub Actions annotations: parsed back by the workflow-command rules, one per problem at
 * its file and line, and no log line can start a command of its own.
 */
import { describe, expect, it, vi } from 'vitest';
import { escapeData, escapeProperty } from '../../src/report/github.js';
import { runCli } from './run-cli.js';

vi.setConfig({ testTimeout: 60_000 });

interface Problem {
  id: string;
  source: string;
  line: number;
  count: number;
}

/** Undo the workflow-command escapes (the inverse of the rules GitHub applies). */
function unescapeCommand(s: string): string {
  const codes: Record<string, string> = { '%0D': '\r', '%0A': '\n', '%3A': ':', '%2C': ',', '%25': '%' };
  return s.replace(/%(?:0D|0A|3A|2C|25)/g, (m) => codes[m]!);
}

function parseAnnotations(out: string): Array<{ level: string; props: Record<string, string>; message: string }> {
  const found = [];
  for (const line of out.split('\n')) {
    const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const kv of m[2]!.split(',')) {
      const at = kv.indexOf('=');
      props[kv.slice(0, at)] = unescapeCommand(kv.slice(at + 1));
    }
    found.push({ level: m[1]!, props, message: unescapeCommand(m[3]!) });
  }
  return found;
}

describe('--format github', () => {
  it('escapes data and properties by the workflow-command rules', () => {
    expect(escapeData('50%\r\nnext')).toBe('50%25%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('parses back to one annotation per problem, at its file and line', () => {
    for (const args of [['samples/lab/restart-sqlalchemy-psycopg2/'], ['samples/seed-example.log'], ['--per-directory', 'samples/lab/']]) {
      const out = runCli(['--format', 'github', ...args]).stdout;
      const problems = (JSON.parse(runCli(['--format', 'json', ...args]).stdout) as { problems: Problem[] }).problems;
      const notes = parseAnnotations(out);
      expect(notes).toHaveLength(problems.length);
      const key = (file: string, line: number | string) => `${file}:${line}`;
      expect(notes.map((n) => key(n.props.file!, n.props.line!)).sort()).toEqual(problems.map((p) => key(p.source, p.line)).sort());
      for (const n of notes) expect(n.props.title).toMatch(/^pgtriage P\d+: \d{2}[0-9A-Z]{3} /);
      // Nothing else in the output is a command: a log line cannot start one.
      expect(out.split('\n').filter((l) => l.startsWith('::')).length).toBe(notes.length);
    }
  });

  it('a log line cannot start a command of its own or break out of its annotation', () => {
    const log = '2024-05-01 02:00:05,000 ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly 100% ::error file=evil.yml,line=1::pwned\r::warning::x, a:b\n';
    const out = runCli(['--format', 'github', '-'], log).stdout;
    const notes = parseAnnotations(out);
    expect(notes).toHaveLength(1);
    expect(out.split('\n').filter((l) => l.startsWith('::'))).toHaveLength(1);
    expect(notes[0]!.props.file).toBe('<stdin>');
    // Decoded, the message carries the log text (its CR shown as \r, never raw).
    expect(notes[0]!.message).toContain('unexpectedly 100% ::error file=evil.yml,line=1::pwned\\r::warning::x, a:b');
    expect(out).toContain('100%25 ::error file=evil.yml');
  });

  it('the restart lab case is one annotation for its four incidents', () => {
    const [note] = parseAnnotations(runCli(['--format', 'github', 'samples/lab/restart-sqlalchemy-psycopg2/']).stdout);
    expect(note!.level).toBe('error');
    expect(note!.props.file).toBe('samples/lab/restart-sqlalchemy-psycopg2/client.log');
    expect(note!.props.line).toBe('12');
    expect(note!.message).toMatch(/^Most likely: .* \[stale-pool-after-restart\]\n/);
    expect(note!.message).toContain('4 incidents: I1 ');
  });
});
