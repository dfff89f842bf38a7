#!/usr/bin/env node
// The build bundles the CLI into an entry and chunks that load on demand (scripts/bundle.mjs),
// which starts faster; dist/cli/main.js is the same code unbundled, used when the bundle was not
// built.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { setFlagsFromString } from 'node:v8';

// A log is read as a stream of short-lived strings, and under that allocation rate V8 doubles
// its young generation up to 16 MiB per semi-space: most of the CLI's peak RSS was that nursery,
// not live data (about 13 MB). Not growing it keeps the busy benchmark log near 100 MB instead of
// 130 at the same CPU time (scavenges cost what survives, and little does). Of the young-gen
// flags only the growth factor takes effect once the process runs; the library leaves V8 alone.
setFlagsFromString('--semi-space-growth-factor=1');
// The same for the old generation: after each full collection V8 lets the heap grow to up to four
// times what survived before the next one, and on a long busy log that headroom (not live data)
// was what took the peak RSS past 128 MB (210 MB log: 134 MB; 1 GB: 220 MB). A growth of 10% over
// the live heap keeps it near 100 MB for about 5% more CPU; it is no ceiling, so an input that
// needs more heap still gets it.
setFlagsFromString('--heap-growing-percent=10');

// Compiling the bundle's code is the largest part of the start-up. Node 22.1+ can keep V8's
// compiled code on disk and reuse it on the next run (in NODE_COMPILE_CACHE's directory, else a
// node-compile-cache folder in the OS temp dir; NODE_DISABLE_COMPILE_CACHE=1 turns it off). Older
// Node has no such call. A directory that cannot be written only leaves the cache off: the call
// reports that in its result, and anything it throws is ignored too.
try {
  module.enableCompileCache?.();
} catch {
  // no cache: the run compiles as usual
}

const bundle = new URL('../dist/cli/pgtriage.mjs', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');
main(process.argv.slice(2));
