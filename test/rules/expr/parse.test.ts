import { describe, expect, it } from 'vitest';
import { describe as describeExpr, referencedRules, referencedVariables } from '../../../src/rules/expr/index.js';
import { MAX_EXPRESSION_LENGTH, MAX_NESTING_DEPTH, parseExpression } from '../../../src/rules/expr/parse.js';
import { parse, parseError, shape } from './helpers.js';

describe('parsing the documented examples', () => {
  it('gap_before >= 240s', () => {
    expect(shape(parse('gap_before >= 240s'))).toEqual({
      kind: 'compare',
      op: '>=',
      left: { kind: 'path', path: ['gap_before'] },
      right: { kind: 'duration', ms: 240_000 },
    });
  });

  it('within 5s of rule:pg-admin-terminate', () => {
    const ast = parse('within 5s of rule:pg-admin-terminate');
    expect(shape(ast)).toEqual({ kind: 'near', rule: 'pg-admin-terminate', windowMs: 5000 });
    expect(ast.span).toEqual({ start: 0, end: 36 });
  });

  it('moves a trailing within into the count operand', () => {
    const expected = {
      kind: 'compare',
      op: '>=',
      left: { kind: 'count', target: { kind: 'incidents' }, windowMs: 2000 },
      right: { kind: 'number', value: 3 },
    };
    expect(shape(parse('count(sessions failed) >= 3 within 2s'))).toEqual(expected);
    expect(shape(parse('count(sessions failed within 2s) >= 3'))).toEqual(expected);
    expect(shape(parse('count(incidents) >= 3 within 2s'))).toEqual(expected);
    expect(shape(parse('count(failures) >= 3 within 2s'))).toEqual(expected);
    expect(shape(parse('3 <= count(failed sessions within 2000ms)'))).toEqual({ ...expected, op: '<=', left: expected.right, right: expected.left });
  });

  it('count(rule:ID) >= 2 within 1m', () => {
    expect(shape(parse('count(rule:pg-admin-terminate) >= 2 within 1m'))).toEqual({
      kind: 'compare',
      op: '>=',
      left: { kind: 'count', target: { kind: 'rule', rule: 'pg-admin-terminate' }, windowMs: 60_000 },
      right: { kind: 'number', value: 2 },
    });
  });

  it('config.pool_recycle > server.idle_timeout', () => {
    expect(shape(parse('config.pool_recycle > server.idle_timeout'))).toEqual({
      kind: 'compare',
      op: '>',
      left: { kind: 'path', path: ['config', 'pool_recycle'] },
      right: { kind: 'path', path: ['server', 'idle_timeout'] },
    });
  });

  it('precedence: not > and > or, parentheses group', () => {
    expect(shape(parse("not tx_open and pool.mode == 'transaction' or gap_before > 1s"))).toEqual({
      kind: 'or',
      items: [
        {
          kind: 'and',
          items: [
            { kind: 'not', item: { kind: 'truthy', operand: { kind: 'path', path: ['tx_open'] } } },
            { kind: 'compare', op: '==', left: { kind: 'path', path: ['pool', 'mode'] }, right: { kind: 'string', value: 'transaction' } },
          ],
        },
        { kind: 'compare', op: '>', left: { kind: 'path', path: ['gap_before'] }, right: { kind: 'duration', ms: 1000 } },
      ],
    });
    expect(shape(parse('tx_open and (gap_before > 1s or not within 1s of rule:x)'))).toEqual({
      kind: 'and',
      items: [
        { kind: 'truthy', operand: { kind: 'path', path: ['tx_open'] } },
        {
          kind: 'or',
          items: [
            { kind: 'compare', op: '>', left: { kind: 'path', path: ['gap_before'] }, right: { kind: 'duration', ms: 1000 } },
            { kind: 'not', item: { kind: 'near', rule: 'x', windowMs: 1000 } },
          ],
        },
      ],
    });
  });

  it('not applies to the whole comparison', () => {
    expect(shape(parse('not gap_before >= 240s'))).toMatchObject({ kind: 'not', item: { kind: 'compare', op: '>=' } });
  });

  it('reads every comparison operator and literal kind', () => {
    for (const op of ['>=', '>', '<=', '<', '==', '!=']) expect(parse(`gap_before ${op} 1s`)).toMatchObject({ kind: 'compare', op });
    expect(shape(parse('tx_open == true'))).toMatchObject({ right: { kind: 'boolean', value: true } });
    expect(shape(parse('tx_open != false'))).toMatchObject({ right: { kind: 'boolean', value: false } });
    expect(shape(parse('pool.mode == "transaction"'))).toMatchObject({ right: { kind: 'string', value: 'transaction' } });
    expect(shape(parse("config.note == \"it's\""))).toMatchObject({ right: { kind: 'string', value: "it's" } });
    expect(shape(parse('config.pool_size > 2.5'))).toMatchObject({ right: { kind: 'number', value: 2.5 } });
  });

  it('normalizes every duration unit to milliseconds', () => {
    const ms = (lit: string) => (parse(`gap_before > ${lit}`) as { right: { ms: number } }).right.ms;
    expect(ms('500ms')).toBe(500);
    expect(ms('30s')).toBe(30_000);
    expect(ms('30sec')).toBe(30_000);
    expect(ms('5m')).toBe(300_000);
    expect(ms('5min')).toBe(300_000);
    expect(ms('2h')).toBe(7_200_000);
    expect(ms('1d')).toBe(86_400_000);
    expect(ms('1.5s')).toBe(1500);
    expect(ms('0')).toBeUndefined(); // a bare 0 is a number, accepted as a bound for a duration
  });

  it('accepts keywords as later path segments and spreads over lines', () => {
    expect(shape(parse('config.count.and'))).toEqual({ kind: 'truthy', operand: { kind: 'path', path: ['config', 'count', 'and'] } });
    expect(shape(parse('tx_open\n  and gap_before > 1s'))).toMatchObject({ kind: 'and' });
  });

  it('records spans of the source text', () => {
    const ast = parse('tx_open and (gap_before > 1s)');
    expect(ast.kind === 'and' && ast.items.map((i) => i.span)).toEqual([
      { start: 0, end: 7 },
      { start: 12, end: 29 },
    ]);
  });
});

