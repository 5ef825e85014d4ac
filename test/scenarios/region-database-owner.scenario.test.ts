// The region runbook and the database runbook meet over one database: the region's endpoints stop
// answering and its checker is gone, while RDS (still answering) reports the primary failed. One of
// the two runbooks owns the database; exactly one promotion, and the writer name follows it.
import { describe, expect, it } from 'vitest';
import type { TopologyInput } from '../../lambdas/domain/config/schema';
import { probeTargets } from '../../lambdas/domain/config/targets';
import { listRunbooks } from '../../lambdas/engine';
import { approveRunbook, type RegionRunbookData } from '../../lambdas/engine/region';
import { RegionHarness } from '../engine/region/region-harness';
import { PRIMARY, regionTopology } from '../engine/region/fixtures';

/** After two healthy rounds, eu-west-1 goes dark to every probe and its checker stops, but its RDS API answers. */
async function darkButRdsAnswers(overrides: Partial<TopologyInput> = {}): Promise<RegionHarness> {
  const h = new RegionHarness(regionTopology(overrides));
  await h.rounds(2);
  for (const t of probeTargets(h.topology).filter((e) => e.region === PRIMARY)) h.down.add(t.id);
  h.stopped.add(PRIMARY);
  return h;
}

/** Runbooks that moved database orders: database runbooks of it, region runbooks whose writer moves include it. */
async function ownersOfOrders(h: RegionHarness): Promise<string[]> {
  return (await listRunbooks(h.cloud.store))
    .filter(
      (r) =>
        r.value.kind === 'database-failover' ||
        ((r.value.data as RegionRunbookData).writers ?? []).some((w) => w.databaseId === 'orders'),
    )
    .map((r) => r.name);
}

describe('one owner per database across both runbook kinds', () => {
  it('starts no database runbook for a database a region runbook waiting for approval will move', async () => {
    // Prepare
    const h = await darkButRdsAnswers({
      regionFailover: { mode: 'approval', regionFailureThreshold: 2, failbackHealthyMinutes: 10 },
    });
    await h.rounds(8);
    expect((await h.runbooks()).map((r) => r.status)).toEqual(['pending-approval']);
    // Act: RDS now reports the primary failed; the region runbook waits for approval a while, then is approved
    h.cloud.failInstance('orders-primary', 'failed');
    await h.rounds(3);
    await approveRunbook(h.cloud.store, `failover-${PRIMARY}-1`, 'alice', h.cloud.now(), h.topology);
    await h.rounds(10);
    // Assess: only the region runbook moved orders; one promotion
    expect(await ownersOfOrders(h)).toEqual([`failover-${PRIMARY}-1`]);
    expect(h.promoteCalls).toHaveBeenCalledTimes(1);
    expect(h.writer('db-writer.shop.example.com')).toEqual(['orders-replica-fra.bbbb.eu-central-1.rds.amazonaws.com']);
  });

  it('lets one runbook own the database when both kinds decide to move it in the same cycle', async () => {
    // Prepare
    const h = await darkButRdsAnswers({
      regionFailover: { mode: 'auto', regionFailureThreshold: 1, failbackHealthyMinutes: 10 },
    });
    h.cloud.failInstance('orders-primary', 'failed');
    // Act
    await h.rounds(20);
    // Assess: one owner, one promotion, every runbook ended, the writer name on the promoted replica
    expect(await ownersOfOrders(h)).toHaveLength(1);
    expect(h.promoteCalls).toHaveBeenCalledTimes(1);
    const open = (await listRunbooks(h.cloud.store)).filter(
      (r) => r.value.status === 'running' || r.value.status === 'pending-approval',
    );
    expect(open).toEqual([]);
    expect(h.writer('db-writer.shop.example.com')).toEqual(['orders-replica-fra.bbbb.eu-central-1.rds.amazonaws.com']);
  });
});
