import { describe, expect, it } from 'vitest';
import { registerStatusCommand } from '../../lambdas/cli/commands/status.command';
import { PRIMARY, STANDBY, regionTopology } from '../engine/region/fixtures';
import { runRegionCommand, writeTopology } from '../engine/region/cli-context';
import { RegionHarness } from '../engine/region/region-harness';

describe('failover-guard status', () => {
  it('shows the primary active and every checker live on a quiet day, exit 0', async () => {
    // Prepare
    const topology = regionTopology();
    const h = new RegionHarness(topology);
    await h.rounds(2);
    // Act
    const run = await runRegionCommand(h, registerStatusCommand, ['status', writeTopology(topology)], STANDBY);
    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`active region: ${PRIMARY} (the primary)`);
    expect(run.stdout).toContain('runbooks in progress:\n  none');
    expect(run.stdout).toMatch(/ {2}eu-west-1 +live {2}heartbeat 10 s ago/);
    expect(run.stdout).toContain('fenced database members:\n  none');
    expect(run.stdout).toContain('readiness: ready\n');
  });

  it('shows the failed-over region, the stale checker, the runbook waiting for approval and exits 1', async () => {
    // Prepare
    const topology = regionTopology({
      regionFailover: { mode: 'approval', regionFailureThreshold: 2, failbackHealthyMinutes: 10 },
    });
    const h = new RegionHarness(topology);
    await h.rounds(2);
    h.darken(PRIMARY);
    await h.rounds(8);
    // Act
    const run = await runRegionCommand(h, registerStatusCommand, ['status', writeTopology(topology)], STANDBY);
    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `failover-${PRIMARY}-1: ${PRIMARY} -> ${STANDBY}, pending-approval (approve: failover-guard approve <config> failover-${PRIMARY}-1)`,
    );
    expect(run.stdout).toMatch(/ {2}eu-west-1 +STALE heartbeat 90 s ago/);
  });

  it('lists fenced members after a completed failover', async () => {
    // Prepare
    const topology = regionTopology();
    const h = new RegionHarness(topology);
    await h.rounds(2);
    h.darken(PRIMARY);
    await h.rounds(20, async () => (await h.runbooks()).some((r) => r.status === 'completed'));
    // Act
    const run = await runRegionCommand(
      h,
      registerStatusCommand,
      ['status', writeTopology(topology), '--json'],
      STANDBY,
    );
    // Assess
    const status = JSON.parse(run.stdout) as {
      activeRegion: string;
      fenced: Record<string, { databaseId: string }>;
      lastClosed: { id: string; status: string };
    };
    expect(status.activeRegion).toBe(STANDBY);
    expect(status.fenced).toMatchObject({ 'orders-dub-primary': { databaseId: 'orders' } });
    expect(status.lastClosed).toMatchObject({ id: `failover-${PRIMARY}-1`, status: 'completed' });
  });
});

describe('the region commands', () => {
  it('are registered in the failover-guard program', async () => {
    // Prepare
    const { buildProgram } = await import('../../lambdas/cli/main');
    const { captureIo } = await import('./capture-io');
    // Act
    const names = buildProgram(captureIo().io).commands.map((c) => c.name());
    // Assess
    expect(names).toEqual(expect.arrayContaining(['approve', 'failback', 'status']));
  });
});
