#!/usr/bin/env node
// Part of `npm run build`: compiles the bundled rule pack once into dist/rules-cache.json.
// The stamp (file stats and content hash) is taken before the files are read, so an edit made
// while this runs makes the stamp, not the compiled pack, out of date: the next run rereads.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const { loadRulePacks, DEFAULT_RULES_DIR } = await import('../dist/input/rule-files.js');
const { serializePack, stampPackDir, CACHE_FILE } = await import('../dist/input/rule-cache.js');
const stamp = await stampPackDir(DEFAULT_RULES_DIR);
const pack = await loadRulePacks([DEFAULT_RULES_DIR], { cache: false });
writeFileSync(fileURLToPath(CACHE_FILE), JSON.stringify(serializePack(pack, stamp, DEFAULT_RULES_DIR)) + '\n');
