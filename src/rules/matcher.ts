import type { LogEvent } from '../events.js';
import type { Condition, Rule, RulePack } from './types.js';

/** Literal alternation used as a gate: pure literals, so the regex runs in linear time. */
function buildPrefilter(literals: string[]): RegExp | undefined {
  if (literals.length === 0) return undefined;
  const unique = [...new Set(literals)].sort((a, b) => b.length - a.length);
  return new RegExp(unique.map(escapeRegExp).join('|'), 'i');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compiled rules. Every rule's required literals are joined into one case-insensitive
 * prefilter, so a record that no literal rule can match costs one regex scan.
 */
export class RuleMatcher {
  /** Rules with literals; evaluated only when the prefilter hits. */
  private readonly literalRules: Rule[] = [];
  /** Rules without a literal (field-only); always evaluated. */
  private readonly openRules: Rule[] = [];
  readonly prefilter: RegExp | undefined;

  constructor(readonly pack: RulePack) {
    const literals: string[] = [];
    for (const rule of pack.rules) {
      if (!rule.match) continue; // judged per incident, not per record
      if (rule.literals.length) {
        this.literalRules.push(rule);
        literals.push(...rule.literals);
      } else {
        this.openRules.push(rule);
      }
    }
    this.prefilter = buildPrefilter(literals);
  }

  /** Every literal the prefilter looks for. */
  get literals(): string[] {
    return [...new Set(this.literalRules.flatMap((r) => r.literals))];
  }

  /** Rules that have no literal and must see every record (they turn the byte prefilter off). */
  get unfilteredRules(): Rule[] {
    return this.openRules;
  }

  /** Does any rule possibly match this text? Cheap; used before parsing a record. */
  mayMatch(text: string): boolean {
    return this.openRules.length > 0 || (this.prefilter?.test(text) ?? false);
  }

  /** True when some literal of some rule occurs in the text. */
  hasLiteral(text: string): boolean {
    return this.prefilter?.test(text) ?? false;
  }

  match(event: LogEvent): Rule[] {
    const hits: Rule[] = [];
    const ctx = new MatchContext(event);
    if (this.prefilter?.test(event.text)) {
      for (const rule of this.literalRules) if (ruleApplies(rule, event) && evaluate(rule.match!, ctx)) hits.push(rule);
    }
    for (const rule of this.openRules) if (ruleApplies(rule, event) && evaluate(rule.match!, ctx)) hits.push(rule);
    return hits;
  }
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
    return (this.lowerText ??= this.event.text.toLowerCase());
  }
}

export function matchesCondition(condition: Condition, event: LogEvent): boolean {
  return evaluate(condition, new MatchContext(event));
}

function evaluate(c: Condition, ctx: MatchContext): boolean {
  switch (c.kind) {
    case 'contains':
      return c.values.some((v) => ctx.event.text.includes(v));
    case 'icontains':
      return c.lower.some((v) => ctx.lower.includes(v));
    case 'regex':
      return c.test(ctx.event.text);
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
      return typeof v === 'string' ? [v] : [];
    }
  }
}
