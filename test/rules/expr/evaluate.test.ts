import { describe, expect, it } from 'vitest';
import { evaluate, evaluateTruth, formatDuration } from '../../../src/rules/expr/index.js';
import { fakeContext, parse } from './helpers.js';

const APP_LOG = { source: 'app.log', line: 3, text: 'engine config: pool_recycle=3600' };
const PG_LOG = { source: 'postgresql.log', line: 12, text: 'idle_session_timeout = 600s' };
const TERMINATE = { source: 'postgresql.log', line: 40, text: 'FATAL:  terminating connection due to administrator command' };

function run(text: string, ctx: Parameters<typeof fakeContext>[0]) {
  return evaluate(parse(text), fakeContext(ctx));
}

describe('comparisons', () => {
  it('gap_before >= 240s', () => {
    expect(run('gap_before >= 240s', { values: { gap_before: { value: 312_000 } } })).toEqual({
      value: true,
      witnesses: [{ name: 'gap_before', value: '312 s' }],
    });
    expect(run('gap_before >= 240s', { values: { gap_before: { value: 100_000 } } })).toEqual({
      value: false,
      witnesses: [{ name: 'gap_before', value: '100 s' }],
    });
  });

  it('config.pool_recycle > server.idle_timeout, with origins', () => {
    const values = {
      'config.pool_recycle': { value: 3_600_000, duration: true, origin: APP_LOG },
      'server.idle_timeout': { value: 600_000, origin: PG_LOG },
    };
    expect(run('config.pool_recycle > server.idle_timeout', { values })).toEqual({
      value: true,
      witnesses: [
        { name: 'config.pool_recycle', value: '3600 s', origin: APP_LOG },
        { name: 'server.idle_timeout', value: '600 s', origin: PG_LOG },
      ],
    });
  });

  it('shows a config value compared with a duration literal as a duration', () => {
    const r = run('config.pool_recycle > 10m', { values: { 'config.pool_recycle': { value: 5_400_000 } } });
    expect(r).toEqual({ value: true, witnesses: [{ name: 'config.pool_recycle', value: '90 min' }] });
  });

  it('compares strings without regard to case, and only with == and !=', () => {
    const values = { 'pool.mode': { value: 'Transaction' } };
    expect(run("pool.mode == 'transaction'", { values }).value).toBe(true);
    expect(run("pool.mode != 'transaction'", { values }).value).toBe(false);
    expect(run('pool.mode == "session"', { values })).toEqual({ value: false, witnesses: [{ name: 'pool.mode', value: "'Transaction'" }] });
  });

  it('a string compared with a number is neither true nor false: it does not hold, either way', () => {
    const values = { 'config.pool_mode': { value: 'transaction' } };
    expect(run('config.pool_mode == 5', { values }).value).toBe(false);
    expect(run('config.pool_mode != 5', { values }).value).toBe(false);
    expect(run('not config.pool_mode == 5', { values }).value).toBe(false);
    expect(evaluateTruth(parse('config.pool_mode == 5'), fakeContext({ values })).truth).toBe('unknown');
    expect(run('config.flag == true', { values: { 'config.flag': { value: 1 } } }).value).toBe(false);
  });

  it('booleans', () => {
    expect(run('tx_open == true', { values: { tx_open: { value: true } } }).value).toBe(true);
    expect(run('tx_open != true', { values: { tx_open: { value: true } } }).value).toBe(false);
    expect(run('tx_open == false', { values: { tx_open: { value: false } } })).toEqual({
      value: true,
      witnesses: [{ name: 'tx_open', value: 'false' }],
    });
  });
});

describe('unknown values', () => {
  it('a comparison with a missing value does not hold, and not() does not make it hold', () => {
    expect(run('gap_before >= 240s', {})).toEqual({
      value: false,
      witnesses: [{ name: 'gap_before', value: 'unknown (not seen in the inputs)' }],
    });
    expect(run('not gap_before >= 240s', {}).value).toBe(false);
    expect(run('not (gap_before < 240s)', {}).value).toBe(false);
    expect(run('not not gap_before < 240s', {}).value).toBe(false);
    expect(evaluateTruth(parse('not gap_before >= 240s'), fakeContext({})).truth).toBe('unknown');
    expect(run('config.pool_recycle > server.idle_timeout', { values: { 'config.pool_recycle': { value: 1 } } }).value).toBe(false);
  });

  it('follows Kleene logic through and/or', () => {
    const gap = { gap_before: { value: 5000 } };
    expect(run('tx_open or gap_before > 1s', { values: gap })).toEqual({ value: true, witnesses: [{ name: 'gap_before', value: '5 s' }] });
    expect(run('tx_open and gap_before > 10s', { values: gap })).toEqual({ value: false, witnesses: [{ name: 'gap_before', value: '5 s' }] });
    expect(evaluateTruth(parse('tx_open and gap_before > 10s'), fakeContext({ values: gap })).truth).toBe('false');
    expect(run('not (tx_open and gap_before > 10s)', { values: gap }).value).toBe(true);
    expect(evaluateTruth(parse('tx_open and gap_before > 1s'), fakeContext({ values: gap }))).toEqual({
      truth: 'unknown',
      witnesses: [{ name: 'tx_open', value: 'unknown (not seen in the inputs)' }],
    });
    expect(run('tx_open or gap_before > 10s', { values: gap }).value).toBe(false);
  });

  it('bare paths are truthy when defined and not 0, false or empty', () => {
    expect(run('tx_open', { values: { tx_open: { value: true } } }).value).toBe(true);
    expect(run('tx_open', { values: { tx_open: { value: false } } }).value).toBe(false);
    expect(run('not tx_open', { values: { tx_open: { value: false } } }).value).toBe(true);
    expect(run('tx_open', {}).value).toBe(false);
    expect(run('not tx_open', {}).value).toBe(false);
    expect(run('config.x', { values: { 'config.x': { value: '' } } }).value).toBe(false);
    expect(run('config.x', { values: { 'config.x': { value: 0 } } }).value).toBe(false);
    expect(run('config.x', { values: { 'config.x': { value: 'on' } } })).toEqual({ value: true, witnesses: [{ name: 'config.x', value: "'on'" }] });
  });
});

