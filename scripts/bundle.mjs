// Bundles the CLI into one file, dist/cli/pgtriage.mjs, which bin/pgtriage.js prefers: resolving
// and compiling some 120 modules (yaml's CommonJS among them) was most of the start-up time.
// Run by `npm run build` after tsc; dist/cli/main.js stays the unbundled entry (same code).
// chevrotain stays outside: src/vendor/chevrotain.ts loads its own single-file bundle.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/pgtriage.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['chevrotain'],
  // CommonJS dependencies call require() for node built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as __pgtriageRequire } from 'node:module'; const require = __pgtriageRequire(import.meta.url);" },
  logLevel: 'warning',
});
