// Real fencing: after a failover the old primary is stopped (or isolated) as soon as RDS answers
// for it, retried until RDS shows it done, recorded, notified — and fenced again if it comes back.
import { describe, expect, it, vi } from 'vitest';
import { readGuardState } from '../../lambdas/engine';
import { harness, webTopology } from './engine-harness';
import { twoReplicaDb } from './database-fixtures';

const ISOLATION = 'sg-0123456789abcdef0';

/** Fails the primary and runs the failover to its end: orders-r1 promoted, the writer moved, orders-primary fenced in state. */
async function failedOver(extra: Record<string, unknown> = {}) {
  const h = harness(webTopology({ databases: [twoReplicaDb(extra)] }));
  h.probe.fail('orders-primary', 'ECONNREFUSED');
  h.cloud.failInstance('orders-primary', 'failed');
  await h.cycles(3);
  h.cloud.advance(60_000);
  const repointed = await h.cycles(1);
  expect(repointed.execution.results.map((r) => [r.action.kind, r.outcome])).toContainEqual([
    'database.repoint-writer',
    'applied',
  ]);
  return h;
}

const fenceResults = (cycle: {
  execution: { results: readonly { action: { kind: string; step?: unknown }; outcome: string; detail: string }[] };
}) =>
  cycle.execution.results
    .filter((r) => r.action.kind === 'database.fence')
    .map((r) => [(r.action as { step: string }).step, r.outcome]);

describe('fencing the old primary', () => {
  it('stops the old primary once RDS shows it running again, retries a refused stop, and records and tells the confirmation', async () => {
    const h = await failedOver();
    // The old primary is "failed": StopDBInstance needs it available, so the fence waits and says why.
    const waiting = await h.cycles(1);
    expect(fenceResults(waiting)).toEqual([]);
    expect(waiting.plan.notes.join('\n')).toMatch(/fence \(stop\) of orders-primary \(orders\) waits: it is failed/);
    // It comes back (a restart, a healed partition): a client with a cached answer could write to it.
    h.cloud.database.setInstanceStatus('orders-primary', 'available');
    h.cloud.failNext('stopInstance', 1);
    expect(fenceResults(await h.cycles(1))).toEqual([['apply', 'failed']]);
    const stopped = await h.cycles(1);
    expect(fenceResults(stopped)).toEqual([['apply', 'applied']]);
    expect((await h.cloud.database.describeInstance('eu-west-1', 'orders-primary'))?.status).toBe('stopping');
    expect((await readGuardState(h.cloud.store)).state.fencedMembers['orders-primary']?.fence).toEqual({
      mode: 'stop',
      requestedAt: expect.any(String),
    });
    // Stopping: nothing is called twice.
    expect(fenceResults(await h.cycles(1))).toEqual([]);
    h.cloud.advance(h.cloud.database.timings.stopMs);
    const confirmed = await h.cycles(1);
    expect(fenceResults(confirmed)).toEqual([['confirm', 'applied']]);
    expect((await readGuardState(h.cloud.store)).state.fencedMembers['orders-primary']?.fence).toEqual({
      mode: 'stop',
      requestedAt: expect.any(String),
      confirmedAt: expect.any(String),
    });
    expect(h.notifications('database.fence').map((n) => n.subject)).toEqual([
      expect.stringMatching(/fencing old primary orders-primary of orders \(stop\)/),
      expect.stringMatching(/old primary orders-primary of orders fenced \(stopped\)/),
    ]);
    expect(fenceResults(await h.cycles(2))).toEqual([]);
  });

  it('stops it again when RDS starts it after 7 days (or someone starts it by hand)', async () => {
    const h = await failedOver();
    h.cloud.database.setInstanceStatus('orders-primary', 'available');
    await h.cycles(1);
    h.cloud.advance(h.cloud.database.timings.stopMs);
    await h.cycles(1);
    h.cloud.database.startInstance('orders-primary', 'eu-west-1');
    expect(fenceResults(await h.cycles(1))).toEqual([['apply', 'applied']]);
  });

  it('waits while RDS cannot be read for the old primary, and never calls blind', async () => {
    const h = await failedOver();
    h.cloud.database.setInstanceStatus('orders-primary', 'available');
    h.cloud.failNext('describeInstance', 100);
    const blind = await h.cycles(1);
    expect(fenceResults(blind)).toEqual([]);
    expect(blind.plan.notes.join('\n')).toMatch(
      /fence \(stop\) of orders-primary \(orders\) waits: its region does not answer/,
    );
  });

  it('isolates the old primary in the configured security group when fence is "isolate"', async () => {
    const h = await failedOver({ fence: 'isolate', isolationSecurityGroups: { 'eu-west-1': ISOLATION } });
    h.cloud.database.setInstanceStatus('orders-primary', 'available');
    expect(fenceResults(await h.cycles(1))).toEqual([['apply', 'applied']]);
    expect((await h.cloud.database.describeInstance('eu-west-1', 'orders-primary'))?.securityGroups).toEqual([
      { id: ISOLATION, status: 'active' },
    ]);
    expect(fenceResults(await h.cycles(1))).toEqual([['confirm', 'applied']]);
    expect((await h.cloud.database.describeInstance('eu-west-1', 'orders-primary'))?.status).toBe('available');
  });

  it('lifts the fence once the old primary is rebuilt as a replica of the writer, tells it, and never stops the rebuilt replica', async () => {
    const h = await failedOver();
    const stops = vi.spyOn(h.cloud.database, 'stopInstance');
    // The operator deletes the diverged instance and creates a read replica of orders-r1 under its name.
    h.cloud.failInstance('orders-primary', 'deleted');
    h.cloud.database.addInstance({
      region: 'eu-west-1',
      identifier: 'orders-primary',
      replicaOf: { region: 'eu-west-1', identifier: 'orders-r1' },
    });
    h.probe.recover('orders-primary');
    const lifted = await h.cycles(1);
    expect(fenceResults(lifted)).toEqual([['lift', 'applied']]);
    expect((await readGuardState(h.cloud.store)).state.fencedMembers['orders-primary']).toBeUndefined();
    expect(h.notifications('database.fence').at(-1)).toMatchObject({
      severity: 'info',
      subject: expect.stringMatching(/fence of orders-primary of orders lifted: a replica of the writer again/),
    });
    expect(fenceResults(await h.cycles(2))).toEqual([]);
    expect(stops).not.toHaveBeenCalled();
  });

  it('keeps the fence of an old primary that runs again but replicates from no one, or from another instance', async () => {
    const h = await failedOver({ fence: 'none' });
    h.cloud.database.setInstanceStatus('orders-primary', 'available');
    expect(fenceResults(await h.cycles(2))).toEqual([]);
    // orders-r2 still replicates from the fenced orders-primary: a replica, but not of the writer.
    h.cloud.failInstance('orders-primary', 'deleted');
    h.cloud.database.addInstance({
      region: 'eu-west-1',
      identifier: 'orders-primary',
      replicaOf: { region: 'eu-west-1', identifier: 'orders-r2' },
    });
    expect(fenceResults(await h.cycles(2))).toEqual([]);
    expect((await readGuardState(h.cloud.store)).state.fencedMembers['orders-primary']).toBeDefined();
  });

  it('only records the fence when fence is "none"', async () => {
    const h = await failedOver({ fence: 'none' });
    h.cloud.database.setInstanceStatus('orders-primary', 'available');
    expect(fenceResults(await h.cycles(2))).toEqual([]);
    expect((await readGuardState(h.cloud.store)).state.fencedMembers['orders-primary']).toBeDefined();
  });
});
