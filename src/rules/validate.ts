import { lintRemediation, type RemedyFinding } from '../remedy/lint.js';
import { referencedRules } from './expr/index.js';
import type { RulePack, SourcePos } from './types.js';

/**
 * Checks over a whole pack, each a small named unit in the manner of pySigma's validators:
 * what one file may hold is the schema's business (`schema/rules.ts`); these see the pack.
 * `error` validators run whenever a pack is loaded (the pack is refused); `warning` ones are
 * advice that `pgtriage rules lint` reports (`--strict` turns it into a failure) and that
 * `--exclude-validator NAME` skips. `pgtriage rules validators` lists them.
 */
export interface Validator {
  id: string;
  severity: 'error' | 'warning';
  description: string;
  check(pack: RulePack, report: (pos: SourcePos, message: string) => void): void;
}

export const VALIDATORS: readonly Validator[] = [
  {
    id: 'known-rule-references',
    severity: 'error',
    description: 'every rule a `when:` refers to (`rule:<id>`) exists in the pack',
    check(pack, report) {
      const ids = new Set(pack.rules.map((r) => r.id));
      for (const rule of pack.rules) {
        for (const ref of rule.when ? referencedRules(rule.when.ast) : []) {
          if (!ids.has(ref)) report(rule.when!.pos, `rule ${rule.id}: when refers to unknown rule "${ref}"`);
        }
      }
    },
  },
  {
    id: 'known-cause-references',
    severity: 'error',
    description: 'every cause a rule gives evidence for is defined',
    check(pack, report) {
      for (const rule of pack.rules) {
        for (const ev of rule.evidence) {
          if (!pack.causes.has(ev.cause)) {
            report(ev.pos ?? rule.pos, `rule ${rule.id} gives evidence for unknown cause "${ev.cause}" (known: ${[...pack.causes.keys()].sort().join(', ')})`);
          }
        }
      }
    },
  },
  {
    id: 'examples-present',
    severity: 'warning',
    description: 'every rule has at least one `match` and one `nomatch` example',
    check(pack, report) {
      for (const r of pack.rules) {
        if (r.examples.match.length === 0 || r.examples.nomatch.length === 0) {
          report(r.pos, `rule ${r.id} needs at least one "match" and one "nomatch" example`);
        }
      }
    },
  },
  // The remediation checks of remedy/lint.ts, one validator per finding kind.
  ...(
    [
      ['missing-stack', 'every cause has steps (or a `none:` statement) for every stack of the model'],
      ['step-without-source', "every remediation step links the project's own documentation"],
      ['template-without-otherwise', 'a step with {numbers} says what to show when they are unknown'],
      ['unknown-placeholder', 'a step uses only the numbers pgtriage knows ({limit}, {pool_lifetime}, ...)'],
    ] as Array<[RemedyFinding['id'], string]>
  ).map(
    ([id, description]): Validator => ({
      id,
      severity: 'warning',
      description,
      check(pack, report) {
        for (const f of lintRemediation(pack.causes.values())) if (f.id === id) report(f.pos, f.message);
      },
    }),
  ),
];

export interface Finding {
  validator: string;
  severity: Validator['severity'];
  pos: SourcePos;
  message: string;
}

/** The given ids that name no validator. */
export function unknownValidators(ids: readonly string[]): string[] {
  return ids.filter((id) => !VALIDATORS.some((v) => v.id === id));
}

/** Runs the validators of the given severity (all by default), skipping the excluded ids. */
export function validatePack(pack: RulePack, options: { severity?: Validator['severity']; exclude?: readonly string[] } = {}): Finding[] {
  const findings: Finding[] = [];
  for (const v of VALIDATORS) {
    if (options.severity && v.severity !== options.severity) continue;
    if (options.exclude?.includes(v.id)) continue;
    v.check(pack, (pos, message) => findings.push({ validator: v.id, severity: v.severity, pos, message }));
  }
  return findings;
}
