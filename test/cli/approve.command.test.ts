import { describe, expect, it } from 'vitest';
import { registerApproveCommand } from '../../lambdas/cli/commands/approve.command';
import { PRIMARY, STANDBY, regionTopology } from '../engine/region/fixtures';
import { runRegionCommand, writeTopology } from '../engine/region/cli-context';
import { RegionHarness } from '../engine/region/region-harness';

describe('failover-guard approve', () => {
  it('approves a pending region runbook and says when it runs', async () => {
    // Prepare
    const topology = regionTopology({
      regionFailover: { mode: 'approval', regionFailureThreshold: 2, failbackHealthyMinutes: 10 },
    });
    const h = new RegionHarness(topology);
    await h.rounds(2);
    h.darken(PRIMARY);
    await h.rounds(8);
    const config = writeTopology(topology);
    // Act
    const run = await runRegionCommand(
      h,
      registerApproveCommand,
      ['approve', config, `failover-${PRIMARY}-1`, '--by', 'alice', '--table', 'guard-state'],
      STANDBY,
    );
    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      `approved failover-${PRIMARY}-1: ${PRIMARY} -> ${STANDBY}; the acting checker runs it on its next cycle`,
    );
    expect(run.options[0]).toMatchObject({ table: 'guard-state' });
    const [runbook] = await h.runbooks();
    expect(runbook).toMatchObject({ status: 'running', data: { approval: { by: 'alice' } } });
  });

  it('exits 2 naming the runbooks that wait when the id is unknown', async () => {
    // Prepare
    const topology = regionTopology();
    const h = new RegionHarness(topology);
    // Act
    const run = await runRegionCommand(
      h,
      registerApproveCommand,
      ['approve', writeTopology(topology), 'failover-nowhere-1'],
      STANDBY,
    );
    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'no region runbook "failover-nowhere-1" in the state table; no runbook waits for approval',
    );
  });
});
