#!/usr/bin/env node
// The build bundles the CLI into one file (scripts/bundle.mjs), which starts faster;
// dist/cli/main.js is the same code unbundled, used when the bundle was not built.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/pgtriage.mjs', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');
main(process.argv.slice(2));
