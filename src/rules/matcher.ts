import type { LogEvent } from '../events.js';
import { MultiLiteralScanner } from '../prefilter/multi-literal.js';
import type { PlanEntry } from '../prefilter/plan.js';
import { countedRules } from './expr/index.js';
import { requiredLiteralGroups, type Lit } from './literals.js';
import type { Condition, Rule, RulePack } from './types.js';

const NON_ASCII = /[^\x00-\x7f]/;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compiled rules, dispatched by literal. The longest required literal of each of a rule's
 * literal groups is searched for (one Wu-Manber pass over a record finds every one it holds), and
 * only the rules owning one of them are evaluated (in pack order), then the few rules that have no
 * literal. A record that holds no literal costs one regex scan.
 */
export class RuleMatcher {
  /** Rules with literals; evaluated only when one of their literals occurs. */
  private readonly literalRules: Rule[] = [];
  /** Rules without a literal (field-only); always evaluated, after the others. */
  private readonly openRules: Rule[] = [];
  /** The literal alternation, longest first; global so one pass collects every literal. */
  readonly prefilter: RegExp | undefined;
  /** For each literal (lower case): the literal rules, as indexes into `literalRules`, it may admit. */
  private readonly owners = new Map<string, number[]>();
  /**
   * The ASCII literals for the Wu-Manber scanner: one pass over a record tells every literal
   * it holds, where the alternation above needs one search per hit and was the costliest regex
   * on a busy log. `scannerOwners[i]` are the rules of the scanner's i-th literal.
   */
  private readonly scanner: MultiLiteralScanner | undefined;
  private readonly scannerOwners: number[][] = [];
  /** With the scanner: the literals it cannot take (not ASCII), as an alternation. */
  private readonly nonAscii: RegExp | undefined;
  /** Per rule, the literal groups the byte prefilter looks for. */
  private readonly groups = new Map<Rule, Lit[][]>();

  constructor(readonly pack: RulePack) {
    const byLiteral = new Map<string, Set<number>>();
    for (const rule of pack.rules) {
      if (!rule.match) continue; // judged per incident, not per record
      const groups = requiredLiteralGroups(rule.match);
      const literals = groups?.flatMap((g) => g.map((l) => l.text)) ?? [];
      if (!groups || literals.length === 0 || literals.some((l) => l.length < 3)) {
        this.openRules.push(rule);
        continue;
      }
      const index = this.literalRules.length;
      this.literalRules.push(rule);
      this.groups.set(rule, groups);
      // A rule can only match where every literal of one of its groups occurs, so the longest of
      // each group stands for the group: short companions ("://", "http") would shrink the
      // scanner's shift to one character and dispatch the rule on every URL.
      for (const l of new Set(groups.map((g) => g.reduce((a, b) => (b.text.length > a.text.length ? b : a)).text))) {
        let set = byLiteral.get(l);
        if (!set) byLiteral.set(l, (set = new Set()));
        set.add(index);
      }
    }
    const unique = [...byLiteral.keys()].sort((a, b) => b.length - a.length);
    this.prefilter = unique.length ? new RegExp(unique.map(escapeRegExp).join('|'), 'gi') : undefined;
    const ascii = unique.filter((l) => !NON_ASCII.test(l));
    const other = unique.filter((l) => NON_ASCII.test(l));
    const scanner = ascii.length ? new MultiLiteralScanner(ascii) : undefined;
    if (scanner?.usable && scanner.asciiOnly) {
      this.scanner = scanner;
      for (const l of ascii) this.scannerOwners.push([...byLiteral.get(l)!]);
      this.nonAscii = other.length ? new RegExp(other.map(escapeRegExp).join('|'), 'gi') : undefined;
    }
    this.byLiteral = byLiteral;
  }

  private readonly byLiteral: Map<string, Set<number>>;
  private ownersBuilt = false;

  /**
   * The alternation reports the longest literal at each position: a hit also stands for every
   * literal it contains. Built on first use (quadratic in the literals, and only the alternation
   * needs it: without a non-ASCII record, never).
   */
  private ownersOf(literal: string): number[] | undefined {
    if (!this.ownersBuilt) {
      this.ownersBuilt = true;
      for (const l of this.byLiteral.keys()) {
        const owners = new Set<number>();
        for (const [other, set] of this.byLiteral) if (l.includes(other)) for (const i of set) owners.add(i);
        this.owners.set(l, [...owners].sort((a, b) => a - b));
      }
    }
    return this.owners.get(literal);
  }

  /** Every literal the rules look for. */
  get literals(): string[] {
    return [...this.byLiteral.keys()].sort((a, b) => b.length - a.length);
  }

  /** Rules that have no literal and must see every record (they turn the byte prefilter off). */
  get unfilteredRules(): Rule[] {
    return this.openRules;
  }

  /**
   * What the byte prefilter looks for: per rule, each alternative of literals that must all
   * occur. Failure wording (a rule that makes incidents) is a trigger; everything else is
   * context, parsed only in its own record.
   */
  planEntries(): PlanEntry[] {
    const counted = new Set(this.pack.rules.flatMap((r) => (r.when ? countedRules(r.when.ast) : [])));
    const out: PlanEntry[] = [];
    for (const rule of this.literalRules) {
      const cls = rule.incident ? 'trigger' : 'context';
      const dense = cls === 'context' && isPlainClientEvidence(rule, counted);
      for (const group of this.groups.get(rule)!) {
        const entry: PlanEntry = { all: group, cls, rule: rule.id, ...(dense ? { dense } : {}) };
        // What `ruleApplies` checks, so the prefilter can leave out wording on a line of another origin.
        if (rule.origins) entry.origins = rule.origins;
        if (rule.formats) entry.formats = rule.formats;
        out.push(entry);
      }
    }
    return out;
  }

