import path from 'node:path';
import { testRulePack, type ExampleFailure } from './rules-test.js';
import type { RulePack } from '../rules/types.js';
import { unknownValidators, VALIDATORS, validatePack } from '../rules/validate.js';
import type { CliOptions } from './args.js';
import { didYouMean, UsageError } from './args.js';
import { sanitizeText } from '../report/sanitize.js';

/**
 * `pgtriage rules list|lint|test|validators`. A pack that loaded has passed the schema and the
 * error validators already, so lint adds the advice ones (rules without examples, remediation
 * without sources...), less those `--exclude-validator` names.
 */
export async function runRulesCommand(options: CliOptions, pack: RulePack): Promise<number> {
  // Rule packs are user files: their ids, examples and paths are shown inert, like log text.
  const out = (s: string) => process.stdout.write(sanitizeText(s));
  for (const notice of pack.notices) out(`note: ${notice}\n`);
  switch (options.rulesAction) {
    case 'list': {
      const rows = pack.rules.map((r) => [
        r.id,
        r.incident ? `incident:${r.incident.sqlstate}` : r.neighbour ? `neighbour:${r.neighbour.sqlstate}` : 'evidence',
        r.evidence.map((e) => `${e.direction === 'for' ? '+' : '-'}${e.cause}(${e.strength})`).join(' ') || '-',
        (r.formats ?? r.origins ?? ['any']).join(','),
        `${relative(r.pos.file)}:${r.pos.line}`,
      ]);
      out(table([['RULE', 'YIELDS', 'EVIDENCE', 'APPLIES TO', 'SOURCE'], ...rows]));
      out(`\n${pack.rules.length} rules, ${pack.causes.size} causes\n`);
      return 0;
    }
    case 'lint': {
      const exclude = options.excludeValidators ?? [];
      for (const id of unknownValidators(exclude)) {
        throw new UsageError(`--exclude-validator: unknown validator "${id}" (see pgtriage rules validators)${didYouMean(id, VALIDATORS.map((v) => v.id))}`);
      }
      for (const id of exclude) {
        if (VALIDATORS.find((v) => v.id === id)?.severity === 'error') {
          throw new UsageError(`--exclude-validator: "${id}" is an error check every pack must pass; only advice validators can be skipped`);
        }
      }
      const findings = validatePack(pack, { severity: 'warning', exclude });
      for (const f of findings) out(`${relative(f.pos.file)}:${f.pos.line}:${f.pos.column}: warning: ${f.message} [${f.validator}]\n`);
      const ran = VALIDATORS.filter((v) => v.severity === 'warning' && !exclude.includes(v.id)).length;
      const excluded = exclude.length ? `, ${new Set(exclude).size} excluded` : '';
      out(`${pack.rules.length} rules and ${pack.causes.size} causes are valid${findings.length ? `; ${findings.length} warning(s)` : ''} (${ran} advice validators run${excluded})\n`);
      return options.strict && findings.length ? 2 : 0;
    }
    case 'validators': {
      const rows = VALIDATORS.map((v) => [v.id, v.severity === 'error' ? 'error (on load)' : 'warning (lint)', v.description]);
      out(table([['VALIDATOR', 'RUNS AS', 'CHECKS'], ...rows]));
      return 0;
    }
    case 'test': {
      const only = options.inputs.map((p) => path.resolve(p));
      const filter = only.length ? (r: { pos: { file: string } }) => only.some((p) => path.resolve(r.pos.file).startsWith(p)) : undefined;
      const result = testRulePack(pack, filter);
      for (const f of result.failures) out(describeFailure(f));
      const passed = result.examples - result.failures.length;
      out(`${result.rules} rules: ${passed} passed, ${result.failures.length} failed\n`);
      return result.failures.length ? 1 : 0;
    }
    default:
      throw new UsageError(`unknown rules command "${options.rulesAction}" (list, lint, test, validators)`);
  }
}

function describeFailure(f: ExampleFailure): string {
  const where = `${relative(f.at.file)}:${f.at.line}:${f.at.column}`;
  const what = f.kind === 'missed' ? 'missed (should match, did not)' : 'unexpected (should not match, did)';
  const example = f.example.split('\n').map((l) => `      | ${l}`).join('\n');
  return `FAIL ${f.rule.id} ${what}\n  at ${where}\n  example:\n${example}\n  read as: ${f.parsedAs}\n\n`;
}

function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}
