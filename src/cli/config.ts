/**
 * Config files: found upward from the working directory (like ESLint and markdownlint-cli2),
 * validated against the shipped JSON Schema with positions, and turned into settings that the
 * option table merges under the command line.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_OPTIONS, camel, checkValue, didYouMean, UsageError, type Origins, type Settings } from './args.js';

/** Looked for in each directory from the working directory up, in this order. */
export const CONFIG_FILES = ['pgtriage.config.yaml', 'pgtriage.config.yml', 'pgtriage.config.json'];

export interface LoadedConfig {
  file?: string;
  values: Settings;
  origins: Origins;
}

export class ConfigError extends UsageError {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** The nearest config file at or above `cwd`, with the package.json key when it is one. */
export function findConfig(cwd: string): { file: string; key?: string } | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const file = path.join(dir, name);
      if (existsSync(file)) return { file };
    }
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const json = JSON.parse(readFileSync(pkg, 'utf8')) as Record<string, unknown>;
        if (json && typeof json === 'object' && 'pgtriage' in json) return { file: pkg, key: 'pgtriage' };
      } catch {
        // A broken package.json that is not ours to read is not a pgtriage problem.
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

const schemaFile = fileURLToPath(new URL('../../schema/config.schema.json', import.meta.url));

/** Reads and validates one config file; every problem is reported as `file:line:column: ...`. */
export async function loadConfig(file: string, key?: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read the config file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  // The yaml parser reads JSON too, and keeps every node's source range for positions.
  const { LineCounter, parseDocument, isMap, isScalar } = await import('yaml');
  const { compileSchema, validateDocument } = await import('../schema/validate.js');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) throw new ConfigError(doc.errors.map((e) => `${at(e.pos[0])}: ${e.message.split('\n')[0]}`));
  let root: unknown = doc.contents;
  if (key) root = isMap(root) ? root.get(key, true) : undefined;
  if (root == null || (isScalar(root) && root.value == null)) return { file, values: {}, origins: {} };
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
  const keys = CONFIG_OPTIONS.map((o) => camel(o.name));
  const problems = validateDocument(compileSchema(schema), doc, lineCounter, {
    root,
    explain: (e) => {
      if (e.keyword !== 'additionalProperties') return undefined;
      const name = String((e.params as { additionalProperty: string }).additionalProperty);
      return `unknown setting "${name}"${didYouMean(name, keys)}`;
    },
  });
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message}`));

  const values: Settings = {};
  const origins: Origins = {};
  const map = root as import('yaml').YAMLMap;
  const errors: string[] = [];
  for (const o of CONFIG_OPTIONS) {
    const k = camel(o.name);
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === k);
    if (!pair) continue;
    const node = pair.value as import('yaml').Node | null;
    const where = at(node?.range?.[0] ?? (pair.key as import('yaml').Node).range?.[0] ?? 0);
    try {
      let value = checkValue(o, node?.toJSON(), `${where}: ${k}`);
      // Paths in a config file are relative to the file, not to wherever pgtriage is run.
      if (o.complete === 'dir' || o.complete === 'file') {
        value = Array.isArray(value) ? value.map((v) => path.resolve(path.dirname(file), v)) : path.resolve(path.dirname(file), String(value));
      }
      values[k] = value;
      origins[k] = where;
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  if (errors.length > 0) throw new ConfigError(errors);
  return { file, values, origins };
}

/** `--print-config`: one line per setting with its value and where it came from. */
export function printConfig(config: { file?: string; how: string }, settings: Settings, origins: Origins): string {
  // The settings of the command at hand, in the order of the option table.
  const rows = Object.keys(settings).map((k) => {
    const v = settings[k];
    return [k, v === undefined ? '(unset)' : JSON.stringify(v), origins[k] ?? 'default'];
  });
  const width = Math.max(...rows.map((r) => r[0].length));
  const vwidth = Math.min(40, Math.max(...rows.map((r) => r[1].length)));
  return `config: ${config.file ?? 'none'} (${config.how})\n` + rows.map(([k, v, o]) => `${k.padEnd(width)}  ${v.padEnd(vwidth)}  ${o}`).join('\n') + '\n';
}

/** `--no-config`: none; `--config PATH`: that file; otherwise the nearest one upward from cwd. */
export async function readConfig(choice: string | false | undefined): Promise<{ config?: LoadedConfig; how: string }> {
  if (choice === false) return { how: '--no-config' };
  if (typeof choice === 'string') {
    const key = /(^|[\\/])package\.json$/.test(choice) ? 'pgtriage' : undefined;
    return { config: await loadConfig(choice, key), how: '--config' };
  }
  const found = findConfig(process.cwd());
  if (!found) return { how: 'none found upward from the working directory' };
  return { config: await loadConfig(found.file, found.key), how: found.key ? 'the "pgtriage" key, found upward' : 'found upward from the working directory' };
}
