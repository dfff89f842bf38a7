import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/events.js';
import { pgJsonFormat } from '../../../src/formats/postgres/pg-json.js';
import { drive } from '../drive-server.js';

const sample = (name: string) => readFileSync(new URL(`../../../samples/server/${name}`, import.meta.url), 'utf8');
const ext = (e: LogEvent) => e.fields as LogEvent['fields'] & { serverEventKind?: string; relatedPid?: number };

describe('pg-json on real PostgreSQL 15 jsonlog', () => {
  const events = drive([pgJsonFormat()], sample('pg15-jsonlog.json'));

  it('one event per line, all recognized', () => {
    expect(events).toHaveLength(86);
    expect(events.every((e) => e.format === 'pg-json' && e.origin === 'server')).toBe(true);
  });

  it('reads keys into fields', () => {
    const e = events.find((x) => x.fields.serverEvent === 'admin-terminate')!;
    expect(e.ts).toBe(Date.UTC(2026, 10, 25, 13, 41, 44, 955));
    expect(e.fields).toMatchObject({
      user: 'app', database: 'appdb', pid: 5853, clientAddr: '127.0.0.1', sessionId: '6b06e597.16dd',
      severity: 'FATAL', sqlstates: ['57P01'], application: 'psql', sql: 'SELECT pg_sleep(20)',
      message: 'terminating connection due to administrator command',
    });
  });

  it('classifies the same events as stderr', () => {
    const names = events.map((e) => e.fields.serverEvent).filter(Boolean);
    expect(names).toContain('idle-session-timeout');
    expect(names).toContain('reinitializing');
    const d = events.find((x) => x.fields.serverEvent === 'disconnection' && x.fields.pid === 5864)!;
    expect(d.fields.sessionMs).toBe(3010);
    const crash = events.find((x) => x.fields.serverEvent === 'crash')!;
    expect(ext(crash).relatedPid).toBe(5894);
  });

  it('keeps a broken line as an event without fields and never throws', () => {
    const f = pgJsonFormat();
    const st = f.start('{"timestamp":"2026-01-01 00:00:00 UTC","error_severity":"LOG","message":')!;
    const [e] = f.parse({ source: 's', line: 1, endLine: 1, lines: ['{"timestamp":"2026-01-01 00:00:00 UTC","error_severity":"LOG","message":'], truncated: true }, st);
    expect(e.fields).toEqual({});
    expect(f.start('{"level":"info","msg":"hello"}')).toBeUndefined();
  });
});
