/**
 * A compiled copy of the bundled rule pack, written at build time (dist/rules-cache.json), so a
 * run does not parse and validate the same YAML every time (about a third of the start-up).
 * It is used only while the pack's files are byte-for-byte the ones it was made from.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { lazyRegex } from '../rules/regex.js';
import type { CauseDef, Condition, Rule, RulePack } from '../rules/types.js';

export const CACHE_FILE = new URL('../rules-cache.json', import.meta.url);

interface CacheFile {
  version: 1;
  hash: string;
  causes: CauseDef[];
  rules: Array<Omit<Rule, 'match'> & { match?: unknown }>;
}

/** A hash of every rule file's relative path and bytes. */
export async function hashPackDir(dir: string): Promise<string> {
  const files = (await ruleFiles(dir, '')).sort();
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(f + '\0');
    hash.update(await fs.readFile(path.join(dir, f)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * The YAML files under `dir` (relative, `/`-separated; hidden entries left out, linked
 * directories followed once). A plain walk: loading fast-glob for this was a tenth of the
 * start-up, and the pack directory needs no patterns.
 */
async function ruleFiles(dir: string, rel: string, depth = 0): Promise<string[]> {
  if (depth > 32) return [];
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const name = rel ? `${rel}/${entry.name}` : entry.name;
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await fs.stat(path.join(dir, name)).catch(() => undefined))?.isDirectory());
    if (isDir) out.push(...(await ruleFiles(dir, name, depth + 1)));
    else if (/\.ya?ml$/.test(entry.name)) out.push(name);
  }
  return out;
}

export function serializePack(pack: RulePack, hash: string): CacheFile {
  return {
    version: 1,
    hash,
    causes: [...pack.causes.values()],
    rules: pack.rules.map((r) => ({ ...r, match: r.match ? stripFunctions(r.match) : undefined })),
  };
}

function stripFunctions(c: Condition): unknown {
  switch (c.kind) {
    case 'regex':
      return { kind: 'regex', source: c.source, pos: c.pos };
    case 'all':
    case 'any':
      return { ...c, items: c.items.map(stripFunctions) };
    case 'not':
      return { ...c, item: stripFunctions(c.item) };
    default:
      return c;
  }
}

function restore(c: Condition): Condition {
  switch (c.kind) {
    case 'regex':
      return { ...c, test: lazyRegex(c.source) };
    case 'all':
    case 'any':
      return { ...c, items: c.items.map(restore) };
    case 'not':
      return { ...c, item: restore(c.item) };
    default:
      return c;
  }
}

/** The cached default pack, or undefined when there is none or the rule files changed. */
export async function readCachedPack(dir: string, file: URL | string = CACHE_FILE): Promise<RulePack | undefined> {
  let cached: CacheFile;
  try {
    cached = JSON.parse(await fs.readFile(file, 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (cached.version !== 1 || cached.hash !== (await hashPackDir(dir))) return undefined;
  // Positions name files relative to the pack so the cache survives moving the package.
  const rebase = <T extends { pos: { file: string } }>(x: T): T => ({ ...x, pos: { ...x.pos, file: path.join(dir, x.pos.file) } });
  return {
    causes: new Map(cached.causes.map((c) => [c.id, rebase(c)])),
    rules: cached.rules.map((r) => rebase({ ...r, match: r.match ? restore(r.match as Condition) : undefined } as Rule)),
    notices: [],
  };
}
