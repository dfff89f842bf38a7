// Bundles the CLI for bin/pgtriage.js: the entry dist/cli/pgtriage.mjs plus chunks beside it
// (dist/cli/pgtriage-*.mjs). Resolving and compiling some 120 separate modules was most of the
// start-up; compiling one 2.2 MB file that held everything was still 40% of it. With code
// splitting every dynamic import() of the sources is a chunk of its own, so what a plain run
// does not reach (the YAML reader and ajv, the NATS client, fast-glob, the HTML and Markdown
// reporters) is neither read nor compiled. Run by `npm run build` after tsc; dist/cli/main.js
// stays the unbundled entry (same code), used when there is no bundle.
//
// chevrotain and re2js stay outside: they are loaded by a synchronous require() on first use
// (src/vendor/), chevrotain from the CommonJS copy made here (dist/vendor/chevrotain.cjs).
// A manifest (dist/cli/pgtriage-chunks.json) names the packages and source files each chunk
// holds, so a test can tell which ones a run loaded.
import { build } from 'esbuild';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const OUT = 'dist/cli';
const require = createRequire(import.meta.url);

/**
 * A chunk made for `await import('yaml')` of a CommonJS package exports only `default`, so
 * named members (`LineCounter`, nats' `connect`) came back undefined, where Node's own loader
 * gives them names. Such imports go through a module naming each member statically (the names
 * read from the package itself, as Node's loader reads them), which esbuild links as usual.
 */
const namedDynamicImports = {
  name: 'named-dynamic-imports',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.kind === 'dynamic-import' && !args.path.startsWith('node:') && args.namespace === 'file' ? { path: args.path, namespace: 'named-exports' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'named-exports' }, (args) => {
      const names = Object.keys(require(args.path)).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
      const spec = JSON.stringify(args.path);
      return { contents: `export { ${names.join(', ')} } from ${spec};\nexport { default } from ${spec};\n`, resolveDir: process.cwd(), loader: 'js' };
    });
  },
};
for (const f of readdirSync(OUT)) if (/^pgtriage.*\.mjs$/.test(f)) rmSync(path.join(OUT, f));

const result = await build({
  entryPoints: { pgtriage: 'src/cli/main.ts' },
  outdir: OUT,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'pgtriage-[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['chevrotain', 're2js'],
  metafile: true,
  plugins: [namedDynamicImports],
  // CommonJS dependencies call require() for node built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as __pgtriageRequire } from 'node:module'; const require = __pgtriageRequire(import.meta.url);" },
  logLevel: 'warning',
});

const manifest = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.mjs')) continue;
  const packages = new Set();
  const sources = [];
  for (const input of Object.keys(output.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    if (m) packages.add(m[1]);
    else if (input.startsWith('src/')) sources.push(input);
  }
  manifest[path.basename(file)] = { bytes: output.bytes, packages: [...packages].sort(), sources: sources.sort() };
}
writeFileSync(path.join(OUT, 'pgtriage-chunks.json'), JSON.stringify(manifest, null, 1) + '\n');

// chevrotain publishes ES modules only; a CommonJS copy of its one-file bundle can be loaded
// synchronously, on the first use of a grammar, on every Node this package supports.
const chevrotainEntry = require.resolve('chevrotain');
await build({
  entryPoints: [path.join(path.dirname(chevrotainEntry), '..', 'chevrotain.mjs')],
  outfile: 'dist/vendor/chevrotain.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
