import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The slow lane, by rule (never a list of files): CDK tests synthesize and bundle with esbuild;
 * `*.moto.test.ts` start moto's server; `*.slow.test.ts` run something whole (the drill's full run,
 * the CLI as a process, `cdk synth`). Every other test file is in the fast lane. See docs/development.md.
 */
const slowLane = ['test/cdk/**/*.test.ts', 'test/**/*.moto.test.ts', 'test/**/*.slow.test.ts'];

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    pool: 'forks',
    // A safety net against a hung test, not a speed check: generous for a loaded shared machine.
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...slowLane],
          // Files share a worker's module cache instead of importing everything afresh (import was most
          // of the lane's CPU). Safe because no fast test leaves global state behind: environment stubs
          // are undone, spies are on per-test objects, and test/setup.ts restores the SDK client stubs.
          isolate: false,
          // One worker per core, not vitest's cores - 1: the lane's workers also wait on loopback sockets.
          maxWorkers: '100%',
          // Its own worker count needs its own group: `npm test` runs the fast lane first, then the slow one.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'slow',
          include: slowLane,
          sequence: { groupOrder: 1 },
          // CDK synth hooks bundle every Lambda with esbuild: minutes, not seconds, on a loaded shared machine.
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
