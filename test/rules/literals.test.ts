import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { regexLiterals } from '../../src/rules/literals.js';

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
