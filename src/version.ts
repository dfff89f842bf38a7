import { createRequire } from 'node:module';

/**
 * The package version, read once from package.json next to the build. Through `require`, so the
 * core's import graph stays free of `node:fs`.
 */
export const VERSION: string = (() => {
  try {
    const pkg = createRequire(import.meta.url)('../package.json') as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();
