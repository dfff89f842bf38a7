import type { CauseDef, RulePack } from '../rules/types.js';
import type { CauseEvidence, Confidence, RankedCause, RemediationStep } from '../report-types.js';
import { fitRemediation } from '../remedy/fit.js';
import type { RemedyNumbers } from '../remedy/numbers.js';

export const UNKNOWN_CAUSE = 'unknown';

/**
 * The score of a cause is its posterior probability under independent evidence:
 *
 *   score(c) = prior(c) * 10^(sum of log10 likelihood ratios of its evidence) / Z
 *
 * where Z sums that quantity over the causes with supporting evidence plus `unknown`: the
 * mass of the causes nothing supports (their prior, shrunk by any evidence against them) and of
 * the causes pgtriage does not model. With no evidence at all, `unknown` keeps the whole mass,
 * so a cause is never presented as likely just because it is common.
 */
/**
 * Which stack's priors apply when an incident shows several: the orchestrator's (it decides how
 * connections are held), then the client library's.
 */
const PRIOR_STACKS = ['dbt', 'adf', 'node', 'jdbc', 'npgsql', 'asyncpg', 'sqlalchemy', 'psycopg'];

/** A piece of evidence together with the cause it bears on. */
export interface ScoredEvidence extends CauseEvidence {
  cause: string;
}

export function rankCauses(pack: RulePack, evidence: ScoredEvidence[], stacks: string[], numbers?: RemedyNumbers): RankedCause[] {
  const byCause = new Map<string, CauseEvidence[]>();
  for (const { cause, ...item } of evidence) {
    const list = byCause.get(cause);
    if (list) list.push(item);
    else byCause.set(cause, [item]);
  }
  const unknownDef = pack.causes.get(UNKNOWN_CAUSE);
  const named = [...pack.causes.values()].filter((c) => c.id !== UNKNOWN_CAUSE);
  const stack = PRIOR_STACKS.find((s) => stacks.includes(s));
  const priorOf = (c: CauseDef) => (stack !== undefined ? (c.priorByStack?.[stack] ?? c.prior) : c.prior);
  const priorSum = named.reduce((s, c) => s + priorOf(c), 0);
  // The unmodelled mass: as the pack states it, or what the named causes leave.
  let rest = unknownDef?.prior ?? Math.max(0.05, 1 - priorSum);
  const masses: Array<{ cause: CauseDef; mass: number; items: CauseEvidence[] }> = [];
  for (const cause of named) {
    const items = byCause.get(cause.id);
    const logRatio = items?.reduce((s, i) => s + i.weight, 0) ?? 0;
    if (!items?.some((i) => i.direction === 'for')) {
      // Causes nothing supports stay inside `unknown`, shrunk by any evidence against them.
      rest += priorOf(cause) * 10 ** logRatio;
      continue;
    }
    masses.push({ cause, mass: priorOf(cause) * 10 ** logRatio, items });
  }
  const total = masses.reduce((s, m) => s + m.mass, 0) + rest;
  const ranked: RankedCause[] = masses.map(({ cause, mass, items }) => ({
    id: cause.id,
    title: cause.title,
    score: mass / total,
    confidence: 'low' as Confidence,
    summary: cause.summary,
    evidence: sortEvidence(items),
    contradicting: sortEvidence(items.filter((i) => i.direction === 'against')),
    remediation: remediationFor(cause, stacks, numbers),
  }));
  ranked.push({
    id: UNKNOWN_CAUSE,
    title: unknownDef?.title ?? 'Not enough evidence to name a cause',
    score: rest / total,
    confidence: 'low',
    summary:
      unknownDef?.summary ??
      'The logs show the failure but nothing that singles out one cause; the causes nothing points at (and ones pgtriage does not model) share this mass.',
    evidence: [],
    contradicting: [],
    remediation: unknownDef ? remediationFor(unknownDef, stacks, numbers) : [],
  });
  ranked.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  for (let i = 0; i < ranked.length; i++) {
    // "Not enough evidence" is never a confident answer, whatever its share.
    ranked[i].confidence = ranked[i].id === UNKNOWN_CAUSE ? 'low' : confidenceOf(ranked[i].score, ranked[i + 1]?.score ?? 0, i === 0);
    ranked[i].score = round(ranked[i].score);
  }
  return ranked;
}

function sortEvidence(items: CauseEvidence[]): CauseEvidence[] {
  return items.slice().sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.line - b.line);
}

/** high: a clear winner; medium: leading but contestable; low: anything else. */
export function confidenceOf(score: number, next: number, leader: boolean): Confidence {
  if (leader && score >= 0.7 && score - next >= 0.3) return 'high';
  if (leader && score >= 0.4 && score - next >= 0.1) return 'medium';
  return 'low';
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Steps for the incident's stacks, the firing component first, numbers filled in (src/remedy/). */
export function remediationFor(cause: CauseDef, stacks: string[], numbers?: RemedyNumbers): RemediationStep[] {
  return fitRemediation(cause, stacks, numbers);
}
