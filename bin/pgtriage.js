#!/usr/bin/env node
// The build bundles the CLI into one file (scripts/bundle.mjs), which starts faster;
// dist/cli/main.js is the same code unbundled, used when the bundle was not built.
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// A log is read as a stream of short-lived strings, and under that allocation rate V8 doubles
// its young generation up to 16 MiB per semi-space: most of the CLI's peak RSS was that nursery,
// not live data (about 13 MB). Not growing it keeps the busy benchmark log near 100 MB instead of
// 130 at the same CPU time (scavenges cost what survives, and little does). Of the young-gen
// flags only the growth factor takes effect once the process runs; the library leaves V8 alone.
setFlagsFromString('--semi-space-growth-factor=1');

const bundle = new URL('../dist/cli/pgtriage.mjs', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');
main(process.argv.slice(2));
