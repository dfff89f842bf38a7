import type { LogEvent, Origin } from '../events.js';
import type { Expr } from './expr/index.js';
import type { Said } from '../messages/say.js';

/** Where something was written in a rule pack, for `file:line:column` messages. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export type Strength = 'weak' | 'moderate' | 'strong' | 'decisive';

/** Log10 likelihood ratio of each strength: 2x, 4x, 10x, 100x. */
export const STRENGTH_WEIGHT: Record<Strength, number> = {
  weak: Math.log10(2),
  moderate: Math.log10(4),
  strong: 1,
  decisive: 2,
};

/** The signed log10 factor an evidence entry gives its cause. */
export function evidenceWeight(direction: 'for' | 'against', strength: Strength): number {
  return (direction === 'for' ? 1 : -1) * STRENGTH_WEIGHT[strength];
}

export interface CauseDef {
  id: string;
  title: string;
  summary: string;
  /** Share of 08003-family incidents this cause explains before any evidence is seen. */
  prior: number;
  /**
   * Priors for incidents from a given stack, where the cause is much more or less common there
   * (a dbt run has no long-lived pool to go stale; ADF and dbt jobs often sit behind NAT).
   */
  priorByStack: Record<string, number>;
  /** Evidence that would confirm this cause, shown when it is in contention. */
  decidedBy: string[];
  /** The incident kinds this cause is a hypothesis for (default: `connection-lost`). */
  explains: Array<'connection-lost' | 'session-state-lost'>;
  /**
   * Causes this one is a refinement of (a transaction held across an external call is *why* a
   * session sat idle in its transaction): its confidence is judged against the other causes.
   */
  refines: string[];
  /** Remediation steps keyed by stack (see src/remedy/stacks.ts) or `generic`. */
  remediation: Record<string, RemediationStepDef[]>;
  pos: SourcePos;
}

/**
 * One remediation step as written in a cause file. `text` may hold `{name}` placeholders filled
 * from the incident's numbers (src/remedy/numbers.ts); `otherwise` is shown when one of them is
 * unknown. `none` marks an explicit "this stack has no knob for it, do this instead".
 */
export interface RemediationStepDef {
  text: string;
  source?: string;
  /** Tried in order when the text's numbers are unknown; the last one uses no number. */
  otherwise?: string[];
  none?: boolean;
  pos?: SourcePos;
}

/** A compiled condition over one event. */
export type Condition =
  | { kind: 'contains'; values: string[]; pos: SourcePos }
  | { kind: 'icontains'; values: string[]; lower: string[]; pos: SourcePos }
  | { kind: 'regex'; source: string; test: (text: string, lower?: string) => boolean; pos: SourcePos }
  | { kind: 'field'; name: string; values: string[]; pos: SourcePos }
  | { kind: 'all'; items: Condition[]; pos: SourcePos }
  | { kind: 'any'; items: Condition[]; pos: SourcePos }
  | { kind: 'not'; item: Condition; pos: SourcePos };

export interface EvidenceDef {
  cause: string;
  direction: 'for' | 'against';
  strength: Strength;
  weight: number;
  pos?: SourcePos;
}

export interface IncidentDef {
  sqlstate: string;
  kind: 'connection-lost' | 'session-state-lost';
}

export interface NeighbourDef {
  sqlstate: string;
  name: string;
}

export interface RuleExamples {
  match: string[];
  nomatch: string[];
  /**
   * Where each example is written in the rule file (same order as `match`/`nomatch`; the file is
   * the rule's), so a failing example is reported at its own line.
   */
  at?: { match: Array<{ line: number; column: number }>; nomatch: Array<{ line: number; column: number }> };
}

export interface Rule {
  id: string;
  description: string;
  origins?: Origin[];
  formats?: string[];
  /** What records the rule matches; absent for a `when`-only rule, which is judged per incident. */
  match?: Condition;
  /** A context condition judged per incident; the rule's evidence counts only when it holds. */
  when?: { text: string; ast: Expr; pos: SourcePos };
  /** The matched event is itself a failure of the 08003 family. */
  incident?: IncidentDef;
  /** The matched event is a connection failure outside the family (08001, 53300...). */
  neighbour?: NeighbourDef;
  evidence: EvidenceDef[];
  /** How far from an incident a context event may be, in ms, before and after it. */
  window: { before: number; after: number };
  examples: RuleExamples;
  /** Literals of which at least one must occur (case-insensitively) for the rule to match; empty = no filter. */
  literals: string[];
  pos: SourcePos;
  /** Set when a later pack replaced a rule with the same id. */
  overrides?: SourcePos;
}

export interface RulePack {
  causes: Map<string, CauseDef>;
  rules: Rule[];
  /** Notes for the user, e.g. rule overrides. */
  notices: Said[];
}

export interface RuleHit {
  rule: Rule;
  event: LogEvent;
}
