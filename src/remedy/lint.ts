/**
 * Checks of a pack's remediation that `rules lint` reports: every cause covers every stack of
 * the model (with steps or an explicit `none:` statement), every step names its source, and a
 * step with placeholders says what to show when the numbers are unknown. Pure.
 */
import type { CauseDef, SourcePos } from '../rules/types.js';
import { placeholdersOf } from './fit.js';
import type { RemedyNumbers } from './numbers.js';
import { STACK_IDS } from './stacks.js';

export interface RemedyFinding {
  id: 'missing-stack' | 'step-without-source' | 'template-without-otherwise' | 'unknown-placeholder';
  cause: string;
  stack?: string;
  pos: SourcePos;
  message: string;
}

/** The placeholders a template may use: the keys of RemedyNumbers. */
export const PLACEHOLDERS: ReadonlyArray<keyof RemedyNumbers> = [
  'limit', 'limit_setting', 'limit_component', 'pool_lifetime', 'pool_setting', 'target', 'target_ms', 'keepalive_idle',
];

export function lintRemediation(causes: Iterable<CauseDef>): RemedyFinding[] {
  const out: RemedyFinding[] = [];
  const known = new Set<string>(PLACEHOLDERS);
  for (const cause of causes) {
    for (const stack of STACK_IDS) {
      if (!cause.remediation[stack]?.length) {
        out.push({ id: 'missing-stack', cause: cause.id, stack, pos: cause.pos, message: `cause ${cause.id} has no remediation for stack ${stack} (add steps, or a "none:" statement saying what to do instead)` });
      }
    }
    for (const [stack, steps] of Object.entries(cause.remediation)) {
      for (const step of steps) {
        const pos = step.pos ?? cause.pos;
        if (!step.source) out.push({ id: 'step-without-source', cause: cause.id, stack, pos, message: `a ${stack} step of ${cause.id} has no source: link the project's own documentation of the setting` });
        const names = [step.text, ...(step.otherwise ?? [])].flatMap(placeholdersOf);
        for (const name of names) if (!known.has(name)) out.push({ id: 'unknown-placeholder', cause: cause.id, stack, pos, message: `{${name}} is not a known number (${PLACEHOLDERS.join(', ')})` });
        const last = step.otherwise?.at(-1) ?? step.text;
        if (placeholdersOf(last).length && !step.none) out.push({ id: 'template-without-otherwise', cause: cause.id, stack, pos, message: `a ${stack} step of ${cause.id} uses numbers but has no "otherwise:" text without numbers for when they are unknown` });
      }
    }
  }
  return out;
}
