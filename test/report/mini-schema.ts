/**
 * A minimal JSON Schema 2020-12 validator for the keywords schema/report.schema.json uses.
 * It throws on any other keyword, so the schema cannot quietly rely on one it ignores.
 */
export interface SchemaError {
  path: string;
  message: string;
}

type Schema = Record<string, unknown> | boolean;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$comment', 'examples', 'default', 'format', '$defs']);
const HANDLED = new Set([
  '$ref',
  'type',
  'required',
  'properties',
  'additionalProperties',
  'propertyNames',
  'items',
  'enum',
  'const',
  'minimum',
  'maximum',
  'minLength',
  'pattern',
  'allOf',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

export function validate(root: Record<string, unknown>, value: unknown, start: Schema = root): SchemaError[] {
  const errors: SchemaError[] = [];
  const resolve = (ref: string): Schema => {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
    return node as Schema;
  };
  const walk = (schema: Schema, v: unknown, path: string): void => {
    if (schema === true) return;
    if (schema === false) {
      errors.push({ path, message: 'not allowed' });
      return;
    }
    for (const k of Object.keys(schema)) {
      if (!ANNOTATIONS.has(k) && !HANDLED.has(k)) throw new Error(`mini-schema: unsupported keyword ${k} at ${path}`);
    }
    if (typeof schema.$ref === 'string') walk(resolve(schema.$ref), v, path);
    if (Array.isArray(schema.allOf)) for (const s of schema.allOf as Schema[]) walk(s, v, path);
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((t) => typeMatches(v, t))) {
        errors.push({ path, message: `expected ${types.join('|')}, got ${typeOf(v)}` });
        return;
      }
    }
    if ('const' in schema && v !== schema.const) errors.push({ path, message: `expected const ${JSON.stringify(schema.const)}` });
    if (Array.isArray(schema.enum) && !schema.enum.includes(v)) errors.push({ path, message: `${JSON.stringify(v)} not in enum` });
    if (typeof v === 'number') {
      if (typeof schema.minimum === 'number' && v < schema.minimum) errors.push({ path, message: `${v} < ${schema.minimum}` });
      if (typeof schema.maximum === 'number' && v > schema.maximum) errors.push({ path, message: `${v} > ${schema.maximum}` });
    }
    if (typeof v === 'string') {
      if (typeof schema.minLength === 'number' && [...v].length < schema.minLength) errors.push({ path, message: 'too short' });
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(v)) errors.push({ path, message: `does not match ${schema.pattern}` });
    }
    if (Array.isArray(v) && schema.items !== undefined) v.forEach((item, i) => walk(schema.items as Schema, item, `${path}[${i}]`));
    if (typeOf(v) === 'object') {
      const obj = v as Record<string, unknown>;
      if (Array.isArray(schema.required)) {
        for (const k of schema.required as string[]) if (!(k in obj)) errors.push({ path, message: `missing required ${k}` });
      }
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      for (const [k, child] of Object.entries(obj)) {
        if (schema.propertyNames !== undefined) walk(schema.propertyNames as Schema, k, `${path}{${k}}`);
        if (k in props) walk(props[k]!, child, `${path}.${k}`);
        else if (schema.additionalProperties !== undefined) walk(schema.additionalProperties as Schema, child, `${path}.${k}`);
      }
    }
  };
  walk(start, value, '$');
  return errors;
}