describe('describe() and referenced names', () => {
  it('prints canonical text that parses back to the same tree', () => {
    const cases: Array<[string, string]> = [
      ['gap_before >= 240s', 'gap_before >= 240s'],
      ['count(sessions failed) >= 3 within 2s', 'count(sessions failed within 2s) >= 3'],
      ['count(incidents) >= 3 within 2000ms', 'count(sessions failed within 2s) >= 3'],
      ['config.pool_recycle > server.idle_timeout', 'config.pool_recycle > server.idle_timeout'],
      ['not (gap_before > 600s)', 'not (gap_before > 10m)'],
      ['((tx_open))', 'tx_open'],
    ];
    for (const [input, canonical] of cases) {
      const text = describeExpr(parse(input));
      expect(text).toBe(canonical);
      expect(shape(parse(text))).toEqual(shape(parse(input)));
    }
    const nested = parse('(tx_open or gap_before > 1s) and not (pool.mode == "x" and tx_open) or within 90s of rule:a.b');
    expect(describeExpr(nested)).toBe("(tx_open or gap_before > 1s) and not (pool.mode == 'x' and tx_open) or within 90s of rule:a.b");
  });

  it('lists referenced rules and variables once, in order', () => {
    const ast = parse('within 5s of rule:b or count(rule:a within 1m) > 1 or count(rule:b) >= 2 within 1s or gap_before > 1s and config.x');
    expect(referencedRules(ast)).toEqual(['b', 'a']);
    expect(referencedVariables(ast)).toEqual(['gap_before', 'config.x']);
  });
});

