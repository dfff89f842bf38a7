// Rewrites the shipped schemas from their sources in the code (run after `npm run build`):
// schema/config.schema.json from the option table, schema/rules.schema.json from schema/rules.ts.
import { writeFileSync } from 'node:fs';
import { configSchema } from '../dist/cli/config-schema.js';
import { rulesSchema } from '../dist/schema/rules.js';

const write = (name, schema) => writeFileSync(new URL(`../schema/${name}`, import.meta.url), JSON.stringify(schema, null, 2) + '\n');
write('config.schema.json', configSchema());
write('rules.schema.json', rulesSchema());
