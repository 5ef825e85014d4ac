// A database promotion planned before another invocation acted, executed after it: one runbook, one call.
import { describe, expect, it, vi } from 'vitest';
import { executePlan, listRunbooks, observe, planCycle } from '../../lambdas/engine';
import { member } from './database-fixtures';
import { harness, webTopology, ZONE } from './engine-harness';


const ordersDb = (extra: Record<string, unknown> = {}) => ({
  id: 'orders',
  engine: 'rds-instance' as const,
  primary: member('orders-primary', 'eu-west-1', 'orders-primary'),
  replicas: [member('orders-r1', 'eu-west-1', 'orders-r1', 0), member('orders-r2', 'eu-west-1', 'orders-r2', 1)],
  writerDns: { hostedZoneId: ZONE, name: 'db-writer.shop.example.com', ttl: 30 },
  ...extra,
});

/** Counts the PromoteReadReplica calls that reach the in-memory RDS (accepted or refused). */
function countPromotions(h: ReturnType<typeof harness>): () => number {
  const spy = vi.spyOn(h.cloud.database, 'promoteReadReplica');
  return () => spy.mock.calls.length;
}

describe('database failover: a plan executed late', () => {
  it('starts one runbook and one promotion when a plan made before another invocation acted is executed after it', async () => {
    // Prepare: two invocations plan from the same state
    const h = harness(webTopology({ databases: [ordersDb()] }));
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
