import { CONFIG_OPTIONS, camel, type OptionSpec } from './args.js';

/**
 * The JSON Schema of config files, derived from the option table. The shipped copy
 * (`schema/config.schema.json`, for editors and for validation at run time) is checked against
 * this in a test, and `node scripts/build-config-schema.mjs` rewrites it.
 */
export function configSchema(): object {
  const properties: Record<string, object> = {};
  for (const o of CONFIG_OPTIONS) properties[camel(o.name)] = propertySchema(o);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:pgtriage:schema:config',
    title: 'pgtriage configuration',
    description:
      'Settings for pgtriage, in pgtriage.config.yaml/.yml/.json or under the "pgtriage" key of package.json, found upward from the working directory. Every key is a command-line option in camelCase (the log-bus options are read by pgtriage consume and publish); the command line wins over the file. Relative paths are relative to the file.',
    type: 'object',
    additionalProperties: false,
    properties,
  };
}

function propertySchema(o: OptionSpec): object {
  const description = `--${o.kind === 'boolean' && o.default === true ? `no-${o.name} sets false: ` : `${o.name}: `}${o.help}`;
  if (o.kind === 'boolean') return { type: 'boolean', description, ...(o.default !== undefined ? { default: o.default } : {}) };
  if (o.kind === 'list') return { type: 'array', items: { type: 'string' }, description, default: o.default ?? [] };
  if (o.choices) return { type: 'string', enum: [...o.choices()], description, ...(o.default !== undefined ? { default: o.default } : {}) };
  if (o.value === 'integer') return { type: 'integer', ...(o.min !== undefined ? { minimum: o.min } : {}), description };
  if (o.value === 'duration') return { type: ['string', 'number'], description: `${description} (a number is seconds)`, ...(o.default !== undefined ? { default: o.default } : {}) };
  return { type: 'string', description };
}
