import { defineConfig } from 'vitest/config';

// Many tests start the CLI as a child process; on a loaded 2-core machine one start can take
// seconds, so the per-test limit is generous. Tests never assert on time (see bench/ for speed).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
