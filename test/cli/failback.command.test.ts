import { describe, expect, it } from 'vitest';
import { registerFailbackCommand } from '../../lambdas/cli/commands/failback.command';
import { PRIMARY, STANDBY, regionTopology } from '../engine/region/fixtures';
import { runRegionCommand, writeTopology } from '../engine/region/cli-context';
import { RegionHarness } from '../engine/region/region-harness';

async function failedOverAndBack(
  guard: { paused?: boolean; dryRun?: boolean } = {},
): Promise<{ h: RegionHarness; config: string }> {
  const topology = regionTopology({
    regionFailover: { mode: 'auto', regionFailureThreshold: 2, failbackHealthyMinutes: 1 },
  });
  const h = new RegionHarness(topology);
  await h.failOverAndRelight(PRIMARY);
  return { h, config: writeTopology({ ...topology, guard: { ...topology.guard, ...guard } }) };
}

describe('failover-guard failback', () => {
  it('refuses with exit 1 and the time it becomes allowed while the region is healthy too briefly', async () => {
    // Prepare
    const { h, config } = await failedOverAndBack();
    await h.rounds(3);
    // Act
    const run = await runRegionCommand(
      h,
      registerFailbackCommand,
      ['failback', config, PRIMARY, '--table', 't', '--topic-arn', 'arn:aws:sns:eu-central-1:123456789012:t'],
      STANDBY,
    );
    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /^failback refused: eu-west-1 has been healthy only since .*; failback is allowed from /,
    );
  });

  it('prints the plan and what it cannot undo, and changes nothing with --dry-run', async () => {
    // Prepare
    const { h, config } = await failedOverAndBack();
    await h.rounds(9);
    const changes = h.cloud.dns.changes.length;
    // Act
    const run = await runRegionCommand(
      h,
      registerFailbackCommand,
      ['failback', config, PRIMARY, '--dry-run', '--region', STANDBY],
      PRIMARY,
    );
    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.options[0]).toMatchObject({ region: STANDBY });
    expect(run.stdout).toContain(`failback failback-${PRIMARY}-1: ${STANDBY} -> ${PRIMARY}`);
    expect(run.stdout).toContain('  dns www: + web-dub-a, web-dub-b   - web-fra-a, web-fra-b');
    expect(run.stdout).toContain('  writer names: unchanged');
    expect(run.stdout).toContain('  cannot undo: orders: the writer stays on orders-fra-replica (eu-central-1)');
    expect(run.stdout).toContain('dry run: nothing changed');
    expect(h.cloud.dns.changes.length).toBe(changes);
  });

  it('runs the failback and prints each step', async () => {
    // Prepare
    const { h, config } = await failedOverAndBack();
    await h.rounds(9);
    // Act
    const run = await runRegionCommand(h, registerFailbackCommand, ['failback', config, PRIMARY], STANDBY);
    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(
      /APPLIED {2}region\.runbook\.move-dns: active region eu-central-1 -> eu-west-1; www\.shop\.example\.com: in web-dub-a, web-dub-b, out web-fra-a, web-fra-b/,
    );
    expect(h.resolve('www.shop.example.com')).toEqual(['10.10.1.11', '10.10.2.11']);
  });

  it('refuses with exit 1 and records nothing while the guard is paused', async () => {
    // Prepare
    const { h, config } = await failedOverAndBack({ paused: true });
    await h.rounds(9);
    // Act
    const run = await runRegionCommand(h, registerFailbackCommand, ['failback', config, PRIMARY], STANDBY);
    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      'failback refused: the guard is paused (guard.paused in the config): failback changes nothing and records nothing to run later; unpause it, then run failback again\n',
    );
    expect((await h.runbooks()).map((r) => r.kind)).toEqual(['region-failover']);
  });

  it('prints the plan, changes nothing and exits 1 when guard.dryRun is true in the config', async () => {
    // Prepare
    const { h, config } = await failedOverAndBack({ dryRun: true });
    await h.rounds(9);
    const changes = h.cloud.dns.changes.length;
    // Act
    const run = await runRegionCommand(h, registerFailbackCommand, ['failback', config, PRIMARY], STANDBY);
    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`failback failback-${PRIMARY}-1: ${STANDBY} -> ${PRIMARY}`);
    expect(run.stderr).toMatch(/^failback not run: guard\.dryRun is true in the config/);
    expect(h.cloud.dns.changes.length).toBe(changes);
    expect((await h.runbooks()).map((r) => r.kind)).toEqual(['region-failover']);
  });

  it.each([
    [
      ['us-east-9'],
      'error: the region to fail back to, "us-east-9" is not one of the topology\'s regions (eu-west-1, eu-central-1, eu-north-1)\n',
    ],
    [
      [PRIMARY, '--region', 'us-west-2'],
      'error: --region "us-west-2" is not one of the topology\'s regions (eu-west-1, eu-central-1, eu-north-1)\n',
    ],
  ])('refuses a region outside the topology with exit 2, before any AWS call: %j', async (args, stderr) => {
    // Prepare
    const { h, config } = await failedOverAndBack();
    const changes = h.cloud.dns.changes.length;
    // Act
    const run = await runRegionCommand(h, registerFailbackCommand, ['failback', config, ...args], STANDBY);
    // Assess
    expect(run).toMatchObject({ exitCode: 2, stderr });
    expect(h.cloud.dns.changes.length).toBe(changes);
  });
});
