import { describe, expect, it } from 'vitest';
import { continuesJson, parseJsonLines, startJson } from '../../../src/formats/json/json-record.js';

describe('json-record', () => {
  it('tracks depth across lines, ignoring brackets inside strings', () => {
    const st = startJson('{')!;
    expect(st.complete).toBeFalsy();
    expect(continuesJson(st, '  "a": "} ] { [ \\" still string",')).toBe('must');
    expect(continuesJson(st, '  "b": [1, 2, {"c": 3}]')).toBe('must');
    expect(st.complete).toBeFalsy();
    expect(continuesJson(st, '}')).toBe('must');
    expect(st.complete).toBe(true);
    expect(continuesJson(st, '{')).toBe('no');
  });

  it('completes a one-line value at once', () => {
    expect(startJson('{"a": [1, {"b": "}"}]}')?.complete).toBe(true);
    expect(startJson('plain')).toBeUndefined();
  });

  it('stops a cut value at a line that cannot be inside pretty-printed JSON', () => {
    const st = startJson('{"a": "cut')!;
    expect(continuesJson(st, '{"a": 1}')).toBe('no');
    const st2 = startJson('{')!;
    expect(continuesJson(st2, '2024-05-01 12:00:00 ERROR x')).toBe('no');
  });

  it('parses with trailing text after the value', () => {
    expect(parseJsonLines(['{"a": 1} trailing'])).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonLines(['{"a": ']).ok).toBe(false);
  });
});
