/**
 * The report object every reporter renders. Its JSON form is a public contract
 * (schema/report.schema.json): extend freely, rename/remove only with a schemaVersion bump.
 */
import type { FormatId, Origin } from './events.js';

export const SCHEMA_VERSION = '1.0';

export type Confidence = 'high' | 'medium' | 'low';

/** A quoted log line (or record) with its location. */
export interface EvidenceLine {
  source: string;
  line: number;
  endLine: number;
  text: string;
  origin: Origin;
  format: FormatId;
  /** ISO-8601 time when the record carried one. */
  time?: string;
  /** The printed time had no zone and was read as UTC. */
  timeNaive?: boolean;
  /** `failure` is the incident's own error record; `context` lines support the timeline. */
  role: 'failure' | 'context';
  /** Rule ids that fired on this line. */
  rules?: string[];
}

/** A quoted record that witnesses a fact. */
export interface FactWitness {
  source: string;
  line: number;
  endLine: number;
  text: string;
  origin: Origin;
  time?: string;
  timeNaive?: boolean;
  /** `nearest` to the failure, `first` or `last` of the fact's window (one record may be several). */
  which: Array<'nearest' | 'first' | 'last'>;
}

/**
 * One fact about an incident: a rule that fired (on any number of records) or a fact derived
 * from several records (a burst, a pool that manages the connection, a pooler's close reason).
 * Scoring takes one factor per fact, whatever its count.
 */
export interface Fact {
  /** The rule id, or the id of a derived fact (`burst-of-failures`, `pool-managed`, `pooler-reason`...). */
  id: string;
  description: string;
  /**
   * `self`: the failure's own records; `session`: the failing session's other lines (or the
   * server backend linked to it); `global`: postmaster, pooler-wide or configuration records
   * that bear on every session; `nearby`: no identity tells sessions apart, only nearness in
   * time and source (its factor is capped lower).
   */
  scope: 'self' | 'session' | 'global' | 'nearby';
  /** Records that witness the fact for this incident. */
  count: number;
  /** At most three quoted records: the nearest, the first and the last. */
  witnesses: FactWitness[];
  /** Measured values: `nearestMs` (signed, from the failure), `sessions`, idle gaps, settings... */
  quantities?: Record<string, number | string | boolean>;
  /** The fact supports every modelled cause alike: it shows the family, not the cause, and weighs nothing. */
  neutral?: boolean;
  /** The log10 factor it gave each cause (after the scope's ceiling); empty when neutral. */
  contributes: Array<{ cause: string; weight: number }>;
}

/** One piece of scored evidence behind a cause. */
export interface CauseEvidence {
  source: string;
  line: number;
  text: string;
  ruleId: string;
  /** What the rule says this evidence means, in words. */
  reason: string;
  direction: 'for' | 'against';
  /** Log10 likelihood ratio this evidence contributed to the cause (negative = against). */
  weight: number;
  /** For rules with a `when:` context condition: the condition, in canonical form. */
  condition?: string;
  /** The fact this evidence comes from (`incidents[].facts[].id`). */
  fact?: string;
  /** The values that decided the condition, and where each was read. */
  witnesses?: Array<{ name: string; value: string; origin?: { source: string; line: number; text: string } }>;
}

export interface RemediationStep {
  /** Stack the step applies to (src/remedy/stacks.ts lists them), or `generic`. */
  stack: string;
  text: string;
  /** The project's own documentation that states the setting, its unit and its default. */
  source?: string;
  /** True when the text carries the incident's own numbers (limit, pool lifetime...). */
  fitted?: boolean;
}

export interface RankedCause {
  id: string;
  title: string;
  /** Normalized posterior probability in [0, 1] among the causes and `unknown`. */
  score: number;
  confidence: Confidence;
  summary: string;
  evidence: CauseEvidence[];
  /** Evidence that argues against this cause (also present in `evidence` with direction `against`). */
  contradicting: CauseEvidence[];
  remediation: RemediationStep[];
}

export interface Incident {
  id: string;
  /** The SQLSTATE class this failure belongs to: `08003` when the held connection is gone. */
  sqlstate: string;
  /** `connection-lost`: the session is gone. `session-state-lost`: a pooler swapped the session under the client. */
  kind: 'connection-lost' | 'session-state-lost';
  /** SQLSTATE codes actually printed in the logs for this incident (25P03, 57P01, 08006, ...). */
  observedSqlstates: string[];
  /** Why this failure was put in the 08003 family, in words. */
  why: string;
  message: string;
  source: string;
  line: number;
  endLine: number;
  origin: Origin;
  format: FormatId;
  time?: string;
  timeNaive?: boolean;
  /** Stacks detected for this incident, used to fit remediation (e.g. ["sqlalchemy","psycopg"]). */
  stacks: string[];
  exception?: string;
  driver?: string;
  model?: string;
  activity?: string;
  pipeline?: string;
  /**
   * The failure record first, then the facts' witnesses, in time order where times exist.
   * Bounded: the failure's records and at most three witnesses per fact.
   */
  evidence: EvidenceLine[];
  /** What the input shows about this incident, one entry per fact (see Fact). */
  facts: Fact[];
  causes: RankedCause[];
  /** What evidence would decide between the leading causes. */
  missing: string[];
  /** The message id of each `missing` sentence, same order (src/messages/catalogue.ts). */
  missingIds?: string[];
}

