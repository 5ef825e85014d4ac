// The actor handler: re-plans from the views the checker stored, then acts through the ports.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { createActorHandler } from '../../lambdas/handlers/actor';
import { createCheckerHandler, type ActorRequest } from '../../lambdas/handlers/checker';
import { exampleTopology } from '../fixtures/guard-topologies';
import { captureOutput, fakeClock, powertools, tableProbe } from './handler-fixtures';

describe('the actor handler', () => {
  const topology = exampleTopology();
  let output: ReturnType<typeof captureOutput>;

  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => output.restore());

  /** `prepare`: changes the cloud before the checker's invocation; the checker makes the readiness reads. */
  async function checkerRun(down: ReadonlySet<string>, prepare: (cloud: MemoryCloud) => void = () => {}) {
    const clock = fakeClock();
    const cloud = MemoryCloud.fromTopology(topology, { now: () => new Date(clock.nowMs()) });
    prepare(cloud);
    const requests: ActorRequest[] = [];
    const checker = createCheckerHandler({
      topology,
      region: 'eu-west-1',
      ports: cloud.ports('eu-west-1'),
      probe: tableProbe(clock, down).probe,
      invokeActor: async (r) => {
        requests.push(r);
      },
      ...powertools(topology.name),
      clock,
      schedule: { mode: 'loop', loopSeconds: 55 },
      readinessReads: cloud.readinessReads,
    });
    await checker({}, { getRemainingTimeInMillis: () => 70_000 });
    const actor = createActorHandler({
      topology,
      region: 'eu-west-1',
      ports: cloud.ports('eu-west-1'),
      ...powertools(topology.name),
      now: () => new Date(clock.nowMs()),
    });
    return { cloud, requests, actor };
  }

  it('pulls the UNHEALTHY server out of DNS, notifies, and publishes the applied action', async () => {
    // Prepare
    const { cloud, requests, actor } = await checkerRun(new Set(['web-dub-a']));
    expect(cloud.resolve('origin.shop.example.com', 'A')).toContain('10.10.1.11');
    // Act
    const result = await actor(requests.at(-1)!);
    // Assess
    expect(result.execution).toMatchObject({ leaseHeld: true, applied: 1, failed: 0 });
    expect(cloud.resolve('origin.shop.example.com', 'A')).not.toContain('10.10.1.11');
    expect(cloud.resolve('origin.shop.example.com', 'A')).toContain('10.10.2.11');
    expect(cloud.notifier.outbox.map((n) => [n.eventType, n.planId])).toContainEqual([
      expect.stringMatching(/^dns\./),
      result.planId,
    ]);
    expect(output.metric('ActionsApplied')[0]).toMatchObject({ ActionsApplied: 1, service: 'failover-guard-shop' });
    const summary = output.logs('actor.summary')[0];
    expect(summary).toMatchObject({ planId: result.planId, checkerPlanId: requests.at(-1)!.checkerPlanId, applied: 1 });
  });

  it("judges readiness on the checker's readiness reads, handed over with the request, and reads none again", async () => {
    // Prepare: an instance registered behind the standby's load balancer that the topology does not list
    const fra = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/shop-web-fra/0123456789abcdef';
    const instance = 'i-0a1b2c3d4e5f60789';
    const { cloud, requests, actor } = await checkerRun(new Set(), (c) => {
      c.loadBalancer.addTargets(fra, [{ targetId: instance, port: 8080 }]);
      c.inventory.addInstance('eu-central-1', {
        id: instance,
        state: 'running',
        privateIps: ['10.20.9.9'],
        publicIps: [],
        ipv6: [],
      });
    });
    const request = requests.find((r) => r.readiness !== undefined)!;
    expect(request.readiness?.targetInstances).toEqual({
      addresses: { 'eu-central-1': { [instance]: ['10.20.9.9'] } },
      unread: [],
    });
    const inventoryReads = vi.spyOn(cloud.inventory, 'listInstancesById');
    // Act
    await actor(JSON.parse(JSON.stringify(request)) as ActorRequest);
    // Assess
    expect(inventoryReads).not.toHaveBeenCalled();
    const lost = cloud.notifier.outbox.find((n) => n.eventType === 'readiness.lost');
    expect(lost?.reason).toContain(
      `drift nlb-fra-1 ${instance}: ${instance} (10.20.9.9) is registered in target group shop-web-fra`,
    );
  });

  it('publishes on a later invocation the notice of an applied action whose publish failed, once, though nothing else is to do', async () => {
    // Prepare: the pull is applied, its notice's publish fails
    const { cloud, requests, actor } = await checkerRun(new Set(['web-dub-a']));
    cloud.notifier.failNext(1);
    const failed = await actor(requests.at(-1)!);
    expect(failed.execution).toMatchObject({ applied: 1, notificationsFailed: 1 });
    expect(cloud.notifier.outbox.filter((n) => n.eventType === 'dns.pull')).toEqual([]);
    // Act
    const later = await actor({ checkerPlanId: 'plan-later', checker: 'eu-west-1', actions: 0, alerts: 0 });
    await actor({ checkerPlanId: 'plan-after', checker: 'eu-west-1', actions: 0, alerts: 0 });
    // Assess
    expect(later).toMatchObject({ actions: 0, execution: { notificationsPublished: 1, notificationsFailed: 0 } });
    expect(cloud.notifier.outbox.filter((n) => n.eventType === 'dns.pull').map((n) => n.planId)).toEqual([
      failed.planId,
    ]);
    expect(output.logs('actor.nothing-to-do')).toHaveLength(1);
  });

  it('does nothing when its own plan is empty, whatever the request claims', async () => {
    const { cloud, actor } = await checkerRun(new Set());
    const before = cloud.resolve('origin.shop.example.com', 'A');
    const result = await actor({ checkerPlanId: 'plan-forged', checker: 'eu-west-1', actions: 3, alerts: 0 });
    expect(result).toEqual({ planId: expect.stringMatching(/^plan-/), actions: 0 });
    expect(cloud.resolve('origin.shop.example.com', 'A')).toEqual(before);
    expect(cloud.notifier.outbox).toEqual([]);
    expect(output.logs('actor.nothing-to-do')[0]).toMatchObject({ checkerPlanId: 'plan-forged', requestedActions: 3 });
  });

  it('counts a failed publish in NotificationsFailed and logs it at error', async () => {
    // Prepare
    const { cloud, requests, actor } = await checkerRun(new Set(['web-dub-a']));
    cloud.notifier.failNext(1);
    // Act
    const result = await actor(requests.at(-1)!);
    // Assess
    expect(result.execution).toMatchObject({ applied: 1, notificationsFailed: 1 });
    expect(output.metric('NotificationsFailed')[0]).toMatchObject({
      NotificationsFailed: 1,
      service: 'failover-guard-shop',
    });
    expect(output.lines().filter((l) => l.message === 'notify.failed')).toEqual([
      expect.objectContaining({ level: 'ERROR' }),
    ]);
  });
});
