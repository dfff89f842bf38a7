import type { CauseDef, RulePack } from '../rules/types.js';
import type { CauseEvidence, Confidence, RankedCause, RemediationStep } from '../report-types.js';
import { fitRemediation } from '../remedy/fit.js';
import type { RemedyNumbers } from '../remedy/numbers.js';
import { say } from '../messages/say.js';

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
  /** How the fact relates to the failing session; `nearby` facts are capped (see CEILING). */
  scope?: 'self' | 'session' | 'global' | 'nearby';
  /** The record the fact's nearest witness is; one record is one observation per cause. */
  record?: string;
}

/** What scoring made of each fact: neutral, or the factor it gave each cause. */
export interface FactWeights {
  neutral: boolean;
  contributes: Array<{ cause: string; weight: number }>;
}

/** A fact related to the failure only by time and source weighs at most a moderate ratio (4x). */
export const NEARBY_CEILING = Math.log10(4);
/**
 * Confidence beyond the priors: the evidence alone must favour the leader over every other
 * named cause by a likelihood ratio of at least 8 (medium) or 30 (high).
 */
export const MEDIUM_MARGIN = Math.log10(8);
export const HIGH_MARGIN = Math.log10(30);

export interface RankOptions {
  /** The causes this incident can have (its kind's hypotheses); all named causes by default. */
  hypotheses?: (cause: CauseDef) => boolean;
  /** Numbers read from the incident (limits, lifetimes) to fill remediation templates. */
  numbers?: RemedyNumbers;
}

export function rankCauses(pack: RulePack, evidence: ScoredEvidence[], stacks: string[], numbers?: RemedyNumbers, options: RankOptions = {}): RankedCause[] {
  return scoreFacts(pack, evidence, stacks, { ...options, numbers }).causes;
}

/**
 * Scores one incident from its facts:
 * 1. one factor per fact and cause (the strongest, should a fact carry two);
 * 2. a fact that supports a third or more of the hypotheses alike is neutral: it shows the family,
 *    not the cause, and weighs nothing;
 * 3. a `nearby` fact is capped at NEARBY_CEILING;
 * 4. facts witnessed by the same record count as one observation per cause (the strongest for and
 *    the strongest against), so one line read by two rules is not counted twice;
 * 5. posterior as documented above; confidence from the scores, gated by the evidence margin.
 */
export function scoreFacts(
  pack: RulePack,
  evidence: ScoredEvidence[],
  stacks: string[],
  options: RankOptions = {},
): { causes: RankedCause[]; facts: Map<string, FactWeights> } {
  const unknownDef = pack.causes.get(UNKNOWN_CAUSE);
  const named = [...pack.causes.values()].filter((c) => c.id !== UNKNOWN_CAUSE && (options.hypotheses?.(c) ?? true));
  const inScope = new Set(named.map((c) => c.id));
  const factOf = (e: ScoredEvidence) => e.fact ?? e.ruleId;

  // 1 + 2 + 3: per fact.
  const byFact = new Map<string, ScoredEvidence[]>();
  for (const e of evidence) {
    if (!inScope.has(e.cause)) continue;
    const list = byFact.get(factOf(e));
    if (list) list.push(e);
    else byFact.set(factOf(e), [e]);
  }
  const facts = new Map<string, FactWeights>();
  const kept: ScoredEvidence[] = [];
  const neutralAt = Math.max(3, Math.ceil(named.length / 3));
  for (const [id, items] of byFact) {
    const perCause = new Map<string, ScoredEvidence>();
    for (const e of items) {
      const prev = perCause.get(e.cause);
      if (!prev || Math.abs(e.weight) > Math.abs(prev.weight)) perCause.set(e.cause, e);
    }
    const fors = [...perCause.values()].filter((e) => e.direction === 'for');
    const neutral = fors.length >= neutralAt && fors.every((e) => e.weight === fors[0].weight);
    const out: FactWeights = { neutral, contributes: [] };
    for (const e of perCause.values()) {
      if (neutral && e.direction === 'for') continue;
      const w = e.scope === 'nearby' ? Math.sign(e.weight) * Math.min(Math.abs(e.weight), NEARBY_CEILING) : e.weight;
      kept.push({ ...e, weight: round(w) });
    }
    facts.set(id, out);
  }
  // 4: one observation per record and cause.
  const best = new Map<string, ScoredEvidence>();
  const counted: ScoredEvidence[] = [];
  for (const e of kept) {
    if (!e.record) {
      counted.push(e);
      continue;
    }
    const key = `${e.record}|${e.cause}|${e.direction}`;
    const prev = best.get(key);
    if (!prev || Math.abs(e.weight) > Math.abs(prev.weight)) best.set(key, e);
  }
  counted.push(...best.values());
  for (const e of counted) facts.get(factOf(e))!.contributes.push({ cause: e.cause, weight: e.weight });

  const byCause = new Map<string, CauseEvidence[]>();
  for (const { cause, scope: _scope, record: _record, ...item } of counted) {
    const list = byCause.get(cause);
    if (list) list.push(item);
    else byCause.set(cause, [item]);
  }
  const stack = PRIOR_STACKS.find((s) => stacks.includes(s));
  const priorOf = (c: CauseDef) => (stack !== undefined ? (c.priorByStack?.[stack] ?? c.prior) : c.prior);
  const priorSum = named.reduce((s, c) => s + priorOf(c), 0);
  // The unmodelled mass: as the pack states it, or what the named causes leave.
  let rest = unknownDef?.prior ?? Math.max(0.05, 1 - priorSum);
  const masses: Array<{ cause: CauseDef; mass: number; items: CauseEvidence[] }> = [];
  const logRatios = new Map<string, number>();
  for (const cause of named) {
    const items = byCause.get(cause.id);
    const logRatio = items?.reduce((s, i) => s + i.weight, 0) ?? 0;
    logRatios.set(cause.id, logRatio);
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
    remediation: remediationFor(cause, stacks, options.numbers),
  }));
  ranked.push({
    id: UNKNOWN_CAUSE,
    title: unknownDef?.title ?? say('unknown.title').text,
    score: rest / total,
    confidence: 'low',
    summary: unknownDef?.summary ?? say('unknown.summary').text,
    evidence: [],
    contradicting: [],
    remediation: unknownDef ? remediationFor(unknownDef, stacks, options.numbers) : [],
  });
  ranked.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  for (let i = 0; i < ranked.length; i++) {
    // "Not enough evidence" is never a confident answer, whatever its share.
    let confidence = ranked[i].id === UNKNOWN_CAUSE ? 'low' : confidenceOf(ranked[i].score, ranked[i + 1]?.score ?? 0, i === 0);
    if (confidence !== 'low') confidence = gate(confidence, evidenceMargin(ranked[i].id, logRatios, pack.causes.get(ranked[i].id)?.refines ?? []));
    ranked[i].confidence = confidence;
    ranked[i].score = round(ranked[i].score);
  }
  return { causes: ranked, facts };
}

/** How much the evidence alone (no priors) favours a cause over the best other hypothesis. */
function evidenceMargin(id: string, logRatios: Map<string, number>, refines: readonly string[]): number {
  const own = logRatios.get(id) ?? 0;
  let other = 0;
  // A refinement is not in competition with the mechanism it explains.
  for (const [c, r] of logRatios) if (c !== id && !refines.includes(c) && r > other) other = r;
  return own - other;
}

function gate(confidence: Confidence, margin: number): Confidence {
  if (confidence === 'high' && margin >= HIGH_MARGIN) return 'high';
  if (margin >= MEDIUM_MARGIN) return 'medium';
  return 'low';
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
