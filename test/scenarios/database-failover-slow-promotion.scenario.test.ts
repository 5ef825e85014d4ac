// A promotion that outlasts promotionTimeoutSeconds, a candidate that breaks mid-promotion, and a
// retried promotion whose replica fell behind: one promotion per failure, whatever the timing.
import { describe, expect, it } from 'vitest';
import { executePlan, listRunbooks, observe, planCycle, readGuardState } from '../../lambdas/engine';
import { countPromotions, twoReplicaDb, WRITER } from './database-fixtures';
import { harness, webTopology } from './engine-harness';

/** orders-primary is confirmed down after three cycles, and orders-r1's promotion is called. */
async function promotionCalled(promotionTimeoutSeconds: number) {
  const h = harness(webTopology({ databases: [twoReplicaDb()] }), { promotionTimeoutSeconds });
  const promoteCalls = countPromotions(h);
  h.probe.fail('orders-primary');
  h.cloud.failInstance('orders-primary', 'failed');
  await h.cycles(3);
  expect(promoteCalls()).toBe(1);
  return { h, promoteCalls };
}

describe('database failover: one promotion per failure, however long it takes', () => {
  it('never promotes twice: a promotion that outlasts promotionTimeoutSeconds is waited for while the candidate is still modifying', async () => {
    // Prepare: RDS takes 60 s to promote, the guard's limit is 20 s
    const { h, promoteCalls } = await promotionCalled(20);
    // Act: 80 s of cycles
    await h.cycles(8);
    // Assess: no second promotion, one runbook completed, the writer on orders-r1, and the slowness told
    expect(promoteCalls()).toBe(1);
    expect(h.notifications('database.abandon')).toEqual([]);
    expect((await listRunbooks(h.cloud.store)).map((r) => [r.name, r.value.status])).toEqual([
      ['database-failover-orders-orders-primary-1', 'completed'],
    ]);
    expect(h.cloud.resolve(WRITER, 'CNAME')).toEqual(['orders-r1.abc.eu-west-1.rds.amazonaws.com']);
    const [slow] = h.notifications('database.promotion-slow');
    expect(slow?.severity).toBe('critical');
    expect(slow?.reason).toContain('orders-r1 is still modifying');
  });

  it('gives up a promotion only once the candidate is in a terminal state, and fences it before promoting another', async () => {
    // Prepare: the candidate breaks while RDS promotes it
    const { h, promoteCalls } = await promotionCalled(20);
    h.cloud.failInstance('orders-r1', 'failed');
    h.probe.fail('orders-r1');
    // Act: past the limit, the runbook is given up and orders-r2 takes over
    await h.cycles(4);
    h.cloud.advance(60_000);
    await h.cycles(1);
    // Assess: orders-r1 is fenced (RDS may still finish its promotion), orders-r2 holds the writer name
    expect(promoteCalls()).toBe(2);
    const { fencedMembers } = (await readGuardState(h.cloud.store)).state;
    expect(Object.keys(fencedMembers).sort()).toEqual(['orders-primary', 'orders-r1']);
    expect(fencedMembers['orders-r1']?.reason).toContain('given up');
    expect(h.cloud.resolve(WRITER, 'CNAME')).toEqual(['orders-r2.abc.eu-west-1.rds.amazonaws.com']);
  });

  it('re-reads the lag right before a retried promotion and refuses a replica that fell behind', async () => {
    // Prepare: the first call is refused; by the retry orders-r1 lags 300 s (maxLagSeconds 30)
    const h = harness(webTopology({ databases: [twoReplicaDb({ maxLagSeconds: 30 })] }));
    const promoteCalls = countPromotions(h);
    h.probe.fail('orders-primary');
    h.cloud.failInstance('orders-primary', 'failed');
    h.cloud.failNext('promoteReadReplica', 1);
    await h.cycles(3);
    const ctx = h.context();
    await observe(ctx);
    const retry = await planCycle(ctx);
    expect(retry.actions.map((a) => a.kind)).toEqual(['database.promote']);
    h.cloud.setLag('orders-r1', 300);
    // Act
    const report = await executePlan(ctx, retry);
    // Assess: no second call; the refusal names the lag just read
    expect(promoteCalls()).toBe(1);
    expect(report.results[0]?.outcome).toBe('skipped');
    expect(report.results[0]?.detail).toContain(
      'orders-r1 lags 300 s when re-read before promoting it, over maxLagSeconds 30',
    );
  });
});