  /** Does any rule possibly match this text? Cheap; used before parsing a record. */
  mayMatch(text: string): boolean {
    return this.openRules.length > 0 || this.hasLiteral(text);
  }

  /** True when some literal of some rule occurs in the text. */
  hasLiteral(text: string): boolean {
    let hit = false;
    this.eachOwnerList(text, () => {
      hit = true;
      return true;
    });
    return hit;
  }

  /** The literal rules whose literals occur in `text`, in pack order. */
  private candidates(text: string): Rule[] {
    let found: Set<number> | undefined;
    let all = false;
    this.eachOwnerList(text, (owners) => {
      if (!owners) return (all = true);
      found ??= new Set();
      for (const i of owners) found.add(i);
      return false;
    });
    if (all) return this.literalRules;
    const set = found as Set<number> | undefined;
    return set ? [...set].sort((a, b) => a - b).map((i) => this.literalRules[i]) : [];
  }

  /**
   * Calls `onOwners` with the rules of each literal occurrence (undefined: a case mapping the
   * alternation and toLowerCase disagree on, so every literal rule, to be safe); returning true
   * stops. ASCII literals come from the scanner; the others (translated server messages) from
   * an alternation, run only on text that holds a non-ASCII character, the only text such a
   * literal can occur in (case-insensitive matching never maps non-ASCII to ASCII).
   */
  private eachOwnerList(text: string, onOwners: (owners: number[] | undefined) => boolean): void {
    if (this.scanner) {
      let stop = false;
      this.scanner.scanText(text, (_at, literal) => (stop = onOwners(this.scannerOwners[literal])));
      if (stop) return;
    }
    const re = this.scanner ? this.nonAscii : this.prefilter;
    if (!re || (this.scanner && !NON_ASCII.test(text))) return;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (onOwners(this.ownersOf(m[0].toLowerCase()))) return;
      // Literals may overlap: look again from the next character, not after the match.
      re.lastIndex = m.index + 1;
    }
  }

  match(event: LogEvent): Rule[] {
    const hits: Rule[] = [];
    const ctx = new MatchContext(event);
    for (const rule of this.candidates(event.matchText ?? event.text)) if (ruleApplies(rule, event) && evaluate(rule.match!, ctx)) hits.push(rule);
    for (const rule of this.openRules) if (ruleApplies(rule, event) && evaluate(rule.match!, ctx)) hits.push(rule);
    return hits;
  }
}

/** Sides whose records are an application's own chatter, where one wording can fill a log. */
const CLIENT_SIDES = new Set(['client', 'orchestrator', 'unknown']);

/**
 * Evidence that only a client-side record gives and that nothing counts exactly: not a
 * failure, not a neighbour (each is listed), not counted by any `when:` (`count(rule:…) <= 2`
 * must see every record; a presence test or `within … of` needs one per second) and not
 * readable on the server, pooler or configuration side (whose records are per session). The
 * byte prefilter may thin such wording where it is dense (`prefilter/windowed.ts`).
 */
function isPlainClientEvidence(rule: Rule, counted: Set<string>): boolean {
  if (rule.incident || rule.neighbour || counted.has(rule.id) || rule.evidence.length === 0) return false;
  return rule.origins !== undefined && rule.origins.every((o) => CLIENT_SIDES.has(o));
}

export function ruleApplies(rule: Rule, event: LogEvent): boolean {
  if (rule.origins && !rule.origins.includes(event.origin)) return false;
  if (rule.formats && !rule.formats.includes(event.format)) return false;
  return true;
}

class MatchContext {
  private lowerText: string | undefined;
  constructor(readonly event: LogEvent) {}
  get lower(): string {
    return (this.lowerText ??= this.text.toLowerCase());
  }
  /** What rules read: decoded fields or prefix-free lines when the format gave them. */
  get text(): string {
    return this.event.matchText ?? this.event.text;
  }
}

export function matchesCondition(condition: Condition, event: LogEvent): boolean {
  return evaluate(condition, new MatchContext(event));
}

function evaluate(c: Condition, ctx: MatchContext): boolean {
  switch (c.kind) {
    case 'contains':
      return c.values.some((v) => ctx.text.includes(v));
    case 'icontains':
      return c.lower.some((v) => ctx.lower.includes(v));
    case 'regex':
      return c.test(ctx.text, ctx.lower);
    case 'field':
      return fieldValues(ctx.event, c.name).some((actual) => c.values.some((want) => sameValue(actual, want)));
    case 'all':
      return c.items.every((i) => evaluate(i, ctx));
    case 'any':
      return c.items.some((i) => evaluate(i, ctx));
    case 'not':
      return !evaluate(c.item, ctx);
  }
}

/** Equal ignoring case, or the dotted suffix of a qualified name (`OperationalError` matches `sqlalchemy.exc.OperationalError`). */
function sameValue(actual: string, want: string): boolean {
  const a = actual.toLowerCase();
  const w = want.toLowerCase();
  return a === w || a.endsWith('.' + w);
}

function fieldValues(event: LogEvent, name: string): string[] {
  const f = event.fields;
  switch (name) {
    case 'sqlstate':
      return f.sqlstates ?? [];
    case 'origin':
      return [event.origin];
    case 'level':
      return event.level ? [event.level] : [];
    case 'format':
      return [event.format];
    default: {
      const v = (f as Record<string, unknown>)[name];
      return typeof v === 'string' ? [v] : Array.isArray(v) ? (v as string[]) : [];
    }
  }
}
