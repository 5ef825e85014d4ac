import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
    // CDK tests synthesize whole stacks in beforeAll: seconds when idle, much longer on a loaded machine.
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
