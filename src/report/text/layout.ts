/**
 * The text report's layout context and the small helpers every part uses: the width and
 * colour in force, the gutter of a problem block, times and paths as the report shows them.
 */
import { palette, type Palette } from '../color.js';
import type { RenderOptions } from '../reporter.js';
import { sanitizeLine } from '../sanitize.js';
import type { Confidence } from '../../report-types.js';

export const DEFAULT_WIDTH = 100;
export const MIN_WIDTH = 40;
/** Rows of the summary table before the rest is counted (keeps the answer on one screen). */
export const SUMMARY_ROWS = 15;
/** Lines of a record quoted without `--explain`. */
export const RECORD_LINES = 3;
/** Records quoted per problem without `--explain`. */
export const RECORDS_PER_PROBLEM = 6;
/** Remediation steps shown per problem without `--explain`. */
export const FIX_STEPS = 1;
/** Left gutter of a problem block: `causes`, `fix`, `decide`, `records`. */
export const GUTTER = 10;
export const gutter = (name: string): string => `  ${name}`.padEnd(GUTTER);

export interface Ctx {
  c: Palette;
  explain: boolean;
  width: number;
  perDirectory: boolean;
}

export function context(options: RenderOptions): Ctx {
  return {
    c: palette(options.color),
    explain: options.explain,
    width: Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULT_WIDTH)),
    perDirectory: !!options.perDirectory,
  };
}

export const one = sanitizeLine;

export function confidenceStyle(c: Palette, confidence: Confidence): (s: string) => string {
  if (confidence === 'high') return (s) => c.bold(c.green(s));
  if (confidence === 'medium') return c.yellow;
  return c.dim;
}

/** `2026-05-01 10:06:10` from an ISO time; the zone is UTC throughout the report. */
export function shortTime(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '';
}

export function span(first: string | undefined, last: string | undefined): string {
  if (!first) return '';
  const a = shortTime(first);
  if (!last || last === first) return a;
  const b = shortTime(last);
  if (a === b) return a;
  return a.slice(0, 10) === b.slice(0, 10) ? `${a}–${b.slice(11)}` : `${a}–${b}`;
}

/** The directory every path in the list lies under ('' when none is shared). */
export function commonDir(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  let dir = paths[0]!.includes('/') ? paths[0]!.slice(0, paths[0]!.lastIndexOf('/')) : '';
  for (const p of paths) while (dir && !p.startsWith(`${dir}/`)) dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  return dir;
}

/** A source as short as it can be while still unambiguous inside its case. */
export function shortSource(source: string, kase: string | undefined): string {
  return kase && source.startsWith(`${kase}/`) ? source.slice(kase.length + 1) : source;
}
