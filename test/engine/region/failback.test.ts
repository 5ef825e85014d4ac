import { describe, expect, it } from 'vitest';
import { gatherPlannerInput, type PlannerInput } from '../../../lambdas/engine';
import { planFailback } from '../../../lambdas/engine/region';
import { PRIMARY, STANDBY, regionTopology } from './fixtures';
import { RegionHarness } from './region-harness';

async function inputAfterFailover(): Promise<{ h: RegionHarness; input: PlannerInput }> {
  const h = new RegionHarness(
    regionTopology({ regionFailover: { mode: 'auto', regionFailureThreshold: 2, failbackHealthyMinutes: 1 } }),
  );
  await h.rounds(2);
  h.darken(PRIMARY);
  await h.rounds(20, async () => (await h.runbooks()).some((r) => r.status === 'completed'));
  h.relight(PRIMARY);
  await h.rounds(10);
  return { h, input: await gatherPlannerInput(h.context(STANDBY, { cloudReads: 'everything' }), 'plan-test') };
}

describe('planFailback', () => {
  it('moves the writer back when the region has a healthy standalone primary that is not fenced', async () => {
    // Prepare: an operator rebuilt a primary there (orders-dub-replica, promoted by hand)
    const { input } = await inputAfterFailover();
    const orders = input.databases['orders']!;
    const rebuilt: PlannerInput = {
      ...input,
      databases: {
        orders: {
          ...orders,
          members: {
            ...orders.members,
            'orders-dub-replica': { ok: true, value: { exists: true, status: 'available', isReplica: false } },
          },
        },
      },
    };
    // Act
    const decision = planFailback(rebuilt, PRIMARY);
    // Assess
    expect(decision.runbook?.data.writers).toEqual([
      {
        databaseId: 'orders',
        fromMemberId: 'orders-fra-replica',
        toMemberId: 'orders-dub-replica',
        host: 'orders-replica-1.aaaa.eu-west-1.rds.amazonaws.com',
        fenceFrom: true,
      },
    ]);
    expect(decision.runbook?.data.cannotUndo).toEqual([
      'orders: orders-fra-replica stays a standalone instance after the writer moves to orders-dub-replica; it cannot become a replica again (rebuild it as a replica of orders-replica-1, or delete it)',
    ]);
  });

  it.each([
    { region: STANDBY, refusal: /^eu-central-1 already serves the traffic/ },
    {
      region: 'us-west-2',
      refusal: /^us-west-2 is not a region of topology "shop" \(eu-west-1, eu-central-1, eu-north-1\)/,
    },
  ])('refuses failback to $region', async ({ region, refusal }) => {
    // Prepare
    const { input } = await inputAfterFailover();
    // Act / Assess
    expect(planFailback(input, region).refusal).toMatch(refusal);
  });

  it('refuses while the region is not healthy from outside', async () => {
    // Prepare
    const { h } = await inputAfterFailover();
    h.down.add('web-dub-b');
    await h.rounds(3);
    const input = await gatherPlannerInput(h.context(STANDBY, { cloudReads: 'everything' }), 'plan-test');
    // Act / Assess
    expect(planFailback(input, PRIMARY).refusal).toBe(
      'eu-west-1 is not healthy from outside (web-dub-b: UNHEALTHY); failback needs every endpoint HEALTHY for 1 minutes (regionFailover.failbackHealthyMinutes)',
    );
  });
});
