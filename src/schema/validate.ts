/**
 * JSON Schema validation of YAML/JSON documents with positions: ajv reports instance paths
 * (`/rules/3/match`), and the `yaml` document keeps the source range of every node, so each
 * problem is given as `line:column` of the node it is about. Pure: the caller reads the file.
 *
 * ajv reports every failed branch of an `anyOf`/`oneOf`; a reader wants the one branch they
 * meant, so branches whose type did not even match are dropped, and branches that all failed
 * on type become one "must be a string or a list" message.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode } from 'yaml';
import { didYouMean } from './suggest.js';

export interface SchemaProblem {
  line: number;
  column: number;
  /** The instance path ajv reported, e.g. `/rules/3/match`. */
  path: string;
  message: string;
}

const compiled = new WeakMap<object, ValidateFunction>();
/** Per compiled schema, a lenient twin that validates single branches (needed only for messages). */
const twins = new WeakMap<ValidateFunction, { schema: object; ajv?: Ajv2020; pointers?: Map<unknown, string> }>();

/** Compiles a schema once, under ajv's strict mode (unknown keywords and loose types are errors). */
export function compileSchema(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    // verbose: errors carry the schema they failed, whose descriptions and key lists make the messages.
    const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, verbose: true });
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
    twins.set(validate, { schema });
  }
  return validate;
}

/**
 * A validator for the `n`th branch of a failed anyOf/oneOf. ajv's schema paths are relative to
 * the `$ref` they are under, so the branch is found by identity (verbose errors carry the very
 * array of branches) and addressed by its absolute pointer, which keeps its `$ref`s resolving.
 * Out of context a branch such as `{ required: [match] }` lacks the `type` strict mode asks
 * for, so the twin is lenient; it only re-checks data the strict validator has judged already.
 */
function branchValidator(validate: ValidateFunction, branches: unknown, n: number): ValidateFunction | undefined {
  const twin = twins.get(validate);
  const id = (twin?.schema as { $id?: unknown } | undefined)?.$id;
  if (!twin || typeof id !== 'string') return undefined;
  if (!twin.ajv) {
    twin.ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true, verbose: true });
    twin.ajv.addSchema(twin.schema);
    twin.pointers = new Map();
    const walk = (node: unknown, pointer: string) => {
      if (!node || typeof node !== 'object') return;
      twin.pointers!.set(node, pointer);
      for (const [k, v] of Object.entries(node)) walk(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    };
    walk(twin.schema, '#');
  }
  const at = twin.pointers!.get(branches);
  return at === undefined ? undefined : twin.ajv.getSchema(`${id}${at}/${n}`);
}

/** The YAML node an instance path points at, and the key node of the last step when it has one. */
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

const TYPE_WORDS: Record<string, string> = { string: 'a string', array: 'a list', object: 'a mapping', number: 'a number', integer: 'an integer', boolean: 'true or false' };

/** One problem before positioning: where (instance path), what, and for unknown keys the key. */
interface Draft {
  path: string;
  message: string;
  key?: string;
  /** For a type error, what was expected in words (joined when every branch failed on type). */
  type?: string;
  /** A pattern error without a description of its own (its branching may have one). */
  pattern?: boolean;
}

type SchemaNode = Record<string, unknown>;

function draftOf(e: ErrorObject): Draft {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys(((e.parentSchema as SchemaNode)?.properties as object) ?? {});
      return { path: e.instancePath, key, message: `unknown key "${key}"${allowed.length ? ` (allowed: ${allowed.join(', ')})${didYouMean(key, allowed)}` : ''}` };
    }
    case 'propertyNames':
      return { path: e.instancePath, key: String(p.propertyName), message: `unknown key "${p.propertyName}"` };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return { path: e.instancePath, message: `must be one of ${allowed.join(', ')}${typeof e.data === 'string' ? didYouMean(e.data, allowed) : ''}` };
    }
    case 'required':
      return { path: e.instancePath, message: `missing required key "${p.missingProperty}"` };
    case 'type': {
      const type = String(p.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      return { path: e.instancePath, message: `must be ${type}`, type };
    }
    case 'pattern': {
      const description = (e.parentSchema as SchemaNode)?.description;
      if (typeof description === 'string') return { path: e.instancePath, message: `must be ${lowerFirst(description)}` };
      return { path: e.instancePath, message: e.message ?? 'does not match its pattern', pattern: true };
    }
    case 'oneOf':
      return { path: e.instancePath, message: exactlyOne(e) };
    case 'not':
      return { path: e.instancePath, message: String((e.parentSchema as SchemaNode)?.description ?? 'is not allowed here') };
    default:
      return { path: e.instancePath, message: e.message ?? e.keyword };
  }
}

const isBranching = (e: ErrorObject) => e.keyword === 'anyOf' || (e.keyword === 'oneOf' && (e.params as { passingSchemas: unknown }).passingSchemas == null);

/** Segments of an instance path: how deep a branch got before it failed. */
const depth = (path: string) => (path === '' ? 0 : path.split('/').length - 1);

