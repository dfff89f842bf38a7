import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../../src/events.js';
import { genericFormat } from '../../src/formats/generic/generic.js';
import type { FormatParser } from '../../src/formats/types.js';
import { RecordAssembler } from '../../src/records/assembler.js';

/** A toy format: `BEGIN` opens a record, indented lines must continue it, `END` completes it. */
const blockFormat: FormatParser = {
  id: 'python-traceback',
  origin: 'client',
  describe: 'test blocks',
  start: (line) => (line.startsWith('BEGIN') ? {} : undefined),
  continues: (state, line) => {
    if (line.startsWith('  ')) return 'must';
    if (line === 'END') {
      state.complete = true;
      return 'must';
    }
    return 'may';
  },
  parse: () => [],
};

const stampFormat: FormatParser = {
  id: 'python-logging',
  origin: 'client',
  describe: 'test stamped lines',
  start: (line) => (/^\d{4}-/.test(line) ? {} : undefined),
  continues: () => 'no',
  parse: () => [],
};

function assemble(lines: string[], limits?: { maxRecordLines: number; maxRecordChars: number }) {
  const out: Array<{ format: string; record: RawRecord }> = [];
  const asm = new RecordAssembler('t.log', [blockFormat, stampFormat], genericFormat, (record, format) => out.push({ format: format.id, record }), limits);
  lines.forEach((l, i) => asm.pushLine(l, i + 1));
  asm.flush();
  return { out, asm };
}

describe('RecordAssembler', () => {
  it('keeps indented lines in the open record and starts a new one on a claimed line', () => {
    const { out } = assemble(['BEGIN', '  a', 'loose', '2024-01-01 x', 'orphan']);
    expect(out.map((o) => [o.format, o.record.line, o.record.endLine])).toEqual([
      ['python-traceback', 1, 3],
      ['python-logging', 4, 4],
      ['generic', 5, 5],
    ]);
    expect(out[0].record.lines).toEqual(['BEGIN', '  a', 'loose']);
  });

  it('a "may" line that another format claims starts a new record', () => {
    const { out } = assemble(['BEGIN', '2024-01-01 y']);
    expect(out.map((o) => o.format)).toEqual(['python-traceback', 'python-logging']);
  });

  it('a completed record is emitted at once and the next line is free', () => {
    const { out } = assemble(['BEGIN', 'END', 'after']);
    expect(out.map((o) => [o.format, o.record.lines.join('|')])).toEqual([
      ['python-traceback', 'BEGIN|END'],
      ['generic', 'after'],
    ]);
  });

  it('caps a record, marks it truncated and counts it, keeping its line span', () => {
    const { out, asm } = assemble(['BEGIN', '  1', '  2', '  3', '  4'], { maxRecordLines: 3, maxRecordChars: 1000 });
    expect(out[0].record.lines).toHaveLength(3);
    expect(out[0].record.truncated).toBe(true);
    expect(out[0].record.endLine).toBe(5);
    expect(asm.recordsTruncated).toBe(1);
  });
});
