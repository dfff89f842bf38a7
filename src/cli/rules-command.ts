import type { RulePack } from '../rules/types.js';
import type { CliOptions } from './args.js';
import { UsageError } from './args.js';

/** `pgtriage rules list|lint`: a pack that loaded has already passed lint. */
export async function runRulesCommand(options: CliOptions, pack: RulePack): Promise<number> {
  switch (options.rulesAction) {
    case 'list': {
      const rows = pack.rules.map((r) => [
        r.id,
        r.incident ? `incident ${r.incident.sqlstate}` : r.neighbour ? `neighbour ${r.neighbour.sqlstate}` : '',
        r.evidence.map((e) => `${e.direction === 'for' ? '+' : '-'}${e.cause}`).join(' '),
        `${r.pos.file}:${r.pos.line}`,
      ]);
      process.stdout.write(rows.map((r) => r.join('\t')).join('\n') + '\n');
      return 0;
    }
    case 'lint':
      process.stdout.write(`${pack.rules.length} rules and ${pack.causes.size} causes are valid\n`);
      return 0;
    default:
      throw new UsageError(`unknown rules command "${options.rulesAction}" (list, lint, test)`);
  }
}
