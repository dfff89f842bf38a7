import { createRequire } from 'node:module';

/**
 * The package version, read once from the package.json above the build: `dist/version.js` is
 * one level down, the bundled CLI `dist/cli/pgtriage.mjs` two. Through `require`, so the core's
 * import graph stays free of `node:fs`.
 */
export const VERSION: string = (() => {
  const require = createRequire(import.meta.url);
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === 'pgtriage') return pkg.version ?? '0.0.0';
    } catch {
      // not there: try the next level
    }
  }
  return '0.0.0';
})();
