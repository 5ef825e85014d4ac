// Two checkers in different regions that each believe they are the actor (neither sees the other's
// heartbeat or runbook yet) plan the same primary failure and execute at the same time.
import { describe, expect, it } from 'vitest';
import {
  executePlan,
  gatherPlannerInput,
  listRunbooks,
  newPlanId,
  observe,
  planCycle,
  planFromInput,
  type GuardContext,
} from '../../lambdas/engine';
import { countPromotions, twoReplicaDb } from './database-fixtures';
import { CYCLE_MS, harness, webTopology } from './engine-harness';

/** The plan of a checker that sees only its own heartbeat: it is the designated actor in its own eyes. */
async function planAsSoleActor(ctx: GuardContext) {
  const input = await gatherPlannerInput(ctx, newPlanId(ctx.now()));
  return planFromInput({ ...input, liveCheckers: [ctx.checker] }, false);
}

describe('database failover: two checkers acting at once', () => {
  it('starts one runbook and one PromoteReadReplica when two checkers plan the same failure concurrently', async () => {
    // Prepare: the primary is confirmed down; each checker plans a promotion a second apart
    const h = harness(webTopology({ databases: [twoReplicaDb()] }));
    const promoteCalls = countPromotions(h);
    h.probe.fail('orders-primary');
    h.cloud.failInstance('orders-primary', 'failed');
    await h.cycles(2);
    const dublin = h.context();
    const frankfurt = h.context({ checker: 'eu-central-1' });
    await observe(dublin);
    const dublinPlan = await planAsSoleActor(dublin);
    h.cloud.advance(1_000);
    const frankfurtPlan = await planAsSoleActor(frankfurt);
    expect([dublinPlan, frankfurtPlan].map((p) => p.actions.map((a) => a.kind))).toEqual([
      ['database.promote'],
      ['database.promote'],
    ]);
    // Act: each under its own region's lease, at the same time
    const reports = await Promise.all([executePlan(dublin, dublinPlan), executePlan(frankfurt, frankfurtPlan)]);
    // Assess
    expect(promoteCalls()).toBe(1);
    const runbooks = await listRunbooks(h.cloud.store);
    expect(runbooks.map((r) => [r.name, r.value.status])).toEqual([
      ['database-failover-orders-orders-primary-1', 'running'],
    ]);
    expect(reports.flatMap((r) => r.results.map((x) => x.outcome)).sort()).toEqual(['applied', 'skipped']);
  });

  it('leaves a running runbook to the designated checker: the writer is moved and told once when every checker plans the step', async () => {
    // Prepare: orders-r1's promotion was started by eu-west-1 and is complete; both checkers are live
    const h = harness(webTopology({ databases: [twoReplicaDb()] }));
    h.probe.fail('orders-primary');
    h.cloud.failInstance('orders-primary', 'failed');
    await h.cycles(3);
    h.cloud.advance(60_000);
    const dublin = h.context();
    const frankfurt = h.context({ checker: 'eu-central-1' });
    await observe(frankfurt);
    h.cloud.advance(CYCLE_MS);
    await observe(dublin);
    const plans = [await planCycle(dublin), await planCycle(frankfurt)];
    // Act: both execute what they planned
    await Promise.all([executePlan(dublin, plans[0]!), executePlan(frankfurt, plans[1]!)]);
    // Assess: only eu-west-1 planned the step; one notification
    expect(plans.map((p) => p.actions.map((a) => a.kind))).toEqual([['database.repoint-writer'], []]);
    expect(plans[1]?.notes.join(' ')).toContain('left to checker eu-west-1');
    expect(h.notifications('database.repoint-writer')).toHaveLength(1);
  });
});
