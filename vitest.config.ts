import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
    // A CDK test synthesizes (and bundles) its stacks once in beforeAll: on a loaded shared machine that takes well over 20 s.
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
