import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    // CDK synth hooks bundle every Lambda with esbuild: minutes, not seconds, on a loaded shared machine.
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
