/**
 * A compiled copy of the bundled rule pack, written at build time (dist/rules-cache.json), so a
 * run does not parse and validate the same YAML every time (about a third of the start-up).
 * It is used only while the pack's files are byte-for-byte the ones it was made from.
 *
 * Proving that cheaply: the build records each file's name, size and modification time next to
 * a SHA-256 of the names and bytes. A run first compares names, sizes and times (one stat per
 * file); only when any differs does it read and hash the files, and the copy is used if the
 * hash still matches (a `touch`, a checkout, the normalised times of an npm install). A file
 * modified within RACY_MS of the stamp is never trusted by its time: on a file system with
 * coarse timestamps an edit right after the build could keep both size and time (the "racily
 * clean" case git guards against the same way), so such a file is always hashed.
 */
import { promises as fs, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { lazyRegex } from '../rules/regex.js';
import type { CauseDef, Condition, Rule, RulePack } from '../rules/types.js';

export const CACHE_FILE = new URL('../rules-cache.json', import.meta.url);

/** Timestamp granularity allowed for: FAT keeps 2 s, most file systems far finer. */
export const RACY_MS = 2000;

/** One rule file as the build saw it. */
export interface FileStamp {
  file: string;
  size: number;
  mtimeMs: number;
}

/** What a cache was made from: the files' stats, the hash of their names and bytes, and when. */
export interface PackStamp {
  hash: string;
  files: FileStamp[];
  stampedAt: number;
}

interface CacheFile extends PackStamp {
  version: 3;
  causes: CauseDef[];
  rules: Array<Omit<Rule, 'match'> & { match?: unknown }>;
}

/** A hash of every rule file's relative path and bytes. */
export async function hashPackDir(dir: string, files?: string[]): Promise<string> {
  files ??= ruleFiles(dir, '').sort();
  // node:crypto loads here, when the stats did not settle it, not on every start.
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(f + '\0');
    hash.update(await fs.readFile(path.join(dir, f)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The stamp a cache of `dir` records (taken by the build, before it compiles the files). */
export async function stampPackDir(dir: string): Promise<PackStamp> {
  const stampedAt = Date.now();
  const names = ruleFiles(dir, '').sort();
  const files = statFiles(dir, names);
  return { hash: await hashPackDir(dir, names), files, stampedAt };
}

/**
 * Directory reads and stats are synchronous: some 25 small calls, which as promises cost a
 * thread-pool round trip each (3.6 ms here against 0.6 ms).
 */
function statFiles(dir: string, names: string[]): FileStamp[] {
  return names.map((file) => {
    const st = statSync(path.join(dir, file));
    return { file, size: st.size, mtimeMs: st.mtimeMs };
  });
}

/** True when `dir` holds exactly the files of the stamp; stats first, bytes only if they differ. */
export async function packUnchanged(dir: string, stamp: PackStamp): Promise<boolean> {
  const names = ruleFiles(dir, '').sort();
  if (names.length !== stamp.files.length || names.some((n, i) => n !== stamp.files[i].file)) return false;
  const now = statFiles(dir, names);
  const sameStats = now.every((f, i) => {
    const then = stamp.files[i];
    return f.size === then.size && f.mtimeMs === then.mtimeMs && f.mtimeMs < stamp.stampedAt - RACY_MS;
  });
  if (sameStats) return true;
  if (now.some((f, i) => f.size !== stamp.files[i].size)) return false;
  return (await hashPackDir(dir, names)) === stamp.hash;
}

/**
 * The YAML files under `dir` (relative, `/`-separated; hidden entries left out, linked
 * directories followed once). A plain walk: loading fast-glob for this was a tenth of the
 * start-up, and the pack directory needs no patterns.
 */
function ruleFiles(dir: string, rel: string, depth = 0): string[] {
  if (depth > 32) return [];
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const name = rel ? `${rel}/${entry.name}` : entry.name;
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(path.join(dir, name)));
    if (isDir) out.push(...ruleFiles(dir, name, depth + 1));
    else if (/\.ya?ml$/.test(entry.name)) out.push(name);
  }
  return out;
}

/** A broken or unreadable link is no directory (and the files below it are not the pack's). */
function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The cache's content: the pack with every position (rules, causes, conditions, evidence,
 * remediation steps) naming its file relative to `dir`, so the copy holds no path of the
 * machine it was built on and survives moving the package.
 */
export function serializePack(pack: RulePack, stamp: PackStamp, dir: string): CacheFile {
  const data = JSON.parse(
    JSON.stringify({ causes: [...pack.causes.values()], rules: pack.rules.map((r) => ({ ...r, match: r.match ? stripFunctions(r.match) : undefined })) }),
  ) as Pick<CacheFile, 'causes' | 'rules'>;
  eachPosition(data, (pos) => {
    pos.file = path.relative(dir, pos.file).split(path.sep).join('/');
  });
  return { version: 3, ...stamp, ...data };
}

/** Calls `visit` on every source position in pack data (under a `pos` or `overrides` key). */
function eachPosition(x: unknown, visit: (pos: { file: string }) => void): void {
  if (Array.isArray(x)) {
    for (const v of x) eachPosition(v, visit);
  } else if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    for (const k in o) {
      const v = o[k] as { file?: unknown } | null;
      if ((k === 'pos' || k === 'overrides') && typeof v?.file === 'string') visit(v as { file: string });
      else if (v !== null && typeof v === 'object') eachPosition(v, visit);
    }
  }
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
  if (cached.version !== 3 || !(await packUnchanged(dir, cached))) return undefined;
  // A pack has a few dozen files: each is joined once, not once per position.
  const joined = new Map<string, string>();
  const at = (file: string) => joined.get(file) ?? (joined.set(file, path.join(dir, file)), joined.get(file)!);
  eachPosition(cached.causes, (pos) => {
    pos.file = at(pos.file);
  });
  eachPosition(cached.rules, (pos) => {
    pos.file = at(pos.file);
  });
  return {
    causes: new Map(cached.causes.map((c) => [c.id, c])),
    rules: cached.rules.map((r) => ({ ...r, match: r.match ? restore(r.match as Condition) : undefined }) as Rule),
    notices: [],
  };
}
