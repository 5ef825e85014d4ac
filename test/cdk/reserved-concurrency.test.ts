// Reserved concurrency: off by default (accounts at the minimum concurrency quota cannot reserve
// any, and the deployment would fail), on from the construct's prop or `-c reserveConcurrency=true`.
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../lib/app';
import { EXAMPLE_PATH, exampleTopology, guardStacks, SKIP_BUNDLING } from './guard-fixtures';

const configPath = fileURLToPath(EXAMPLE_PATH);
/** Each test synthesizes whole stacks: seconds alone, far longer on a loaded machine. */
const SYNTH_TIMEOUT = 120_000;

function reservations(template: Template): unknown[] {
  return Object.values(template.findResources('AWS::Lambda::Function')).map(
    (fn) => (fn as { Properties: { ReservedConcurrentExecutions?: number } }).Properties.ReservedConcurrentExecutions,
  );
}

describe('reserved concurrency', { timeout: SYNTH_TIMEOUT }, () => {
  it('reserves none by default, so the stacks deploy on a new account', () => {
    for (const stack of guardStacks(exampleTopology()))
      expect(reservations(Template.fromStack(stack))).toEqual([undefined, undefined]);
  });

  it('reserves two per function when the construct is given reserveConcurrency: true', () => {
    const [home] = guardStacks(exampleTopology(), { reserveConcurrency: true });
    expect(reservations(Template.fromStack(home!))).toEqual([2, 2]);
  });

  it.each([
    ['true', [2, 2]],
    [true, [2, 2]],
    ['false', [undefined, undefined]],
  ])(
    'follows the reserveConcurrency context %j, as `cdk deploy -c reserveConcurrency=…` passes it',
    async (value, expected) => {
      const { stacks } = await createApp({
        configPath,
        appProps: { context: { ...SKIP_BUNDLING, reserveConcurrency: value } },
      });
      for (const stack of stacks) expect(reservations(Template.fromStack(stack))).toEqual(expected);
    },
  );

  it('lets the construct options given in code win over the context', async () => {
    const { stacks } = await createApp({
      configPath,
      guard: { reserveConcurrency: false },
      appProps: { context: { ...SKIP_BUNDLING, reserveConcurrency: 'true' } },
    });
    expect(reservations(Template.fromStack(stacks[0]!))).toEqual([undefined, undefined]);
  });

  it('refuses a context value that is not true or false, naming the key and the fix', async () => {
    await expect(
      createApp({ configPath, appProps: { context: { ...SKIP_BUNDLING, reserveConcurrency: 'yes' } } }),
    ).rejects.toThrow(
      /Context reserveConcurrency is "yes", expected true or false: pass -c reserveConcurrency=true or leave it out/,
    );
  });
});
