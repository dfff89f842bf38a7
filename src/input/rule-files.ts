import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { RuleError, RulePackError } from '../rules/errors.js';
import { checkPack, loadRuleText } from '../rules/read.js';
import type { RulePack, SourcePos } from '../rules/types.js';
import { readCachedPack } from './rule-cache.js';

/**
 * Loading rule packs from disk: files found by glob, size-capped and read here, then handed to
 * the pure reader (`rules/read.ts`); the bundled pack comes from its build-time compiled copy.
 */

/** The default pack shipped in the package's `rules/` folder. */
export const DEFAULT_RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));

/** Rule files larger than this are refused: a pack is small text, not data. */
const MAX_RULE_FILE_BYTES = 1 << 20;

/** Loads packs in order; a later pack may replace an earlier pack's rule or cause by id. */
export async function loadRulePacks(dirs: string[], options: { cache?: boolean } = {}): Promise<RulePack> {
  let pack: RulePack = { causes: new Map(), rules: [], notices: [] };
  const errors: RuleError[] = [];
  const rest = dirs.slice();
  // The bundled pack, unchanged since the build, comes from its compiled copy.
  if (options.cache !== false && rest[0] === DEFAULT_RULES_DIR) {
    const cached = await readCachedPack(DEFAULT_RULES_DIR).catch(() => undefined);
    if (cached) {
      pack = cached;
      rest.shift();
    }
  }
  for (const dir of rest) {
    const files = await listRuleFiles(dir, errors);
    const seenInPack = new Map<string, SourcePos>();
    for (const file of files) {
      let text: string;
      try {
        const stat = await fs.stat(file);
        if (stat.size > MAX_RULE_FILE_BYTES) {
          errors.push(new RuleError({ file, line: 1, column: 1 }, `rule file is larger than ${MAX_RULE_FILE_BYTES} bytes`));
          continue;
        }
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        errors.push(new RuleError({ file, line: 1, column: 1 }, `cannot read rule file: ${(error as Error).message}`));
        continue;
      }
      loadRuleText(text, file, pack, seenInPack, errors);
    }
  }
  checkPack(pack, errors);
  if (errors.length) throw new RulePackError(errors);
  return pack;
}

async function listRuleFiles(dir: string, errors: RuleError[]): Promise<string[]> {
  try {
    const stat = await fs.stat(dir);
    if (stat.isFile()) return [dir];
  } catch (error) {
    errors.push(new RuleError({ file: dir, line: 1, column: 1 }, `cannot read rule pack: ${(error as Error).message}`));
    return [];
  }
  const files = await fg('**/*.{yaml,yml}', { cwd: dir, onlyFiles: true, absolute: false });
  files.sort();
  return files.map((f) => path.join(dir, f));
}