describe('counts and nearby rules', () => {
  const incidents = [0, 500, -1500, 2500, -5000];

  it('count(sessions failed) >= 3 within 2s counts incidents within ±window including this one', () => {
    const ctx = fakeContext({ incidents });
    expect(evaluate(parse('count(sessions failed) >= 3 within 2s'), ctx)).toEqual({
      value: true,
      witnesses: [{ name: 'count(sessions failed within 2 s)', value: '3' }],
    });
    expect(ctx.calls).toEqual(['incidents:2000']);
    expect(run('count(incidents within 1s) >= 3', { incidents }).value).toBe(false);
    expect(run('count(failures within 5s) == 5', { incidents }).value).toBe(true);
    expect(run('count(sessions failed within 1s)', { incidents: [0] }).value).toBe(true);
  });

  it('count(rule:ID) >= 2 within 1m', () => {
    const hits = { 'pg-admin-terminate': [{ at: -30_000, origin: TERMINATE }, { at: 45_000, origin: TERMINATE }, { at: 120_000, origin: TERMINATE }] };
    const ctx = fakeContext({ hits });
    expect(evaluate(parse('count(rule:pg-admin-terminate) >= 2 within 1m'), ctx)).toEqual({
      value: true,
      witnesses: [{ name: 'count(rule:pg-admin-terminate within 60 s)', value: '2' }],
    });
    expect(ctx.calls).toEqual(['rule:pg-admin-terminate:60000']);
    expect(run('count(rule:pg-admin-terminate within 10s) >= 1', { hits }).value).toBe(false);
  });

  it('within 5s of rule:ID', () => {
    const near = { 'pg-admin-terminate': [{ at: -4000, origin: TERMINATE }] };
    expect(run('within 5s of rule:pg-admin-terminate', { hits: near })).toEqual({
      value: true,
      witnesses: [{ name: 'rule:pg-admin-terminate', value: 'within 5 s', origin: TERMINATE }],
    });
    const far = { 'pg-admin-terminate': [{ at: 6000, origin: TERMINATE }] };
    expect(run('within 5s of rule:pg-admin-terminate', { hits: far })).toEqual({
      value: false,
      witnesses: [{ name: 'rule:pg-admin-terminate', value: 'none within 5 s' }],
    });
    expect(run('not within 5s of rule:pg-admin-terminate', { hits: far }).value).toBe(true);
  });

  it('combines everything and reports the deciding witnesses only', () => {
    const text = 'within 5s of rule:pg-admin-terminate and count(sessions failed) >= 2 within 2s or gap_before >= 240s';
    const hits = { 'pg-admin-terminate': [{ at: 1000, origin: TERMINATE }] };
    const first = run(text, { hits, incidents: [0, 1000], values: { gap_before: { value: 1000 } } });
    expect(first).toEqual({
      value: true,
      witnesses: [
        { name: 'rule:pg-admin-terminate', value: 'within 5 s', origin: TERMINATE },
        { name: 'count(sessions failed within 2 s)', value: '2' },
      ],
    });
    const second = run(text, { hits: {}, incidents: [0], values: { gap_before: { value: 300_000 } } });
    expect(second).toEqual({ value: true, witnesses: [{ name: 'gap_before', value: '300 s' }] });
    const neither = run(text, { hits: {}, incidents: [0], values: { gap_before: { value: 1000 } } });
    expect(neither).toEqual({
      value: false,
      witnesses: [
        { name: 'rule:pg-admin-terminate', value: 'none within 5 s' },
        { name: 'gap_before', value: '1 s' },
      ],
    });
  });

  it('lists a witness once even when used twice', () => {
    const r = run('gap_before > 1s and gap_before < 1h', { values: { gap_before: { value: 60_000 } } });
    expect(r.witnesses).toEqual([{ name: 'gap_before', value: '60 s' }]);
  });
});

describe('formatDuration', () => {
  it('prints durations for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(312_000)).toBe('312 s');
    expect(formatDuration(3_600_000)).toBe('3600 s');
    expect(formatDuration(4_500_000)).toBe('75 min');
    expect(formatDuration(9_000_000)).toBe('2.5 h');
    expect(formatDuration(3 * 86_400_000)).toBe('3 d');
    expect(formatDuration(1500)).toBe('1.5 s');
  });
});
