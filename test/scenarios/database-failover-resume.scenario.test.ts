// A database runbook resumed after a crash between steps, or whose candidate broke before its promotion.
import { describe, expect, it } from 'vitest';
import { databaseRunbookOf, listRunbooks, updateRunbook } from '../../lambdas/engine';
import { harness, webTopology } from './engine-harness';
import { countPromotions, twoReplicaDb, WRITER } from './database-fixtures';

describe('database failover: resuming a runbook', () => {
  it('waits for a promotion already under way after a crash before the step was recorded, without calling PromoteReadReplica again', async () => {
    // Prepare: the promotion is accepted, then the step record is lost (the invocation died in between)
    const h = harness(webTopology({ databases: [twoReplicaDb()] }));
    const promoteCalls = countPromotions(h);
    h.probe.fail('orders-primary');
    h.cloud.failInstance('orders-primary', 'failed');
    await h.cycles(3);
    const [runbook] = await listRunbooks(h.cloud.store);
    await updateRunbook(h.cloud.store, runbook!.value.id, databaseRunbookOf, (r) => ({
      ...r,
      steps: r.steps.map((s) => ({ ...s, status: 'pending' as const, attempts: 0 })),
    }));
    const callsBefore = promoteCalls();
    // Act: the next cycles find the candidate 'modifying'
    const resumed = await h.cycles(2);
    // Assess: no second call, no failure; the writer moves once the promotion completes
    expect(promoteCalls()).toBe(callsBefore);
    expect(h.notifications('database.promote.failed')).toEqual([]);
    expect(resumed.plan.notes.join(' ')).toContain('orders-r1');
    h.cloud.advance(60_000);
    await h.cycles(1);
    expect(h.cloud.resolve(WRITER, 'CNAME')).toEqual(['orders-r1.abc.eu-west-1.rds.amazonaws.com']);
  });

  it('gives up a runbook whose candidate broke before it could be promoted, and chooses another replica', async () => {
    // Prepare: the first promotion call fails, then the candidate itself fails
    const h = harness(webTopology({ databases: [twoReplicaDb()] }), { promotionTimeoutSeconds: 60 });
    const promoteCalls = countPromotions(h);
    h.probe.fail('orders-primary');
    h.cloud.failInstance('orders-primary', 'failed');
    h.cloud.failNext('promoteReadReplica', 1);
    await h.cycles(3);
    h.cloud.failInstance('orders-r1', 'failed');
    h.probe.fail('orders-r1');
    // Act
    await h.cycles(12);
    h.cloud.advance(60_000);
    await h.cycles(1);
    // Assess: the runbook is abandoned after the timeout and orders-r2 takes over; the broken candidate is not called again
    expect(h.notifications('database.abandon')).toHaveLength(1);
    expect(promoteCalls()).toBe(2);
    expect(h.cloud.resolve(WRITER, 'CNAME')).toEqual(['orders-r2.abc.eu-west-1.rds.amazonaws.com']);
    // The retry of the same failure is a new runbook next to the given-up one
    const runbooks = (await listRunbooks(h.cloud.store)).map((r) => [r.name, r.value.status]).sort();
    expect(runbooks).toEqual([
      ['database-failover-orders-orders-primary-1', 'failed'],
      ['database-failover-orders-orders-primary-2', 'completed'],
    ]);
  });
});
