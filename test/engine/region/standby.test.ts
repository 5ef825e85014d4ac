import { describe, expect, it } from 'vitest';
import { gatherPlannerInput, type PlannerInput } from '../../../lambdas/engine';
import { assessStandby, type StandbyInput } from '../../../lambdas/engine/region/standby';
import { PRIMARY, STANDBY, regionTopology } from './fixtures';
import { RegionHarness } from './region-harness';

function standbyInput(input: PlannerInput, writer: string): StandbyInput {
  return {
    topology: input.topology,
    darkRegion: PRIMARY,
    verdicts: input.verdicts,
    writers: new Map([['orders', writer]]),
    busyDatabases: new Set(),
    fenced: new Set(writer === 'orders-dub-primary' ? [] : ['orders-dub-primary']),
    databases: input.databases,
  };
}

describe('assessStandby', () => {
  it('takes the standby replica of the current writer', async () => {
    // Prepare
    const h = new RegionHarness(regionTopology());
    await h.rounds(2);
    const input = await gatherPlannerInput(h.context(STANDBY, { cloudReads: 'everything' }), 'plan-test');
    // Act
    const fitness = assessStandby(STANDBY, standbyInput(input, 'orders-dub-primary'));
    // Assess
    expect(fitness.problems).toEqual([]);
    expect(fitness.databases.map((d) => d.toMemberId)).toEqual(['orders-fra-replica']);
  });

  it('refuses a standby replica that still replicates from the fenced old primary after a database failover', async () => {
    // Prepare: the database planner made orders-dub-replica the writer; orders-fra-replica still follows orders-dub-primary
    const h = new RegionHarness(regionTopology());
    await h.rounds(2);
    const input = await gatherPlannerInput(h.context(STANDBY, { cloudReads: 'everything' }), 'plan-test');
    // Act
    const fitness = assessStandby(STANDBY, standbyInput(input, 'orders-dub-replica'));
    // Assess
    expect(fitness.fit).toBe(false);
    expect(fitness.problems.join('\n')).toContain(
      'replica orders-fra-replica of orders replicates from orders-dub-primary, not from the current primary orders-dub-replica',
    );
  });
});
