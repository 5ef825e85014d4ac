import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
    // CDK tests synthesize (and bundle with esbuild) in beforeAll: minutes on a loaded shared machine, not a failure.
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
