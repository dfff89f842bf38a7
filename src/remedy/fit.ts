/**
 * Remediation fitted to the incident: the steps of the component whose limit fired first,
 * then the client stacks seen (the most specific one winning), with the user's own numbers
 * filled into each step's template. Pure: the numbers come in as an argument.
 */
import type { RemediationStep } from '../report-types.js';
import type { CauseDef, RemediationStepDef } from '../rules/types.js';
import { STACK_IDS, stackDef } from './stacks.js';
import type { RemedyNumbers } from './numbers.js';

const PLACEHOLDER = /\{([a-z_]+)\}/g;

/** Fills `{name}` placeholders; undefined when one of them has no value. */
export function fillTemplate(text: string, numbers: RemedyNumbers): string | undefined {
  let missing = false;
  const out = text.replace(PLACEHOLDER, (_, name: string) => {
    const value = numbers[name as keyof RemedyNumbers];
    if (value === undefined || value === '') {
      missing = true;
      return '';
    }
    return String(value);
  });
  return missing ? undefined : out;
}

export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

function render(step: RemediationStepDef, stack: string, numbers: RemedyNumbers): RemediationStep {
  // The first candidate whose numbers are all known: the text, then each `otherwise` in turn.
  for (const candidate of [step.text, ...(step.otherwise ?? [])]) {
    const filled = fillTemplate(candidate, numbers);
    if (filled === undefined) continue;
    const out: RemediationStep = { stack, text: filled };
    if (step.source) out.source = step.source;
    if (placeholdersOf(candidate).length > 0) out.fitted = true;
    return out;
  }
  const out: RemediationStep = { stack, text: step.text.replace(PLACEHOLDER, (_, n: string) => `<${n}>`) };
  if (step.source) out.source = step.source;
  return out;
}

/**
 * Orders and fills a cause's steps for an incident. `stacks` are those seen for it; the server
 * is always a candidate (every incident has one), PgBouncer only when seen or when its limit
 * fired.
 */
export function fitRemediation(cause: CauseDef, stacks: readonly string[], numbers: RemedyNumbers = {}): RemediationStep[] {
  const seen = new Set(stacks);
  if (numbers.limit_component === 'PgBouncer') seen.add('pgbouncer');
  const superseded = new Set<string>();
  for (const s of seen) for (const t of stackDef(s)?.supersedes ?? []) if (cause.remediation[s]?.length) superseded.add(t);
  const firing = numbers.limit_component === 'PgBouncer' ? 'pgbouncer' : numbers.limit_component === 'server' ? 'server' : undefined;
  const order: string[] = [];
  if (firing) order.push(firing);
  for (const id of STACK_IDS) {
    if (id === 'server' || id === 'pgbouncer' || !seen.has(id) || superseded.has(id)) continue;
    order.push(id);
  }
  if (seen.has('pgbouncer') && !order.includes('pgbouncer')) order.push('pgbouncer');
  if (!order.includes('server')) order.push('server');
  const steps: RemediationStep[] = [];
  for (const stack of order) for (const step of cause.remediation[stack] ?? []) steps.push(render(step, stack, numbers));
  const clientStep = steps.some((s) => s.stack !== 'server' && s.stack !== 'pgbouncer');
  if (!clientStep) for (const step of cause.remediation.generic ?? []) steps.push(render(step, 'generic', numbers));
  return steps;
}
