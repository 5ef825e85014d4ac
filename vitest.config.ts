import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
    // CDK tests synthesize their stacks in beforeAll: seconds alone, over 20 s on a loaded shared machine.
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
