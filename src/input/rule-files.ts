import { promises as fs, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleError, RulePackError } from '../rules/errors.js';
import type { RulePack, SourcePos } from '../rules/types.js';
import { readCachedPack } from './rule-cache.js';
import { type Said, say } from '../messages/say.js';

/**
 * Loading rule packs from disk: files found by glob, size-capped and read here, then handed to
 * the pure reader (`rules/read.ts`); the bundled pack comes from its build-time compiled copy.
 */

/** The default pack shipped in the package's `rules/` folder. */
export const DEFAULT_RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));

/** Rule files larger than this are refused: a pack is small text, not data. */
const MAX_RULE_FILE_BYTES = 1 << 20;

/** Directory levels walked below a pack's root: a pack is a few folders, not a file system. */
const MAX_PACK_DEPTH = 16;

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
  // The cached pack was checked when it was built: alone, it needs neither the reader nor the checks.
  if (dirs.length > 0 && rest.length === 0) return pack;
  // The reader (yaml, ajv, the `when:` grammar) is loaded only when there are files to read.
  const { checkPack, loadRuleText } = await import('../rules/read.js');
  for (const dir of rest) {
    const files = await listRuleFiles(dir, errors, pack.notices);
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

/**
 * The rule files of a pack directory, walked here rather than by a glob that follows links
 * blindly: a symbolic link is followed once, and a link back to a directory already on the walk
 * (`ln -s .. up`) is a loop, skipped with one notice, so a pack is never read again through
 * nested paths (40 duplicate-id errors). A file reached by two paths is read once; names
 * starting with a dot are skipped as before.
 */
async function listRuleFiles(dir: string, errors: RuleError[], notices: Said[]): Promise<string[]> {
  let top: Stats;
  try {
    top = await fs.stat(dir);
    if (top.isFile()) return [dir];
  } catch (error) {
    errors.push(new RuleError({ file: dir, line: 1, column: 1 }, `cannot read rule pack: ${(error as Error).message}`));
    return [];
  }
  const found: string[] = [];
  const seenFiles = new Set<string>();
  const id = (s: Stats) => `${s.dev}:${s.ino}`;
  const walk = async (rel: string, onPath: ReadonlySet<string>, depth: number): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
    } catch (error) {
      errors.push(new RuleError({ file: path.join(dir, rel), line: 1, column: 1 }, `cannot read rule pack directory: ${(error as Error).message}`));
      return;
    }
    // Sorted, so which of two paths to one file is kept does not depend on the file system.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      let target: Stats;
      try {
        target = await fs.stat(path.join(dir, relPath));
      } catch {
        if (e.isSymbolicLink()) notices.push(say('warning.rule-pack-broken-link', { pack: dir, entry: relPath }));
        continue;
      }
      if (target.isDirectory()) {
        if (onPath.has(id(target)) || depth >= MAX_PACK_DEPTH) {
          notices.push(say('warning.rule-pack-loop', { pack: dir, entry: relPath }));
          continue;
        }
        await walk(relPath, new Set([...onPath, id(target)]), depth + 1);
      } else if (target.isFile() && /\.ya?ml$/.test(e.name) && !seenFiles.has(id(target))) {
        seenFiles.add(id(target));
        found.push(relPath);
      }
    }
  };
  await walk('', new Set([id(top)]), 0);
  found.sort();
  return found.map((f) => path.join(dir, f));
}
