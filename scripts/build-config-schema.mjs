// Rewrites schema/config.schema.json from the option table (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { configSchema } from '../dist/cli/config-schema.js';

writeFileSync(new URL('../schema/config.schema.json', import.meta.url), JSON.stringify(configSchema(), null, 2) + '\n');
