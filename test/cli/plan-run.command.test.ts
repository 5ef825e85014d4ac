import { Command } from 'commander';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerPlanCommand, stateTableName } from '../../lambdas/cli/commands/plan.command';
import { registerRunCommand } from '../../lambdas/cli/commands/run.command';
import type { Topology } from '../../lambdas/domain/config/schema';
import { runCliCaptured, captureIo } from './capture-io';
import { harness, ipSetRecord, webTopology } from '../scenarios/engine-harness';

async function configFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fg-plan-'));
  const path = join(dir, 'topology.json');
  await writeFile(path, JSON.stringify(webTopology({ dns: [ipSetRecord()] })));
  return path;
}

/** A program with plan and run bound to the in-memory cloud of a harness. */
function programOver(h: ReturnType<typeof harness>) {
  const { io, result } = captureIo();
  const program = new Command('failover-guard').exitOverride();
  const contextFor = (topology: Topology, options: { dryRun?: boolean }) =>
    h.context({ topology, dryRun: options.dryRun === true });
  registerPlanCommand(program, io, contextFor);
  registerRunCommand(program, io, contextFor);
  return { run: (...args: string[]) => program.parseAsync(args, { from: 'user' }), result };
}

describe('failover-guard plan and run', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('prints the plan like a diff and exits 1 when it would act', async () => {
    // Prepare: web-a has failed three cycles in a row
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    h.probe.fail('web-a');
    await h.cycles(3, { dryRun: true });
    const cli = programOver(h);
    // Act
    await cli.run('plan', await configFile());
    // Assess
    const { stdout, exitCode } = cli.result();
    expect(stdout).toMatch(/^- www\.shop\.example\.com A 10\.0\.0\.1 +\(web-a UNHEALTHY: 3 consecutive ETIMEDOUT\)$/m);
    expect(exitCode).toBe(1);
    expect(h.cloud.resolve('www.shop.example.com', 'A')).toContain('10.0.0.1');
  });

  it('runs one dry-run cycle that changes nothing', async () => {
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    h.probe.fail('web-a');
    await h.cycles(2, { dryRun: true });
    const cli = programOver(h);
    await cli.run('run', await configFile(), '--once', '--dry-run');
    expect(cli.result().stdout).toContain('PLANNED  dns.pull');
    expect(h.cloud.resolve('www.shop.example.com', 'A')).toContain('10.0.0.1');
  });

  it('refuses run without --once, with exit code 2', async () => {
    const out = await runCliCaptured('run', await configFile());
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('run needs --once');
  });

  it('names the option and the variable when run has no notification topic', async () => {
    vi.stubEnv('FAILOVER_GUARD_TOPIC_ARN', '');
    const out = await runCliCaptured('run', await configFile(), '--once', '--region', 'eu-west-1');
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('the notification topic is not set: pass --topic-arn or set FAILOVER_GUARD_TOPIC_ARN');
  });

  it.each([
    { option: 'ops-state', env: 'env-state', expected: 'ops-state' },
    { option: undefined, env: 'env-state', expected: 'env-state' },
    { option: undefined, env: '', expected: 'failover-guard-shop' },
  ])(
    'finds the state table from --table $option, else the environment ($env), else the deployed default',
    ({ option, env, expected }) => {
      vi.stubEnv('FAILOVER_GUARD_TABLE', env);
      expect(stateTableName({ name: 'shop' }, option)).toBe(expected);
    },
  );
});