describe('errors come back as data with a 1-based column', () => {
  it.each([
    ['gap_before >=', 14, 'expected a value after ">=", found the end of the expression at column 14'],
    ['within of rule:x', 8, 'expected a duration after "within", found "of" at column 8'],
    ['count(sessions failed >= 3', 23, 'expected ")" after "failed", found ">=" at column 23'],
    ['config.', 8, 'expected a name after ".", found the end of the expression at column 8'],
    ['gap_before => 5s', 12, 'unknown operator "=>" at column 12 (use >=, >, <=, <, == or !=)'],
    ["pool.mode == 'transaction", 14, "unterminated string at column 14 (no closing ' on the same line)"],
    ['pool.mode == "transaction', 14, 'unterminated string at column 14 (no closing " on the same line)'],
  ])('%s', (text, column, message) => {
    const error = parseError(text);
    expect(error.column).toBe(column);
    expect(error.offset).toBe(column - 1);
    expect(error.line).toBe(1);
    expect(error.message).toBe(message);
  });

  it.each([
    ['', 1, /empty/],
    ['   ', 1, /empty/],
    ['gap_before = 5s', 12, /unknown operator "=".*write ==/],
    ['tx_open && gap_before > 1s', 9, /unexpected character "&".*write "and"/],
    ['within 5 of rule:x', 8, /expected a duration.*needs a unit/],
    ['gap_before > 5x', 14, /unknown duration unit "x" in "5x"/],
    ['gap_before > 240', 14, /gap_before is a duration but 240 has no unit/],
    ['gap_befor > 1s', 1, /unknown variable "gap_befor".*did you mean gap_before\?/],
    ['foo', 1, /unknown variable "foo".*known:/],
    ['count(sessions) > 1 within 1s', 7, /cannot count "sessions"/],
    ['count(incidents) > 1', 1, /count\(\.\.\.\) needs a time window/],
    ['count(incidents within 1s) > 1 within 2s', 32, /has its own window already/],
    ['gap_before > 1s within 2s', 17, /applies to count/],
    ['count(incidents within 1s) > 3s', 28, /cannot compare count\(\.\.\.\) with a duration/],
    ["pool.mode < 'x'", 1, /only == and != compare strings/],
    ['tx_open > true', 1, /cannot be compared with ">"/],
    ['within 5s of rule:', 19, /expected a rule id after "rule:"/],
    ['within 5s of rule:Admin', 19, /rule id "Admin" must be lower-case/],
    ['within 5s of tx_open', 14, /expected a rule reference/],
    ['tx_open tx_open', 9, /unexpected "tx_open": expected "and", "or" or the end/],
    ['(tx_open', 9, /expected "\)"/],
    ['tx_open)', 8, /unexpected "\)"/],
    ['>= 3', 1, /expected a condition, found ">="/],
    ['tx_open and', 12, /expected a condition after "and", found the end/],
    ['not', 4, /expected a condition after "not"/],
    ['count(', 7, /expected what to count/],
  ])('%s', (text, column, message) => {
    const error = parseError(text);
    expect(error.message).toMatch(message);
    expect(error.column).toBe(column);
    expect(error.message).toContain(`at column ${column}`);
  });

  it('counts lines and columns in a multi-line expression', () => {
    const error = parseError('tx_open and\n  gap_before >');
    expect(error).toMatchObject({ line: 2, column: 15, offset: 26 });
    expect(error.message).toContain('at line 2, column 15');
  });

  it('limits the length', () => {
    const long = 'tx_open and '.repeat(200) + 'tx_open';
    expect(long.length).toBeGreaterThan(MAX_EXPRESSION_LENGTH);
    const error = parseError(long);
    expect(error.message).toMatch(/longer than 2000 characters/);
    expect(error.offset).toBe(MAX_EXPRESSION_LENGTH);
    const fits = 'tx_open and '.repeat(150) + 'tx_open';
    expect(parseExpression(fits).ok).toBe(true);
  });

  it('limits nesting of parentheses and not', () => {
    const ok = '('.repeat(MAX_NESTING_DEPTH) + 'tx_open' + ')'.repeat(MAX_NESTING_DEPTH);
    expect(parseExpression(ok).ok).toBe(true);
    const deep = '('.repeat(MAX_NESTING_DEPTH + 1) + 'tx_open' + ')'.repeat(MAX_NESTING_DEPTH + 1);
    const error = parseError(deep);
    expect(error.message).toMatch(/nested more than 32 levels/);
    expect(error.column).toBe(MAX_NESTING_DEPTH + 1);
    expect(parseError('not '.repeat(40) + 'tx_open').message).toMatch(/nested more than 32/);
    expect(parseError('(not '.repeat(20) + 'tx_open' + ')'.repeat(20)).message).toMatch(/nested more than 32/);
    // Sequential groups and nots do not add up.
    const wide = Array.from({ length: 40 }, () => '(not tx_open)').join(' and ');
    expect(parseExpression(wide).ok).toBe(true);
    // A thousand open parentheses is refused without recursing into them.
    expect(parseError('('.repeat(1000)).message).toMatch(/nested/);
  });

  it('can accept any variable name when asked', () => {
    expect(parseExpression('foo.bar > 3', { isKnownVariable: () => true }).ok).toBe(true);
    expect(parseExpression('gap_before', { isKnownVariable: () => false }).ok).toBe(false);
  });
});

describe('guards', () => {
  it('refuses numbers too large to be exact', () => {
    expect(parseError(`gap_before > ${'9'.repeat(400)}s`).message).toMatch(/too large at column 14/);
    expect(parseError(`config.x > ${'9'.repeat(400)}`).message).toMatch(/too large/);
  });

  it('parses every expression shown in docs/rules.md', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/rules.md', import.meta.url), 'utf8');
    const block = /### Examples\n\n```\n([\s\S]*?)```/.exec(doc)![1];
    const fromBlock = block.split('\n').filter(Boolean).map((l) => l.split(/\s{2,}/)[0]);
    const fromYaml = [...doc.matchAll(/^\s+when: (.+)$/gm)].map((m) => m[1]);
    expect(fromBlock.length).toBeGreaterThan(5);
    expect(fromYaml.length).toBeGreaterThan(1);
    for (const text of [...fromBlock, ...fromYaml]) parse(text);
  });
});
