import { describe, expect, it } from 'vitest';
import { palette, shouldColor } from '../../src/report/color.js';

describe('shouldColor', () => {
  it('follows the TTY by default', () => {
    expect(shouldColor({ env: {}, isTTY: true })).toBe(true);
    expect(shouldColor({ env: {}, isTTY: false })).toBe(false);
  });
  it('NO_COLOR non-empty disables, empty is ignored', () => {
    expect(shouldColor({ env: { NO_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(shouldColor({ env: { NO_COLOR: '' }, isTTY: true })).toBe(true);
    expect(shouldColor({ env: { NO_COLOR: '1', FORCE_COLOR: '1' }, isTTY: true })).toBe(false);
  });
  it('FORCE_COLOR non-empty enables without a TTY; 0/false disables', () => {
    expect(shouldColor({ env: { FORCE_COLOR: '1' }, isTTY: false })).toBe(true);
    expect(shouldColor({ env: { FORCE_COLOR: '3', TERM: 'dumb' }, isTTY: false })).toBe(true);
    expect(shouldColor({ env: { FORCE_COLOR: '0' }, isTTY: true })).toBe(false);
    expect(shouldColor({ env: { FORCE_COLOR: 'false' }, isTTY: true })).toBe(false);
    expect(shouldColor({ env: { FORCE_COLOR: '' }, isTTY: false })).toBe(false);
  });
  it('TERM=dumb disables', () => {
    expect(shouldColor({ env: { TERM: 'dumb' }, isTTY: true })).toBe(false);
  });
  it('an explicit flag wins', () => {
    expect(shouldColor({ env: { NO_COLOR: '1' }, isTTY: false, flag: true })).toBe(true);
    expect(shouldColor({ env: { FORCE_COLOR: '1' }, isTTY: true, flag: false })).toBe(false);
  });
});

describe('palette', () => {
  it('is the identity when disabled', () => {
    expect(palette(false).red('x')).toBe('x');
  });
  it('wraps in SGR codes and keeps the outer style across a nested close', () => {
    const c = palette(true);
    expect(c.red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(c.red(`a${c.green('b')}c`)).toBe('\x1b[31ma\x1b[32mb\x1b[39m\x1b[31mc\x1b[39m');
  });
});
