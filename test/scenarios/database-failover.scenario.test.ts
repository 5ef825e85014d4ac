import { describe, expect, it } from 'vitest';
import { readGuardState } from '../../lambdas/engine';
import { harness, webTopology, ZONE } from './engine-harness';
import { member } from './database-fixtures';

function ordersDb(extra: Record<string, unknown> = {}) {
  return {
    id: 'orders',
    engine: 'rds-instance' as const,
    maxLagSeconds: 30,
    primary: member('orders-primary', 'eu-west-1', 'orders-primary'),
    replicas: [
      member('orders-r1', 'eu-west-1', 'orders-r1', 1),
      member('orders-r2', 'eu-west-1', 'orders-r2', 0),
      member('orders-fra', 'eu-central-1', 'orders-fra', 1),
    ],
    writerDns: { hostedZoneId: ZONE, name: 'db-writer.shop.example.com', ttl: 30 },
    ...extra,
  };
}

const WRITER = 'db-writer.shop.example.com';

async function primaryDies(h: ReturnType<typeof harness>) {
  h.probe.fail('orders-primary', 'ECONNREFUSED');
  h.cloud.failInstance('orders-primary', 'failed');
}

describe('database failover with the in-memory cloud', () => {
  it('promotes the best replica, repoints the writer once promotion completes, and fences the old primary', async () => {
    // Prepare
    const h = harness(webTopology({ databases: [ordersDb()] }));
    h.cloud.setLag('orders-r1', 1);
    h.cloud.setLag('orders-r2', 4);
    h.cloud.setLag('orders-fra', 2);
    await primaryDies(h);
    // Act: three failed probes confirm, RDS agrees → promotion starts
    const started = await h.cycles(3);
    // Assess
    expect(started.execution.results.map((r) => [r.action.kind, r.outcome])).toEqual([['database.promote', 'applied']]);
    expect(started.plan.actions[0]).toMatchObject({ candidate: 'orders-r2', oldPrimary: 'orders-primary' });
    expect(h.cloud.resolve(WRITER, 'CNAME')).toEqual(['orders-primary.abc.eu-west-1.rds.amazonaws.com']);
    const waiting = await h.cycles(1);
    expect(waiting.plan.actions).toEqual([]);
    expect(waiting.plan.notes[0]).toContain('waiting for orders-r2');
    h.cloud.advance(60_000);
    const finished = await h.cycles(1);
    expect(finished.execution.results.map((r) => [r.action.kind, r.outcome])).toEqual([
      ['database.repoint-writer', 'applied'],
    ]);
    expect(h.cloud.resolve(WRITER, 'CNAME')).toEqual(['orders-r2.abc.eu-west-1.rds.amazonaws.com']);
    const { state } = await readGuardState(h.cloud.store);
    expect(Object.keys(state.fencedMembers)).toEqual(['orders-primary']);
    expect(state.databasePrimaries).toEqual({ orders: 'orders-r2' });
    const repointed = h.notifications('database.repoint-writer')[0];
    // orders-r1 and orders-fra still replicate from the old primary: they are no fallback for orders-r2
    expect(repointed?.reason).toContain(
      'redundancy is lower: no replica of orders-r2 left; create a read replica of orders-r2 — orders-r1, orders-fra still replicate from the fenced orders-primary',
    );
    // Nothing more happens: the promoted instance is not promoted again, the writer not rewritten
    const after = await h.cycles(3);
    expect(after.plan.actions).toEqual([]);
    expect(h.notifications('database.promote')).toHaveLength(1);
  });

  it('chooses by priority, then the least lag, then the primary region', async () => {
    const h = harness(
      webTopology({
        databases: [
          ordersDb({
            replicas: [
              member('orders-fra', 'eu-central-1', 'orders-fra', 1),
              member('orders-r1', 'eu-west-1', 'orders-r1', 1),
              member('orders-r3', 'eu-west-1', 'orders-r3', 1),
            ],
          }),
        ],
      }),
    );
    h.cloud.setLag('orders-fra', 3);
    h.cloud.setLag('orders-r1', 3);
    h.cloud.setLag('orders-r3', 5);
    await primaryDies(h);
    const report = await h.cycles(3);
    expect(report.plan.actions[0]).toMatchObject({ kind: 'database.promote', candidate: 'orders-r1' });
  });

  it('does not promote when the probe fails but RDS reports the primary available', async () => {
    const h = harness(webTopology({ databases: [ordersDb()] }));
    h.probe.fail('orders-primary');
    const report = await h.cycles(4);
    expect(report.plan.actions).toEqual([]);
    const alerts = h.notifications('database.probe-disagrees');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.reason).toContain('probe failing');
    expect(alerts[0]?.reason).toContain('RDS reports available');
  });

  it('does not promote a replica over the lag limit, and names why each replica was rejected', async () => {
    const h = harness(webTopology({ databases: [ordersDb()] }));
    h.cloud.setLag('orders-r1', 90);
    h.cloud.setLag('orders-r2', undefined);
    h.probe.fail('orders-fra');
    await primaryDies(h);
    const report = await h.cycles(4);
    expect(report.plan.actions).toEqual([]);
    const alert = h.notifications('database.no-candidate')[0];
    expect(alert?.severity).toBe('critical');
    expect(alert?.reason).toContain('orders-r1: lag 90s is over maxLagSeconds 30');
    expect(alert?.reason).toContain('orders-r2: replica lag unknown');
    expect(alert?.reason).toContain('orders-fra: its own probe is UNHEALTHY');
  });

  it('promotes the best lagging replica when allowDataLoss is set, and says so', async () => {
    const h = harness(webTopology({ databases: [ordersDb({ allowDataLoss: true })] }));
    h.cloud.setLag('orders-r1', 90);
    h.cloud.setLag('orders-r2', 120);
    h.cloud.setLag('orders-fra', 200);
    await primaryDies(h);
    const report = await h.cycles(3);
    expect(report.plan.actions[0]).toMatchObject({ kind: 'database.promote', candidate: 'orders-r2' });
    expect(report.plan.actions[0]?.reason).toContain('allowDataLoss');
  });

  it('retries a failed promotion on the next cycle and alerts the failure', async () => {
    const h = harness(webTopology({ databases: [ordersDb()] }));
    await primaryDies(h);
    h.cloud.failNext('promoteReadReplica', 1);
    const failed = await h.cycles(3);
    expect(failed.execution.results.map((r) => r.outcome)).toEqual(['failed']);
    expect(h.notifications('database.promote.failed')[0]?.severity).toBe('critical');
    const retried = await h.cycles(1);
    expect(retried.execution.results.map((r) => [r.action.kind, r.outcome])).toEqual([['database.promote', 'applied']]);
    expect(retried.plan.actions[0]?.reason).toContain('attempt 2');
    h.cloud.advance(60_000);
    await h.cycles(1);
    expect(h.cloud.resolve(WRITER, 'CNAME')).toEqual(['orders-r2.abc.eu-west-1.rds.amazonaws.com']);
  });

  it('gives up a promotion that does not complete in time, with a critical alert', async () => {
    const h = harness(webTopology({ databases: [ordersDb()] }), { promotionTimeoutSeconds: 30 });
    await primaryDies(h);
    await h.cycles(3);
    h.cloud.database.setInstanceStatus('orders-r2', 'storage-full');
    const report = await h.cycles(4);
    expect(h.notifications('database.abandon')[0]?.severity).toBe('critical');
    expect(report.plan.actions.map((a) => a.kind)).not.toContain('database.repoint-writer');
  });

  it('fails an Aurora cluster over to the chosen instance and repoints the writer', async () => {
    const h = harness(
      webTopology({
        databases: [
          ordersDb({
            engine: 'aurora-cluster',
            clusterIdentifier: 'orders-cluster',
            replicas: [member('orders-r1', 'eu-west-1', 'orders-r1', 0)],
          }),
        ],
      }),
    );
    await primaryDies(h);
    const started = await h.cycles(3);
    expect(started.plan.actions[0]).toMatchObject({
      kind: 'database.promote',
      method: 'failover-cluster',
      candidate: 'orders-r1',
    });
    h.cloud.advance(30_000);
    await h.cycles(1);
    expect(h.cloud.resolve(WRITER, 'CNAME')).toEqual(['orders-r1.abc.eu-west-1.rds.amazonaws.com']);
    expect(h.notifications('database.repoint-writer')[0]?.reason).toContain(
      'redundancy is lower: no replica of orders-r1 left; add a reader instance to cluster orders-cluster',
    );
  });
});
