// A database promotion planned before another invocation acted, executed after it: one runbook, one call.
import { describe, expect, it } from 'vitest';
import { executePlan, listRunbooks, observe, planCycle } from '../../lambdas/engine';
import { countPromotions, twoReplicaDb } from './database-fixtures';
import { harness, webTopology } from './engine-harness';

describe('database failover: a plan executed late', () => {
  it('starts one runbook and one promotion when a plan made before another invocation acted is executed after it', async () => {
    // Prepare: two invocations plan from the same state
    const h = harness(webTopology({ databases: [twoReplicaDb()] }));
    const promoteCalls = countPromotions(h);
    h.probe.fail('orders-primary');
    h.cloud.failInstance('orders-primary', 'failed');
    await h.cycles(2);
    const first = h.context();
    await observe(first);
    const firstPlan = await planCycle(first);
    h.cloud.advance(1_000);
    const second = h.context();
    const secondPlan = await planCycle(second);
    // Act: one after the other, each under the lease
    await executePlan(first, firstPlan);
    const late = await executePlan(second, secondPlan);
    // Assess
    expect(promoteCalls()).toBe(1);
    expect((await listRunbooks(h.cloud.store)).map((r) => r.value.status)).toEqual(['running']);
    expect(late.results.map((r) => r.outcome)).toEqual(['skipped']);
  });
});
