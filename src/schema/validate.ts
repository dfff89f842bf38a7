/**
 * JSON Schema validation of YAML/JSON documents with positions: ajv reports instance paths
 * (`/rules/3/match`), and the `yaml` document keeps the source range of every node, so each
 * problem is given as `line:column` of the node it is about. Pure: the caller reads the file.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode } from 'yaml';

export interface SchemaProblem {
  line: number;
  column: number;
  /** The instance path ajv reported, e.g. `/rules/3/match`. */
  path: string;
  message: string;
}

const compiled = new WeakMap<object, ValidateFunction>();

/** Compiles a schema once, under ajv's strict mode (unknown keywords and loose types are errors). */
export function compileSchema(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** The YAML node an instance path points at, and whether it is the key of that entry. */
function nodeAt(root: unknown, pointer: string, keyOf?: string): { node?: YamlNode; key?: YamlNode } {
  let node = root;
  const parts = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let key: YamlNode | undefined;
  for (const part of keyOf === undefined ? parts : [...parts, keyOf]) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === part);
      if (!pair) break;
      key = isNode(pair.key) ? pair.key : undefined;
      node = pair.value;
    } else if (isSeq(node)) {
      key = undefined;
      node = node.items[Number(part)];
    } else break;
  }
  return { node: isNode(node) ? node : undefined, key };
}

function describe(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key "${p.additionalProperty}"${where ? ` in ${where}` : ''}`;
    case 'enum':
      return `${where}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required':
      return `${where ? `${where}: ` : ''}missing required key "${p.missingProperty}"`;
    default:
      return `${where ? `${where}: ` : ''}${e.message}`;
  }
}

/**
 * Validates the JSON form of `doc` (or of `root`, a node inside it) and maps each ajv error to
 * a position. For unknown keys the position is the key itself, which is where the typo is.
 */
export function validateDocument(
  validate: ValidateFunction,
  doc: Document,
  lineCounter: LineCounter,
  root: unknown = doc.contents,
  explain?: (e: ErrorObject) => string | undefined,
): SchemaProblem[] {
  const data = isNode(root) ? root.toJSON() : root;
  if (validate(data)) return [];
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    // oneOf/anyOf report every branch; the branch errors say more than the summary.
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') continue;
    const extra = e.keyword === 'additionalProperties' ? String((e.params as { additionalProperty: string }).additionalProperty) : undefined;
    const { node, key } = nodeAt(root, e.instancePath, extra);
    const at = (extra !== undefined ? key : undefined) ?? node;
    const offset = at?.range?.[0] ?? 0;
    const { line, col } = lineCounter.linePos(offset);
    const message = explain?.(e) ?? describe(e);
    const id = `${line}:${col}:${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push({ line, column: col, path: e.instancePath, message });
  }
  return problems;
}
