/**
 * Fuzz of the format readers and the redactor (see ./mutate.ts): mutated real log text goes
 * through every registered format's start/continues/parse directly (parseRecord would hide a
 * throw behind the generic fallback, so a throw here is a crash to fix), through the record
 * assembler with every format, and through redactText. Fixed seed and bounded runs in
 * `npm test`; `npm run fuzz` explores with a random seed and many more runs. Saved
 * counterexamples under test/fixtures/fuzz/ are replayed first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEvent, RawRecord } from '../../src/events.js';
import { createFormats, genericFormat } from '../../src/formats/index.js';
import type { FormatParser, RecordState } from '../../src/formats/types.js';
import { parseRecord, RecordAssembler } from '../../src/records/assembler.js';
import { redactText } from '../../src/report/redact.js';
import { fuzzParams, mutatedLog, regressionSamples } from './mutate.js';

/** Reads `text` with one format the way the assembler does, without the guard around parse. */
function readWith(format: FormatParser, text: string): LogEvent[] {
  const lines = text.split('\n');
  const events: LogEvent[] = [];
  let open: { state: RecordState; record: RawRecord } | undefined;
  const close = () => {
    if (!open) return;
    for (const e of format.parse(open.record, open.state)) {
      expect(e.source).toBe('fuzz.log');
      expect(e.line).toBeGreaterThanOrEqual(open.record.line);
      expect(e.line).toBeLessThanOrEqual(open.record.endLine);
      expect(typeof e.text).toBe('string');
      events.push(e);
    }
    open = undefined;
  };
  lines.forEach((line, i) => {
    if (open) {
      const verdict = format.continues(open.state, line, open.record.lines.length);
      if (verdict !== 'no' && !(verdict === 'may' && format.start(line))) {
        open.record.lines.push(line);
        open.record.endLine = i + 1;
        if (open.state.complete) close();
        return;
      }
      close();
    }
    const state = format.start(line);
    if (state) {
      open = { state, record: { source: 'fuzz.log', line: i + 1, endLine: i + 1, lines: [line], truncated: false } };
      if (state.complete) close();
    }
  });
  close();
  return events;
}

const FORMATS = createFormats();

function assemble(text: string): number {
  let events = 0;
  const assembler = new RecordAssembler('fuzz.log', FORMATS.map((f) => f.perSource?.() ?? f), genericFormat, (record, format, state) => {
    events += parseRecord(format, record, state).events.length;
  });
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) assembler.pushLine(lines[i], i + 1);
  assembler.flush();
  return events;
}

describe('fuzz: format readers', () => {
  for (const format of FORMATS) {
    it(`${format.id}: start/continues/parse never throw and keep line numbers inside the record`, () => {
      for (const { text } of regressionSamples('readers')) readWith(format.perSource?.() ?? format, text);
      fc.assert(
        fc.property(mutatedLog, (text) => {
          readWith(format.perSource?.() ?? format, text);
        }),
        fuzzParams,
      );
    });
  }

  it('the assembler with every format never throws', () => {
    for (const { text } of regressionSamples('readers')) assemble(text);
    fc.assert(
      fc.property(mutatedLog, (text) => {
        expect(assemble(text)).toBeGreaterThanOrEqual(0);
      }),
      fuzzParams,
    );
  });
});

describe('fuzz: redactor', () => {
  const check = (text: string) => {
    const once = redactText(text);
    expect(typeof once).toBe('string');
    // Idempotent: a report redacted twice (a redacted line quoted again) reads the same.
    expect(redactText(once)).toBe(once);
  };

  it('never throws and is idempotent on mutated logs', () => {
    for (const { text } of regressionSamples('redact')) check(text);
    fc.assert(fc.property(mutatedLog, check), fuzzParams);
  });

  it('a password planted in a mutated log is masked', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{8,16}$/).map((s) => `Zq${s}`);
    fc.assert(
      fc.property(mutatedLog, mutatedLog, secret, (before, after, pw) => {
        // The mutations stay outside the credential: a line of its own between two mutated blocks.
        const text = `${before}\nconnecting with password=${pw} to db\n${after}`;
        const out = redactText(text);
        expect(out).not.toContain(pw);
      }),
      fuzzParams,
    );
  });
});