/**
 * Turns ajv's flat error list into drafts. ajv emits a failed anyOf/oneOf right after the
 * errors of its branches; each branch is validated again on its own (same ajv, so `$ref`s
 * resolve) to know how many of the preceding errors are its, and what they are. The branches
 * that got past the type test speak, the deepest first; if none did, their types are joined.
 */
function draftsOf(errors: readonly ErrorObject[], branchOf: (branches: unknown, n: number) => ValidateFunction | undefined): Draft[] {
  const out: Draft[] = [];
  for (let i = errors.length - 1; i >= 0; i--) {
    const b = errors[i];
    if (!isBranching(b)) {
      if (b.keyword !== 'if') out.push(draftOf(b));
      continue;
    }
    const branches: Draft[][] = [];
    let total = 0;
    const count = Array.isArray(b.schema) ? b.schema.length : 0;
    for (let n = 0; n < count; n++) {
      const validate = branchOf(b.schema, n);
      if (!validate || validate(b.data)) continue;
      const own = (validate.errors ?? []).map((e) => ({ ...e, instancePath: b.instancePath + e.instancePath }));
      total += own.length;
      branches.push(draftsOf(own, branchOf));
    }
    i -= total;
    out.push(...chooseBranch(b, branches));
  }
  return out.reverse();
}

function chooseBranch(b: ErrorObject, branches: Draft[][]): Draft[] {
  const typeOnly = (list: Draft[]) => list.every((d) => d.path === b.instancePath && d.type !== undefined);
  const matched = branches.filter((list) => list.length && !typeOnly(list));
  const description = (b.parentSchema as SchemaNode | undefined)?.description;
  if (matched.length === 0) {
    const types = [...new Set(branches.flat().map((d) => d.type).filter((t) => t !== undefined))];
    return types.length ? [{ path: b.instancePath, message: `must be ${types.join(' or ')}` }] : [draftOf(b)];
  }
  // A rule-level constraint (an allOf entry): its description is the message.
  if (/\/allOf\/\d+\/(anyOf|oneOf)$/.test(b.schemaPath) && typeof description === 'string') return [{ path: b.instancePath, message: description }];
  const deepest = Math.max(...matched.map((list) => Math.max(...list.map((d) => depth(d.path)))));
  const chosen = matched.filter((list) => list.some((d) => depth(d.path) === deepest)).flat();
  // A pattern failure would quote the regex; the value's description says what was meant.
  return chosen.map((d) => (d.pattern && typeof description === 'string' ? { path: d.path, message: `must be ${lowerFirst(description)}` } : d));
}

/** A oneOf that several branches satisfied: say which keys exclude each other. */
function exactlyOne(e: ErrorObject): string {
  const branches = (e.schema as SchemaNode[]) ?? [];
  const keys = branches.flatMap((b) => (Array.isArray(b.required) ? (b.required as string[]) : []));
  return keys.length === branches.length ? `needs exactly one of ${keys.map((k) => `"${k}"`).join(' or ')}` : 'matches more than one of its allowed forms';
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The default subject of a message: the dotted path of the value, e.g. `rules.2.match: `. */
export function dottedPath(path: string): string {
  return path === '' ? '' : `${path.slice(1).replace(/\//g, '.')}: `;
}

export interface ValidateOptions {
  /** The node to validate (default: the document's contents). */
  root?: unknown;
  /** May replace the message of an error it knows better (config files name options). */
  explain?: (e: ErrorObject) => string | undefined;
  /** How a message names what it is about, from the instance path and the document's data. */
  subject?: (path: string, data: unknown) => string;
}

/**
 * Validates the JSON form of `doc` (or of `root`, a node inside it) and maps each ajv error to
 * a position. For unknown keys the position is the key itself, which is where the typo is.
 */
export function validateDocument(
  validate: ValidateFunction,
  doc: Document,
  lineCounter: LineCounter,
  options: ValidateOptions = {},
): SchemaProblem[] {
  const { root = doc.contents, explain, subject = dottedPath } = options;
  const data = isNode(root) ? root.toJSON() : root;
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const explained = explain ? errors.map((e) => ({ e, text: explain(e) })).filter((x) => x.text !== undefined) : [];
  const drafts: Array<Draft & { raw: boolean }> = [
    ...explained.map(({ e, text }) => ({ path: e.instancePath, message: text!, key: e.keyword === 'additionalProperties' ? String((e.params as { additionalProperty: string }).additionalProperty) : undefined, raw: true })),
    ...draftsOf(
      errors.filter((e) => !explained.some((x) => x.e === e)),
      (branches, n) => branchValidator(validate, branches, n),
    ).map((d) => ({ ...d, raw: false })),
  ];
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const d of drafts) {
    const { node, key } = nodeAt(root, d.path, d.key);
    const at = (d.key !== undefined ? key : undefined) ?? node;
    const { line, col } = lineCounter.linePos(at?.range?.[0] ?? 0);
    const message = d.raw ? d.message : `${subject(d.path, data)}${d.message}`;
    const id = `${line}:${col}:${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push({ line, column: col, path: d.path, message });
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
