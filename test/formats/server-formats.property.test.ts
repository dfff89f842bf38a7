import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../../src/events.js';
import { compilePrefix, parsePrefix } from '../../src/formats/postgres/pg-prefix.js';
import { serverFormats } from '../../src/formats/index.js';
import { normalizeDuration } from '../../src/formats/config/config-keys.js';
import { drive } from './drive-server.js';

const PARAMS = { seed: 20260501, numRuns: 200 };

/** Lines built from fragments of real server/pooler/config text, shuffled and cut. */
const fragment = fc.constantFrom(
  '2026-11-25 13:41:40.886 UTC', ' [5838] ', 'app@appdb ', 'FATAL:  ', 'LOG:  ', 'DETAIL:  ', 'STATEMENT:  ', '\t',
  'terminating connection due to administrator command', 'disconnection: session time: 0:00:01.007 user=app database=appdb host=127.0.0.1',
  '"', ',', '""', '{"timestamp":"2026-11-25 13:41:39.693 UTC","error_severity":"LOG","message":"x"}', '{', '}',
  ' LOG C-0x55abc3777930: appdb/app@127.0.0.1:38492 ', 'closing because: ', '(age=', 's)', 'pool_recycle=', 'create_engine(',
  ')', '(', 'idle_session_timeout', ' = ', "'10min'", ' | ', '----', '(1 row)', 'postgresql://u:p@h:5/db?keepalives_idle=', 'SHOW ',
  'Keepalive=', ';', '%', '\\', 'PID ', '(PID 12) was terminated by signal ', ':', '  ',
);
const line = fc.oneof(fc.string({ maxLength: 200 }), fc.array(fragment, { maxLength: 12 }).map((xs) => xs.join('')));

describe('server formats never throw', () => {
  it('start/continues/parse on arbitrary lines', () => {
    const formats = serverFormats({ pgPrefix: '%m [%p] %q%u@%d ' });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        for (const f of formats) {
          for (const l of lines) {
            const st = f.start(l);
            if (!st) continue;
            const rest = lines.slice(lines.indexOf(l) + 1);
            rest.forEach((r, i) => f.continues(st, r, i + 1));
            const rec: RawRecord = { source: 'p', line: 1, endLine: lines.length, lines: [l, ...rest], truncated: false };
            const out = f.parse(rec, st);
            expect(Array.isArray(out)).toBe(true);
          }
          // parse also copes with a state it did not produce
          expect(() => f.parse({ source: 'p', line: 1, endLine: 1, lines, truncated: true }, {})).not.toThrow();
        }
        expect(() => drive(formats, lines.join('\n'))).not.toThrow();
      }),
      PARAMS,
    );
  });

  it('prefix compiler accepts any prefix string and its regex never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.constantFrom('%', '-', '1', 'm', 'p', 'q', 'u', 'd', '[', ']', '(', '\\', ' ', 'a', '%%', '@'), { maxLength: 20 }).map((x) => x.join(''))), line, (prefix, l) => {
        const items = parsePrefix(prefix);
        expect(Array.isArray(items)).toBe(true);
        const c = compilePrefix(prefix);
        c.line.exec(l);
        const f = serverFormats({ pgPrefix: prefix })[3];
        const st = f.start(l);
        if (st) f.parse({ source: 'p', line: 1, endLine: 1, lines: [l], truncated: false }, st);
      }),
      PARAMS,
    );
  });

  it('normalizeDuration returns a finite number or undefined', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const v = normalizeDuration(s);
        expect(v === undefined || Number.isFinite(v)).toBe(true);
      }),
      PARAMS,
    );
  });
});
