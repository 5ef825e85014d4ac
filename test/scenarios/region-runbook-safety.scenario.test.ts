// A region runbook acts on facts re-read when it acts, and always ends: its standby replica vanishing,
// a replica that fell behind since the runbook was made, or the region recovering before approval
// ends it with a clear message instead of a wrong move or a wait forever.
import { describe, expect, it } from 'vitest';
import { observe } from '../../lambdas/engine';
import { guardRegions } from '../../lambdas/domain/config/targets';
import { approveRunbook } from '../../lambdas/engine/region';
import { RegionHarness, ROUND_MS } from '../engine/region/region-harness';
import { PRIMARY, STANDBY, regionTopology } from '../engine/region/fixtures';

const APPROVAL = {
  regionFailover: { mode: 'approval' as const, regionFailureThreshold: 2, failbackHealthyMinutes: 10 },
};
const FAILOVER_ID = `failover-${PRIMARY}-1`;

async function waitingForApproval(): Promise<RegionHarness> {
  const h = new RegionHarness(regionTopology(APPROVAL));
  await h.rounds(2);
  h.darken(PRIMARY);
  await h.rounds(8);
  expect((await h.runbooks()).map((r) => r.status)).toEqual(['pending-approval']);
  return h;
}

describe('a region runbook always ends', () => {
  it('aborts with a critical alert saying what to do when its standby replica disappears mid-promotion, and blocks nothing after', async () => {
    // Prepare: the failover has started promoting orders-replica-fra
    const h = new RegionHarness(regionTopology());
    await h.rounds(2);
    h.darken(PRIMARY);
    await h.rounds(20, async () => (await h.runbooks()).some((r) => r.data.promotions['orders'] !== undefined));
    // Act: the replica is deleted before its promotion completes
    h.cloud.failInstance('orders-replica-fra', 'deleted', STANDBY);
    await h.rounds(10);
    // Assess
    const [runbook] = await h.runbooks();
    expect(runbook?.status).toBe('aborted');
    const [abort] = h.notifications('region.runbook.abort');
    expect(abort?.severity).toBe('critical');
    expect(abort?.reason).toContain('orders-replica-fra (orders) no longer exists in eu-central-1');
    expect(abort?.reason).toContain('nothing else was moved');
    expect((await h.runbooks()).filter((r) => r.status === 'running' || r.status === 'pending-approval')).toEqual([]);
  });
});

describe('a region runbook acts on facts read when it acts', () => {
  it('never promotes a replica that fell behind after approval, and ends the runbook once the lag has held it past promotionTimeoutSeconds', async () => {
    // Prepare: the runbook was made at lag 0; by approval orders-replica-fra lags 300 s (maxLagSeconds 30)
    const h = await waitingForApproval();
    h.cloud.setLag('orders-replica-fra', 300, STANDBY);
    // Act
    await approveRunbook(h.cloud.store, FAILOVER_ID, 'alice', h.cloud.now(), h.topology);
    await h.rounds(3);
    expect((await h.runbooks())[0]?.status).toBe('running');
    h.cloud.advance(1_800_000);
    await h.rounds(3);
    // Assess: nothing promoted, nothing moved, the runbook ended saying why
    expect(h.promoteCalls).not.toHaveBeenCalled();
    const [runbook] = await h.runbooks();
    expect(runbook?.status).toBe('aborted');
    expect(h.notifications('region.runbook.abort')[0]?.reason).toContain('lag 300s is over maxLagSeconds 30');
    expect(h.resolve('www.shop.example.com')).toEqual(['10.10.1.11', '10.10.2.11']);
  });

  it('refuses a standby replica whose lag is unknown, as the database path does', async () => {
    // Prepare: CloudWatch has no ReplicaLag datapoint for orders-replica-fra
    const h = new RegionHarness(regionTopology());
    h.cloud.setLag('orders-replica-fra', undefined, STANDBY);
    await h.rounds(2);
    // Act
    h.darken(PRIMARY);
    await h.rounds(8);
    // Assess
    expect(await h.runbooks()).toEqual([]);
    expect(h.promoteCalls).not.toHaveBeenCalled();
    expect(h.notifications('region.failover.aborted')[0]?.reason).toContain(
      'replica orders-fra-replica of orders: replica lag unknown',
    );
  });

  it('refuses an approval once the region is no longer dark, and ends the runbook', async () => {
    // Prepare: the region comes back; the checkers see it before the acting one plans again
    const h = await waitingForApproval();
    h.relight(PRIMARY);
    for (let i = 0; i < 3; i += 1) {
      for (const checker of guardRegions(h.topology)) await observe(h.context(checker));
      h.cloud.advance(ROUND_MS);
    }
    // Act / Assess
    await expect(approveRunbook(h.cloud.store, FAILOVER_ID, 'alice', h.cloud.now(), h.topology)).rejects.toThrow(
      `${PRIMARY} is no longer dark`,
    );
    const [runbook] = await h.runbooks();
    expect(runbook?.status).toBe('aborted');
    await h.rounds(3);
    expect(h.promoteCalls).not.toHaveBeenCalled();
  });
});
