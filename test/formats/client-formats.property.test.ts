import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../../src/events.js';
import { clientFormats } from '../../src/formats/index.js';
import { driveRecords } from './drive.js';

const formats = clientFormats({});

// Lines built from fragments of the formats, so the generators reach the interesting branches.
const fragment = fc.constantFrom(
  'Traceback (most recent call last):', '  File "x.py", line 1, in f', '\tThis probably means', '',
  'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) ', '[SQL: SELECT 1', ']', '[parameters: {}]',
  '(Background on this error at: https://sqlalche.me/e/14/e3q8)',
  'The above exception was the direct cause of the following exception:',
  "<class 'asyncpg.exceptions.ConnectionDoesNotExistError'>: ",
  '12:00:00  ', '12:00:00.123456 [error] [Thread-1  ]: ', '\x1b[0m', '[0m', '1 of 2 ERROR creating ', ' [ERROR in 1.00s]',
  '  Database Error in model a (models/a.sql)', 'Failure in model a (a.sql)', 'Done. PASS=1',
  '==============================', ' | ',
  '{', '}', '[', ']', '{"data": {', '{"info": ', '"msg": "', '\\"', '"', ',', ':',
  '{"metadata": {"dbt_schema_version": "run-results"', '"results": [', '"status": "error"',
  'Activity failed: ', ' | ErrorCode: ', 'Message: ', 'Error [08003] ', '57P01: ', 'Operation on target X failed: ',
  '2024-05-01 12:00:00,123 ', 'ERROR', 'INFO:', 'root:', '[2024-05-01, 12:00:00 UTC] {t.py:1} ', ' - ',
);
const line = fc.oneof(
  { weight: 3, arbitrary: fc.array(fragment, { maxLength: 6 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);
const lines = fc.array(line, { minLength: 1, maxLength: 25 });

describe('client formats: properties', () => {
  it('start/continues/parse never throw and events stay inside their record', () => {
    fc.assert(
      fc.property(lines, (ls) => {
        const recs = driveRecords(ls, { maxLines: 10 });
        let covered = 0;
        for (const r of recs) {
          covered += r.record.endLine - r.record.line + 1;
          expect(r.record.lines.length).toBe(r.record.endLine - r.record.line + 1);
          for (const ev of r.events) {
            expect(ev.line).toBeGreaterThanOrEqual(r.record.line);
            expect(ev.endLine).toBeLessThanOrEqual(r.record.endLine);
            expect(ev.endLine).toBeGreaterThanOrEqual(ev.line);
            expect(typeof ev.text).toBe('string');
          }
        }
        // every input line lands in exactly one record (lines past a cap are dropped, never moved)
        expect(covered).toBeLessThanOrEqual(ls.length);
      }),
      { seed: 20240501, numRuns: 200 },
    );
  });

  it('parse never throws on arbitrary records handed to any format', () => {
    fc.assert(
      fc.property(lines, fc.boolean(), (ls, truncated) => {
        const record: RawRecord = { source: 'p', line: 5, endLine: 5 + ls.length - 1, lines: ls, truncated };
        for (const f of formats) {
          const started = f.start(ls[0]);
          const state = started ?? {};
          if (started) for (let i = 1; i < ls.length; i++) f.continues(state, ls[i], i);
          const events = f.parse(record, state);
          for (const ev of events) {
            expect(ev.line).toBeGreaterThanOrEqual(record.line);
            expect(ev.endLine).toBeLessThanOrEqual(record.endLine);
          }
        }
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
