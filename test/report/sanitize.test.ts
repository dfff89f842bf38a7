import { describe, expect, it } from 'vitest';
import { escapeJsonUnsafe, hasUnsafe, sanitizeLine, sanitizeText } from '../../src/report/sanitize.js';

describe('sanitizeText', () => {
  it('renders escape sequences and controls visibly', () => {
    expect(sanitizeText('\x1b[2Jcleared')).toBe('\\x1b[2Jcleared');
    expect(sanitizeText('a\x9b31mb')).toBe('a\\x9b31mb');
    expect(sanitizeText('evil\u202etxt.exe')).toBe('evil\\u202etxt.exe');
    expect(sanitizeText('progress 10%\rprogress 100%')).toBe('progress 10%\\rprogress 100%');
    expect(sanitizeText('ding\x07')).toBe('ding\\x07');
    expect(sanitizeText('back\bspace\x7f')).toBe('back\\x08space\\x7f');
    expect(sanitizeText('\u2066isolate\u2069 \u200f')).toBe('\\u2066isolate\\u2069 \\u200f');
    expect(sanitizeText('OSC \x1b]0;title\x07')).toBe('OSC \\x1b]0;title\\x07');
  });

  it('removes harmless colour sequences (dbt starts every line with ESC[0m) and keeps the rest visible', () => {
    expect(sanitizeText('\x1b[0m12:00:01  Running with dbt=1.10')).toBe('12:00:01  Running with dbt=1.10');
    expect(sanitizeText('\x1b[31mERROR\x1b[0m \x1b[1;33mwarn\x1b[39m')).toBe('ERROR warn');
    expect(sanitizeLine('\x1b[0mx\x1b[2Ky')).toBe('x\\x1b[2Ky');
    expect(sanitizeText('\x1b]8;;javascript:alert(1)\x07link')).toBe('\\x1b]8;;javascript:alert(1)\\x07link');
  });

  it('keeps newline and tab where they are structural, escapes them on one line', () => {
    expect(sanitizeText('a\n\tb')).toBe('a\n\tb');
    expect(sanitizeLine('a\n\tb\r')).toBe('a\\n\\tb\\r');
    expect(sanitizeText('a\nb', { multiline: false })).toBe('a\\nb');
  });

  it('leaves ordinary text (including non-ASCII) alone', () => {
    const s = 'FATAL:  la connexion n’existe pas — 接続が存在しません \u00e9 \ufffd';
    expect(sanitizeText(s)).toBe(s);
    expect(hasUnsafe(s)).toBe(false);
    expect(hasUnsafe('x\x1b')).toBe(true);
  });
});

describe('escapeJsonUnsafe', () => {
  it('escapes what JSON.stringify leaves raw and round-trips exactly', () => {
    const value = { t: 'a\x9bb\u202ec\u2028d\x7f\x1b' };
    const json = escapeJsonUnsafe(JSON.stringify(value));
    expect(json).not.toMatch(/[\x1b\x7f-\x9f\u202e\u2028]/);
    expect(json).toContain('\\u009b');
    expect(json).toContain('\\u202e');
    expect(JSON.parse(json)).toEqual(value);
  });
});
