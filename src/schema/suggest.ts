import { closest, distance } from 'fastest-levenshtein';

/**
 * "did you mean X?" when a candidate is close enough to be a plausible typo: shared by the
 * command line (options, values, config keys) and the schema messages (rule-file keys).
 */
export function didYouMean(given: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  const lower = given.toLowerCase();
  // An abbreviation (`--per-dir`) is a plausible intent when it starts exactly one candidate.
  const prefixed = lower.replace(/^-+/, '').length >= 3 ? candidates.filter((c) => c.toLowerCase().startsWith(lower)) : [];
  if (prefixed.length === 1) return `; did you mean ${prefixed[0]}?`;
  const best = closest(lower, candidates as string[]);
  const d = distance(lower, best.toLowerCase());
  return d <= Math.max(2, Math.floor(best.length / 4)) ? `; did you mean ${best}?` : '';
}
