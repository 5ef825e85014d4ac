// A second failure: the new primary dies too. Only a replica of the new primary may take over.
import { describe, expect, it } from 'vitest';
import { listRunbooks, readGuardState } from '../../lambdas/engine';
import { countPromotions, twoReplicaDb, WRITER } from './database-fixtures';
import { harness, webTopology } from './engine-harness';

/** The primary dies and orders-r1 takes over (promoted and repointed). */
async function failedOverToR1() {
  const h = harness(webTopology({ databases: [twoReplicaDb()] }));
  const promoteCalls = countPromotions(h);
  h.probe.fail('orders-primary');
  h.cloud.failInstance('orders-primary', 'failed');
  await h.cycles(3);
  h.cloud.advance(60_000);
  await h.cycles(1);
  return { h, promoteCalls };
}

describe('database failover: a second failure', () => {
  it('never promotes a replica still attached to the fenced old primary when the new primary fails too', async () => {
    // Prepare: first failover to orders-r1; orders-r2 still replicates from the dead orders-primary
    const { h, promoteCalls } = await failedOverToR1();
    expect((await readGuardState(h.cloud.store)).state.databasePrimaries).toEqual({ orders: 'orders-r1' });
    // Act: the new primary dies
    h.probe.fail('orders-r1');
    h.cloud.failInstance('orders-r1', 'failed');
    await h.cycles(4);
    // Assess: no promotion of the orphan, a critical alert that says why
    expect(promoteCalls()).toBe(1);
    const alert = h.notifications('database.no-candidate')[0];
    expect(alert?.reason).toContain(
      'orders-r2: replicates from orders-primary, not from the current primary orders-r1',
    );
  });

  it('promotes a replica of the new primary when the new primary fails too', async () => {
    // Prepare: first failover to orders-r1; the operator rebuilt orders-r2 as a replica of orders-r1
    const { h, promoteCalls } = await failedOverToR1();
    h.cloud.failInstance('orders-r2', 'deleted');
    h.cloud.database.addInstance({
      region: 'eu-west-1',
      identifier: 'orders-r2',
      replicaOf: { region: 'eu-west-1', identifier: 'orders-r1' },
      lagSeconds: 1,
    });
    // Act
    h.probe.fail('orders-r1');
    h.cloud.failInstance('orders-r1', 'failed');
    await h.cycles(3);
    h.cloud.advance(60_000);
    const done = await h.cycles(1);
    // Assess
    expect(promoteCalls()).toBe(2);
    expect(done.execution.results.map((r) => [r.action.kind, r.outcome])).toEqual([
      ['database.repoint-writer', 'applied'],
    ]);
    expect(h.cloud.resolve(WRITER, 'CNAME')).toEqual(['orders-r2.abc.eu-west-1.rds.amazonaws.com']);
    expect(Object.keys((await readGuardState(h.cloud.store)).state.fencedMembers).sort()).toEqual([
      'orders-primary',
      'orders-r1',
    ]);
    // The new primary's failure is a separate failure: its own runbook
    const runbooks = (await listRunbooks(h.cloud.store)).map((r) => [r.name, r.value.status]).sort();
    expect(runbooks).toEqual([
      ['database-failover-orders-orders-primary-1', 'completed'],
      ['database-failover-orders-orders-r1-1', 'completed'],
    ]);
  });
});
