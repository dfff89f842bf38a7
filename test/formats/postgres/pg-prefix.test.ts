import { describe, expect, it } from 'vitest';
import { COMMON_PREFIXES, compilePrefix, parsePrefix } from '../../../src/formats/postgres/pg-prefix.js';

describe('parsePrefix', () => {
  it('splits literals and escapes, with padding', () => {
    expect(parsePrefix('%m [%p] %q%u@%d ')).toEqual([
      { kind: 'escape', char: 'm', pad: 0 },
      { kind: 'literal', text: ' [' },
      { kind: 'escape', char: 'p', pad: 0 },
      { kind: 'literal', text: '] ' },
      { kind: 'escape', char: 'q', pad: 0 },
      { kind: 'escape', char: 'u', pad: 0 },
      { kind: 'literal', text: '@' },
      { kind: 'escape', char: 'd', pad: 0 },
      { kind: 'literal', text: ' ' },
    ]);
    expect(parsePrefix('%-10u|%5p')).toEqual([
      { kind: 'escape', char: 'u', pad: -10 },
      { kind: 'literal', text: '|' },
      { kind: 'escape', char: 'p', pad: 5 },
    ]);
  });

  it('reads %% as a literal percent and ignores a trailing lone %', () => {
    expect(parsePrefix('100%% %')).toEqual([{ kind: 'literal', text: '100% ' }]);
  });
});

describe('compilePrefix', () => {
  it('matches a Debian-prefix session line and a postmaster line (cut at %q)', () => {
    const c = compilePrefix('%m [%p] %q%u@%d ');
    const m = c.line.exec('2026-11-25 13:41:40.886 UTC [5838] app@appdb FATAL:  terminating connection due to idle-in-transaction timeout');
    expect(m?.groups).toMatchObject({
      ts: '2026-11-25 13:41:40.886 UTC', pid: '5838', user: 'app', database: 'appdb', severity: 'FATAL',
      message: 'terminating connection due to idle-in-transaction timeout',
    });
    const pm = c.line.exec('2026-11-25 13:41:59.550 UTC [5822] LOG:  received fast shutdown request');
    expect(pm?.groups?.pid).toBe('5822');
    expect(pm?.groups?.user).toBeUndefined();
    expect(pm?.groups?.message).toBe('received fast shutdown request');
  });

  it('handles padding: %-10u leaves trailing spaces, %6p leading spaces', () => {
    const c = compilePrefix('%-10u|%6p| ');
    const m = c.line.exec('app       |  4711| LOG:  connection received: host=[local]');
    expect(m?.groups).toMatchObject({ user: 'app', pid: '4711', severity: 'LOG' });
  });

  it('reads %e and the verbose-mode SQLSTATE', () => {
    const c = compilePrefix('%m [%p] %e ');
    const m = c.line.exec('2026-01-01 00:00:00.000 UTC [1] 57P01 FATAL:  57P01: terminating connection due to administrator command');
    expect(m?.groups).toMatchObject({ sqlstate: '57P01', vstate: '57P01', message: 'terminating connection due to administrator command' });
  });

  it('accepts a numeric zone and %n epoch', () => {
    expect(compilePrefix('%m [%p] ').line.exec('2026-01-01 02:00:00.000 +02 [9] LOG:  x')?.groups?.ts).toBe('2026-01-01 02:00:00.000 +02');
    expect(compilePrefix('%n [%p] ').line.exec('1795614155.380 [6342] LOG:  x')?.groups?.epoch).toBe('1795614155.380');
  });

  it('ignores unknown escapes like the server does', () => {
    const c = compilePrefix('%m %Z[%p] ');
    expect(c.line.exec('2026-01-01 00:00:00.000 UTC [7] LOG:  hello')?.groups?.pid).toBe('7');
  });

  it('compiles every common prefix', () => {
    for (const p of COMMON_PREFIXES) expect(compilePrefix(p).line).toBeInstanceOf(RegExp);
  });

  it('compiles regex-special literal text literally', () => {
    const c = compilePrefix('(%p)*+? ');
    expect(c.line.exec('(12)*+? LOG:  x')?.groups?.pid).toBe('12');
  });
});
