#!/usr/bin/env node
// Part of `npm run build`: compiles the bundled rule pack once into dist/rules-cache.json.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const { loadRulePacks, DEFAULT_RULES_DIR } = await import('../dist/input/rule-files.js');
const { serializePack, hashPackDir, CACHE_FILE } = await import('../dist/input/rule-cache.js');
const pack = await loadRulePacks([DEFAULT_RULES_DIR], { cache: false });
const relative = (x) => ({ ...x, pos: { ...x.pos, file: path.relative(DEFAULT_RULES_DIR, x.pos.file) } });
const rel = { causes: new Map([...pack.causes].map(([k, c]) => [k, relative(c)])), rules: pack.rules.map(relative), notices: [] };
writeFileSync(fileURLToPath(CACHE_FILE), JSON.stringify(serializePack(rel, await hashPackDir(DEFAULT_RULES_DIR))) + '\n');
