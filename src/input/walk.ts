/**
 * Directory walks. A walked tree is full of things that are not logs (a dbt project's compiled
 * SQL and manifest, a virtualenv, the scripts that wrote the logs); they are skipped by a
 * default ignore list and by `.pgtriageignore` files (gitignore syntax, one per directory,
 * applying below it), and every skip is returned with its reason so it can be counted and
 * explained. Symbolic links are followed once: a directory already walked (by its device and
 * inode) is not walked again, which also ends loops.
 */
import { promises as fs, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Why a walked entry was not read. Stable ids: they are `stats.skippedByReason` keys. */
export type SkipReason =
  | 'vcs'
  | 'dependencies'
  | 'build-output'
  | 'source-code'
  | 'documentation'
  | 'pgtriageignore'
  | 'excluded'
  | 'hidden'
  | 'special-file'
  | 'symlink'
  | 'symlink-loop'
  | 'broken-symlink'
  | 'duplicate'
  | 'unreadable';

export interface SkippedEntry {
  path: string;
  reason: SkipReason;
  /** The pattern or file that decided it, for `--explain`. */
  detail?: string;
  directory?: boolean;
}

/** The default ignore list, by reason; gitignore syntax relative to the walked directory. */
export const DEFAULT_IGNORES: ReadonlyArray<{ reason: SkipReason; patterns: string[] }> = [
  { reason: 'vcs', patterns: ['.git/', '.hg/', '.svn/', '.bzr/', '_darcs/', 'CVS/'] },
  { reason: 'dependencies', patterns: ['node_modules/', 'dbt_packages/', 'dbt_modules/', 'bower_components/', 'vendor/', '.venv/', 'venv/', '__pycache__/', 'site-packages/', '.tox/'] },
  // dbt writes the SQL it compiled and its project graph under target/; the run's results
  // (target/run_results.json) are evidence and stay.
  { reason: 'build-output', patterns: ['**/target/compiled/', '**/target/run/', 'manifest.json', 'graph.gpickle', 'partial_parse.msgpack', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'poetry.lock'] },
  {
    reason: 'source-code',
    patterns: ['*.sql', '*.py', '*.pyc', '*.sh', '*.bash', '*.zsh', '*.ps1', '*.bat', '*.cmd', '*.js', '*.mjs', '*.cjs', '*.ts', '*.tsx', '*.jsx', '*.java', '*.kt', '*.scala', '*.go', '*.rb', '*.php', '*.pl', '*.pm', '*.c', '*.h', '*.cc', '*.cpp', '*.hpp', '*.rs', '*.cs', '*.swift', '*.r', '*.jinja', '*.j2', '*.ipynb', 'Makefile', 'Dockerfile'],
  },
  { reason: 'documentation', patterns: ['*.md', '*.rst', '*.adoc', '*.expected.json', 'LICENSE', 'COPYING'] },
];

export const IGNORE_FILE = '.pgtriageignore';

export interface WalkOptions {
  /** false: the default list and `.pgtriageignore` files are not applied (`--no-ignore`). */
  ignore?: boolean;
  followSymlinks?: boolean;
  /** `!pattern` arguments: excluded when they match the path relative to the walk or to cwd. */
  exclude?: string[];
}

interface Layer {
  /** The directory the patterns are relative to. */
  base: string;
  ig: Ignore;
  reason: SkipReason;
  detail: (pattern: string) => string;
}

const defaultLayers = (root: string): Layer[] =>
  DEFAULT_IGNORES.map(({ reason, patterns }) => ({ base: root, ig: ignore().add(patterns), reason, detail: (p) => `default ignore ${p}` }));

/**
 * Lists the files under `root` to read (sorted by relative path, as a listing would be) and
 * every entry skipped, each with its reason.
 */
export async function walkDirectory(root: string, options: WalkOptions = {}): Promise<{ files: string[]; skipped: SkippedEntry[] }> {
  const useIgnores = options.ignore !== false;
  const follow = options.followSymlinks !== false;
  const files: { rel: string; full: string; real?: string }[] = [];
  const skipped: SkippedEntry[] = [];
  const walkedDirs = new Set<string>();
  const exclude = options.exclude?.length ? ignore().add(options.exclude.map((p) => p.replace(/^\.\//, ''))) : undefined;

  const identity = (s: Stats) => `${s.dev}:${s.ino}`;
  const rootStat = await fs.stat(root);
  walkedDirs.add(identity(rootStat));

  const decide = (layers: Layer[], full: string, isDir: boolean): SkippedEntry | undefined => {
    let verdict: SkippedEntry | undefined;
    for (const layer of layers) {
      const rel = path.relative(layer.base, full).split(path.sep).join('/') + (isDir ? '/' : '');
      const t = layer.ig.test(rel);
      if (t.ignored) verdict = { path: full, reason: layer.reason, detail: layer.detail(t.rule?.pattern ?? ''), directory: isDir };
      else if (t.unignored) verdict = undefined;
    }
    return verdict;
  };

  const visit = async (dir: string, layers: Layer[], ancestors: Set<string>): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: dir, reason: 'unreadable', detail: (error as NodeJS.ErrnoException).code, directory: true });
      return;
    }
    let here = layers;
    if (useIgnores && entries.some((e) => e.name === IGNORE_FILE && !e.isDirectory())) {
      const file = path.join(dir, IGNORE_FILE);
      try {
        const text = await fs.readFile(file, 'utf8');
        here = [...layers, { base: dir, ig: ignore().add(text), reason: 'pgtriageignore', detail: (p) => `${file}: ${p}` }];
      } catch (error) {
        skipped.push({ path: file, reason: 'unreadable', detail: (error as NodeJS.ErrnoException).code });
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.name === IGNORE_FILE && useIgnores) continue; // read above, not a log
      let isDir = entry.isDirectory();
      let stat: Stats | undefined;
      if (entry.isSymbolicLink()) {
        if (!follow) {
          skipped.push({ path: full, reason: 'symlink', detail: '--no-follow-symlinks' });
          continue;
        }
        try {
          stat = await fs.stat(full);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          skipped.push({ path: full, reason: code === 'ELOOP' ? 'symlink-loop' : 'broken-symlink', detail: code });
          continue;
        }
        isDir = stat.isDirectory();
      }
      const relToRoot = path.relative(root, full).split(path.sep).join('/');
      if (entry.name.startsWith('.')) {
        // VCS folders are hidden too; the ignore list names them more precisely.
        const vcs = useIgnores ? decide(here.slice(0, 1), full, isDir) : undefined;
        skipped.push(vcs ?? { path: full, reason: 'hidden', detail: 'name starts with a dot', directory: isDir });
        continue;
      }
      if (exclude) {
        const relToCwd = path.relative(process.cwd(), full).split(path.sep).join('/');
        const suffix = isDir ? '/' : '';
        const hit = [relToRoot + suffix, relToCwd + suffix].find((p) => !p.startsWith('..') && exclude.ignores(p));
        if (hit) {
          skipped.push({ path: full, reason: 'excluded', detail: 'a ! argument', directory: isDir });
          continue;
        }
      }
      if (useIgnores) {
        const verdict = decide(here, full, isDir);
        if (verdict) {
          skipped.push(verdict);
          continue;
        }
      }
      if (isDir) {
        stat ??= await fs.stat(full).catch(() => undefined);
        if (!stat) {
          skipped.push({ path: full, reason: 'unreadable', directory: true });
          continue;
        }
        const id = identity(stat);
        if (walkedDirs.has(id)) {
          // A link back to a directory above is a loop; any other is a second way in.
          const loop = ancestors.has(id);
          skipped.push({ path: full, reason: loop ? 'symlink-loop' : 'duplicate', detail: loop ? 'links to a directory above it' : 'directory already walked by another path', directory: true });
          continue;
        }
        walkedDirs.add(id);
        await visit(full, here, new Set([...ancestors, id]));
        continue;
      }
      if (!entry.isFile() && !stat?.isFile()) {
        skipped.push({ path: full, reason: 'special-file', detail: 'not a regular file (pipe, socket or device)' });
        continue;
      }
      files.push({ rel: relToRoot, full, real: stat ? await fs.realpath(full).catch(() => undefined) : undefined });
    }
  };
  await visit(root, useIgnores ? defaultLayers(root) : [], new Set(walkedDirs));
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  // A link to a file that is also listed (or linked twice) is read once, as the plain path.
  const seen = new Set(files.filter((f) => !f.real).map((f) => path.resolve(f.full)));
  const kept: string[] = [];
  for (const f of files) {
    if (f.real) {
      if (seen.has(f.real)) {
        skipped.push({ path: f.full, reason: 'duplicate', detail: `a link to ${f.real}, read once` });
        continue;
      }
      seen.add(f.real);
    }
    kept.push(f.full);
  }
  return { files: kept, skipped };
}
