import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { regexLiteralGroups, regexLiterals } from '../../src/rules/literals.js';
import { compileRegex } from '../../src/rules/regex.js';

describe('regexLiterals', () => {
  it('finds the longest required plain run of each alternative', () => {
    expect(regexLiterals('prepared statement "[^"]*" (does not exist|already exists)')).toEqual(['prepared statement "']);
    expect(regexLiterals('marked as broken because of SQLSTATE\\((08|57P0)')).toEqual(['marked as broken because of sqlstate(']);
    expect(regexLiterals('(server process|client backend) \\(PID [0-9]+\\) was terminated by (signal|exception)')).toEqual([') was terminated by ']);
    expect(regexLiterals('Connection to \\S+ refused')).toEqual(['connection to ']);
    expect(regexLiterals('abc|defg')).toEqual(['abc', 'defg']);
  });

  it('does not take optional characters or groups as required', () => {
    expect(regexLiterals('colou?r')).toEqual(['colo']);
    expect(regexLiterals('ab(cdef)?gh')).toBeUndefined();
    expect(regexLiterals('x*')).toBeUndefined();
    expect(regexLiterals('(search_path|set local)[^\\n]{0,80}(expected|lost)')).toBeUndefined();
    expect(regexLiterals('abk{2}defg')).toEqual(['defg']);
    expect(regexLiterals('(ab)+cdef')).toEqual(['cdef']);
    expect(regexLiterals('(?i)Pool pre-ping on connection .* failed')).toEqual(['pool pre-ping on connection ']);
  });

  it('gives no literal it cannot be sure of', () => {
    expect(regexLiterals('a|b')).toBeUndefined();
    expect(regexLiterals('(unbalanced')).toBeUndefined();
  });

  it('every text a regex matches contains one of its literals (property)', () => {
    const atoms = fc.constantFrom('abc', 'xyz', 'a?', 'b*', '(cd|ef)', '[gh]', '\\.', '\\(', 'q+', '(ij)?', 'k{2}', ' ', 'mn');
    fc.assert(
      fc.property(fc.array(atoms, { minLength: 1, maxLength: 6 }), fc.string({ maxLength: 30 }), (parts, noise) => {
        const pattern = parts.join('');
        const lits = regexLiterals(pattern);
        if (!lits) return;
        const re = RE2JS.compile(pattern);
        // Build texts that the regex matches by sampling: noise + a greedy candidate.
        for (const text of [noise, noise + pattern.replace(/\\/g, ''), 'abcxyzcdefghijmnqq. (kk']) {
          if (re.matcher(text).find()) expect(lits.some((l) => text.toLowerCase().includes(l))).toBe(true);
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('regexLiteralGroups', () => {
  const texts = (groups: ReturnType<typeof regexLiteralGroups>) => groups?.map((g) => g.map((l) => l.text));
  it('keeps every mandatory run and expands small literal alternations', () => {
    expect(texts(regexLiteralGroups('Connection to \\S+ refused'))).toEqual([['connection to ', ' refused']]);
    expect(texts(regexLiteralGroups('(?i)\\b(GET|POST) https?://'))).toEqual([
      ['get http', '://'],
      ['post http', '://'],
    ]);
    expect(texts(regexLiteralGroups('relation "[^"]+" does not exist'))).toEqual([['" does not exist', 'relation "']]);
    expect(texts(regexLiteralGroups('abc|defg'))).toEqual([['abc'], ['defg']]);
  });

  it('gives nothing it cannot be sure of', () => {
    expect(regexLiteralGroups('ab(cdef)?gh')).toBeUndefined();
    expect(regexLiteralGroups('(?:x|y)z')).toBeUndefined();
    expect(regexLiteralGroups('(unbalanced')).toBeUndefined();
  });

  it('every text a regex matches holds all literals of one of its groups (property)', () => {
    // Atoms with a way to draw a text that matches them, so the generated texts do match.
    const atoms: Array<[string, (r: number) => string]> = [
      ['abc', () => 'abc'],
      ['a?', (r) => (r & 1 ? 'a' : '')],
      ['b*', (r) => 'b'.repeat(r % 3)],
      ['(cd|ef)', (r) => (r & 1 ? 'cd' : 'ef')],
      ['(GET|POST|PUT)', (r) => ['GET', 'POST', 'PUT'][r % 3]],
      ['[gh]', (r) => (r & 1 ? 'g' : 'h')],
      ['\\.', () => '.'],
      ['q+', (r) => 'q'.repeat(1 + (r % 3))],
      ['(ij)?', (r) => (r & 1 ? 'ij' : '')],
      [' ', () => ' '],
      ['mno', () => 'mno'],
      ['\\S+', (r) => 'xy'.slice(0, 1 + (r % 2))],
    ];
    fc.assert(
      fc.property(fc.array(fc.nat(atoms.length - 1), { minLength: 1, maxLength: 7 }), fc.array(fc.nat(7), { minLength: 7, maxLength: 7 }), fc.string({ maxLength: 12 }), (picks, draws, noise) => {
        const pattern = picks.map((i) => atoms[i][0]).join('');
        const groups = regexLiteralGroups(pattern);
        if (!groups) return;
        const text = noise + picks.map((i, k) => atoms[i][1](draws[k])).join('') + noise;
        expect(RE2JS.compile(pattern).matcher(text).find()).toBe(true);
        const lower = text.toLowerCase();
        expect(groups.some((g) => g.every((l) => lower.includes(l.text)))).toBe(true);
      }),
      { seed: 13, numRuns: 400 },
    );
  });
});

describe('escapes with operands', () => {
  it('do not lend their operand to a literal run', () => {
    // `\x41` is "A", `\p{Lu}` a class: neither "41yz" nor "{lu}" is text a match must hold.
    expect(regexLiterals('x\\x41yz')).toBeUndefined();
    expect(regexLiterals('ab\\x{41}cdef')).toEqual(['cdef']);
    expect(regexLiterals('\\p{Lu}abcd')).toEqual(['abcd']);
    expect(regexLiterals('\\pLxyz')).toEqual(['xyz']);
    expect(regexLiterals('\\Q.*\\Eabcd')).toEqual(['abcd']);
    expect(RE2JS.compile('x\\x41yz').matcher('xAyz').find()).toBe(true);
  });
});

describe('compiled rule regexes', () => {
  it('give the engine\'s answer whether or not the literal gate turns a text away (property)', () => {
    const patterns = ['(?i)\\b(GET|POST) https?://', 'Pool pre-ping on connection .* failed', '(exceeded|past) [0-9]+ ?m?s deadline', 'x\\x41yz', '(?i)ssl syscall'];
    const words = fc.constantFrom('GET ', 'post ', 'http://', 'https://', 'Pool pre-ping on connection ', ' failed', 'exceeded ', '12', 'ms deadline', 'xAyz', 'SSL SYSCALL', 'ſſl syscall', 'K', ' ');
    const compiled = patterns.map((p) => {
      const c = compileRegex(p);
      if ('error' in c) throw new Error(c.error);
      return { test: c.test, re: RE2JS.compile(p) };
    });
    fc.assert(
      fc.property(fc.array(words, { maxLength: 8 }), (parts) => {
        const text = parts.join('');
        for (const { test, re } of compiled) {
          expect(test(text)).toBe(re.matcher(text).find());
          expect(test(text, text.toLowerCase())).toBe(re.matcher(text).find());
        }
      }),
      { seed: 21, numRuns: 500 },
    );
  });
});