/** A connection failure that is NOT the 08003 family (connection refused, too many clients...). */
export interface Neighbour {
  sqlstate: string;
  name: string;
  why: string;
  source: string;
  line: number;
  text: string;
  time?: string;
}

export interface OverallCause {
  id: string;
  title: string;
  /** Mean of the per-incident scores (incidents without this cause count as 0). */
  score: number;
  confidence: Confidence;
  incidents: string[];
  /** Incidents where this cause ranks first. */
  topIn: number;
}

export interface SourceSummary {
  source: string;
  /** Records per detected format. */
  formats: Partial<Record<FormatId, number>>;
  /** Why the main format was chosen, or that it was forced with --input-format. */
  detection: string;
  lines: number;
  bytes: number;
  error?: string;
  /** Earliest and latest time of the source's records (ISO, UTC), and whether some had no zone. */
  firstTime?: string;
  lastTime?: string;
  timeNaive?: boolean;
}

export interface Stats {
  /** 08003-family incidents found, including ones streamed out early or beyond the listing cap. */
  incidents: number;
  sources: number;
  lines: number;
  bytes: number;
  /** Lines that went through record assembly and parsing; the rest held no rule's literal and were skipped. */
  linesParsed: number;
  records: number;
  events: number;
  /** Lines cut at the line cap. */
  linesTruncated: number;
  /** Records cut at the record cap. */
  recordsTruncated: number;
  /**
   * Records merged into an incident beyond the 256 kept per incident (a rule matching nearly
   * every line): counted in the incident's facts, not kept or quoted. Present when not 0.
   */
  recordsCapped?: number;
  /** Lines with bytes that were not valid UTF-8 (replaced by U+FFFD). */
  invalidUtf8Lines: number;
  /**
   * Lines holding C0 control characters other than TAB, CR, FF and ESC, among the lines parsed
   * (a burst of them does not make a log binary; they are quoted escaped).
   */
  controlCharLines?: number;
  /** Records a parser could not read (malformed JSON...). The lines still went through the fallback. */
  recordsMalformed: number;
  /** Paragraphs of prose (a page or ticket explaining an error) set aside: no event, no incident. */
  recordsProse?: number;
  /** Inputs that could not be read at all. */
  sourcesFailed: number;
  /** Binary inputs skipped. */
  sourcesBinary: number;
  /** Entries a directory walk did not read (ignored, hidden, special, links), each counted once. */
  filesSkipped?: number;
  /** `filesSkipped` by reason id (`source-code`, `hidden`, `pgtriageignore`, ...). */
  skippedByReason?: Record<string, number>;
  /** Dated events outside `--since`/`--until`, not analysed (present when a window was given). */
  eventsOutsideWindow?: number;
  /** Lines left unread because a stretch of them lay outside the window (present with a window). */
  linesOutsideWindow?: number;
  /**
   * Lines holding only dense context wording (client chatter no count depends on) that were
   * counted instead of parsed, beyond two per second of log time and wording; present when some were.
   */
  linesThinned?: number;
}

/** One entry a directory walk did not read, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
  detail?: string;
  directory?: boolean;
}

/**
 * Incidents that are one failure told again: same case, same failure signature, same top
 * cause. Every incident belongs to exactly one problem.
 */
export interface Problem {
  /** `P1`, `P2`... in reading order (case by case, most frequent first). */
  id: string;
  /** The directory the incidents come from, under `--per-directory`. */
  case?: string;
  /** Family code, kind, printed codes, origin/format, exception and the message with its variable parts blanked. */
  signature: string;
  sqlstate: string;
  kind: Incident['kind'];
  /** The cause every incident of the problem ranks first. */
  topCause: string;
  topCauseTitle: string;
  /** Mean score of the top cause over the problem's incidents. */
  score: number;
  /** The lowest confidence any of its incidents has in the top cause. */
  confidence: Confidence;
  /** How many incidents. */
  count: number;
  /** Their ids, in report order. */
  incidents: string[];
  /** Earliest and latest incident time, when the logs had times. */
  firstTime?: string;
  lastTime?: string;
  /** Sources the incidents were found in (at most 20). */
  sources: string[];
  stacks: string[];
  /** Where the first incident was found. */
  source: string;
  line: number;
}

export interface Report {
  schemaVersion: string;
  tool: { name: 'pgtriage'; version: string };
  incidents: Incident[];
  /** Incidents grouped into problems (absent in reports built before problems existed). */
  problems?: Problem[];
  causes: OverallCause[];
  neighbours: Neighbour[];
  sources: SourceSummary[];
  stats: Stats;
  warnings: string[];
  /** The message id of each warning, same order (src/messages/catalogue.ts): match on these, not on the text. */
  warningIds?: string[];
  /** What directory walks skipped (the first 1,000; `stats.filesSkipped` counts them all). */
  skipped?: SkippedFile[];
  /** The `--since`/`--until` window applied, as ISO times (relative bounds resolved). */
  window?: { since?: string; until?: string };
}
