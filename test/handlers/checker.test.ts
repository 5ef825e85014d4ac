// The checker handler with the in-memory cloud: sub-minute cycles, views, metrics, and the actor hand-off.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { readView } from '../../lambdas/engine';
import { currentDeadline } from '../../lambdas/ports/deadline';
import { createCheckerHandler, type ActorRequest } from '../../lambdas/handlers/checker';
import { exampleTopology } from '../fixtures/guard-topologies';
import { captureOutput, fakeClock, powertools, tableProbe } from './handler-fixtures';

const lambdaContext = (remainingMs = 70_000) => ({ getRemainingTimeInMillis: () => remainingMs });

describe('the checker handler', () => {
  const topology = exampleTopology();
  let stdout: ReturnType<typeof captureOutput>;

  beforeEach(() => {
    stdout = captureOutput();
  });
  afterEach(() => stdout.restore());

  function setup(
    down: ReadonlySet<string> = new Set(),
    invokeActor: (r: ActorRequest) => Promise<void> = async () => {},
    readinessAlarmIsOk?: (cloud: MemoryCloud) => Promise<boolean>,
    hungCallsEnd = false,
  ) {
    const clock = fakeClock();
    const cloud = MemoryCloud.fromTopology(topology, { now: () => new Date(clock.nowMs()) });
    const { probe, calls } = tableProbe(clock, down);
    const requests: ActorRequest[] = [];
    const handler = createCheckerHandler({
      topology,
      region: 'eu-west-1',
      ports: cloud.ports('eu-west-1'),
      probe,
      invokeActor: async (request) => {
        requests.push(request);
        await invokeActor(request);
      },
      ...powertools(topology.name),
      clock,
      schedule: { mode: 'loop', loopSeconds: 55 },
      ...(readinessAlarmIsOk && { readinessAlarmIsOk: () => readinessAlarmIsOk(cloud) }),
      // Deadlines on the cloud's clock: a hung call ends at its deadline without real waiting.
      ...(hungCallsEnd && { startDeadline: cloud.deadlineAfter }),
    });
    return { handler, cloud, clock, probeCalls: calls, requests };
  }

  it('probes every 10 s from 0 to 50 s in one invocation, saving its view each cycle, with no UnhealthyTargets datapoint while none is UNHEALTHY', async () => {
    // Prepare
    const { handler, cloud, probeCalls, clock } = setup();
    const start = clock.nowMs();
    // Act
    const result = await handler({}, lambdaContext());
    // Assess
    expect(result).toEqual({ cycles: 6, actorInvocations: 0 });
    expect(probeCalls.map((t) => (t - start) / 1000)).toEqual([0, 10, 20, 30, 40, 50]);
    const view = await readView(cloud.store, 'eu-west-1');
    // The engine rewrites an unchanged view only when its heartbeat is due, so any time in the window will do.
    expect(Date.parse(view!.value.at)).toBeGreaterThanOrEqual(start);
    expect(Date.parse(view!.value.at)).toBeLessThanOrEqual(start + 50_000);
    expect(Object.keys(view!.value.health).length).toBeGreaterThan(0);
    // A metric is billed for the hours it receives data: none while nothing is UNHEALTHY (the heartbeat
    // alarm reads the function's invocations; the cycle summaries carry the figure every cycle).
    expect(stdout.metric('UnhealthyTargets')).toEqual([]);
    expect(stdout.logs('checker.cycle').map((c) => c.unhealthyTargets)).toEqual(Array(6).fill(0));
    // Failed probes are read from the cycle summaries (the dashboard's Logs Insights widget), never paid for as a metric.
    expect(stdout.metric('ProbeFailures')).toEqual([]);
    expect(stdout.metric('Heartbeat')).toEqual([]);
    // A fresh deployment: every endpoint has just been seen for the first time, so the region is not settled yet.
    expect(stdout.metric('RegionHealthy')[0]).toMatchObject({
      RegionHealthy: 1,
      JudgedRegion: 'eu-central-1',
      service: 'failover-guard-shop',
    });
    expect(stdout.metric('ActionsPlanned')).toEqual([]);
  });

  it('starts no cycle that would not finish before the function times out', async () => {
    const { handler, probeCalls } = setup();
    // 30 s left, 12 s kept for the last cycle: cycles at 0, 10 only.
    await expect(handler({}, lambdaContext(30_000))).resolves.toEqual({ cycles: 2, actorInvocations: 0 });
    expect(probeCalls).toHaveLength(2);
  });

  it('invokes the actor with the plan id once a server is UNHEALTHY, and reports it in metrics and the cycle log', async () => {
    // Prepare
    const { handler, requests } = setup(new Set(['web-dub-a']));
    // Act
    const result = await handler({}, lambdaContext());
    // Assess: failureThreshold 3 → UNHEALTHY from the third cycle on, and the plan pulls it.
    expect(result.actorInvocations).toBeGreaterThan(0);
    expect(requests[0]).toMatchObject({ checker: 'eu-west-1', checkerPlanId: expect.stringMatching(/^plan-/) });
    expect(requests[0]!.actions).toBeGreaterThan(0);
    const cycles = stdout.logs('checker.cycle');
    expect(cycles.map((c) => c.unhealthyTargets)).toEqual([0, 0, 1, 1, 1, 1]);
    expect(cycles[2]).toMatchObject({
      notHealthy: 'web-dub-a:UNHEALTHY',
      probeFailures: 1,
      planId: requests[0]!.checkerPlanId,
    });
    expect(stdout.logs('health.transition').map((t) => [t.targetId, t.to])).toContainEqual(['web-dub-a', 'UNHEALTHY']);
    expect(stdout.metric('ActionsPlanned').length).toBe(result.actorInvocations);
  });

  it("publishes StateDocumentsRejected and hands the actor the alert when a stored runbook fails its kind's schema", async () => {
    // Prepare: a database runbook whose data is a region runbook's
    const { handler, cloud, requests } = setup();
    const runbook = {
      id: 'database-failover-orders-1',
      kind: 'database-failover',
      status: 'running',
      data: { fromRegion: 'eu-west-1' },
    };
    await cloud.store.put('runbook', runbook.id, runbook, 0);
    // Act
    await handler({}, lambdaContext());
    // Assess: every cycle's plan reports it (the notice itself is de-duplicated when published)
    expect(stdout.metric('StateDocumentsRejected')).toEqual(
      Array(6).fill(expect.objectContaining({ StateDocumentsRejected: 1, service: 'failover-guard-shop' })),
    );
    expect(requests).toHaveLength(6);
    expect(requests[0]).toMatchObject({ checker: 'eu-west-1', actions: 0, alerts: 1 });
  });

  it('evaluates readiness in the first cycle of each readiness period only, publishing ReadinessFailures once while its alarm is not known OK', async () => {
    // Prepare: the clock starts on a 300 s boundary
    const { handler, requests } = setup();
    // Act
    await handler({}, lambdaContext());
    // Assess
    expect(stdout.metric('ReadinessFailures')).toEqual([
      expect.objectContaining({ ReadinessFailures: 0, service: 'failover-guard-shop' }),
    ]);
    expect(stdout.logs('checker.cycle').map((c) => c.readinessFailures)).toEqual([0, ...Array(5).fill(undefined)]);
    expect(requests).toEqual([]);
  });

  it('reads the alarm while every check passes, publishes the zero, and notes the alarm OK once it finds it so (test/cdk/readiness-signal.test.ts: then nothing)', async () => {
    // Prepare
    const reads: number[] = [];
    const { handler, clock, cloud } = setup(
      new Set(),
      async () => {},
      async () => reads.push(clock.nowMs()) > 0,
    );
    const start = clock.nowMs();
    // Act: the first readiness period finds the alarm OK
    await handler({}, lambdaContext());
    // Assess: one read, in the readiness cycle; its zero still goes out (the read may predate the last count's evaluation)
    expect(reads).toEqual([start]);
    expect(stdout.metric('ReadinessFailures')).toEqual([expect.objectContaining({ ReadinessFailures: 0 })]);
    expect(stdout.logs('checker.cycle')[0]).toMatchObject({ readinessFailures: 0 });
    expect(await cloud.store.get('readiness-signal', 'eu-west-1')).toEqual({
      namespace: 'readiness-signal',
      name: 'eu-west-1',
      value: { alarm: 'ok', at: new Date(start).toISOString(), schemaVersion: 1 },
      version: 1,
    });
  });

  it('publishes the zero while the alarm is not OK, or cannot be read or hangs past its deadline (a warning says why), and a failing check without reading it', async () => {
    // Prepare: the alarm still in ALARM; then unreadable; then the standby short of healthy targets
    const notOk = setup(
      new Set(),
      async () => {},
      async () => false,
    );
    await notOk.handler({}, lambdaContext());
    expect(stdout.metric('ReadinessFailures')).toEqual([expect.objectContaining({ ReadinessFailures: 0 })]);
    const unreadable = setup(
      new Set(),
      async () => {},
      async () => {
        throw new Error('Rate exceeded');
      },
    );
    await unreadable.handler({}, lambdaContext());
    expect(stdout.metric('ReadinessFailures')).toHaveLength(2);
    expect(stdout.logs('checker.readiness-alarm-unread')[0]).toMatchObject({
      level: 'WARN',
      error: expect.objectContaining({ message: 'Rate exceeded' }),
    });
    const hung = setup(
      new Set(),
      async () => {},
      (cloud) => cloud.clock.hang(currentDeadline()),
      true,
    );
    await hung.handler({}, lambdaContext());
    expect(stdout.metric('ReadinessFailures')).toHaveLength(3);
    expect(stdout.logs('checker.readiness-alarm-unread')[1]).toMatchObject({
      error: expect.objectContaining({ message: "no answer within the readiness alarm's read deadline of 2.5 s" }),
    });
    expect(await hung.cloud.store.get('readiness-signal', 'eu-west-1')).toBeUndefined();
    let read = false;
    const failing = setup(
      new Set(),
      async () => {},
      async () => {
        read = true;
        return true;
      },
    );
    const fra = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/shop-web-fra/0123456789abcdef';
    for (const target of ['10.20.1.11', '10.20.2.11']) failing.cloud.setTargetHealth(fra, target, 'unhealthy');
    // Act
    await failing.handler({}, lambdaContext());
    // Assess
    expect(stdout.metric('ReadinessFailures').at(-1)).toMatchObject({ ReadinessFailures: 1 });
    expect(read).toBe(false);
    expect((await failing.cloud.store.get('readiness-signal', 'eu-west-1'))?.value).toMatchObject({ alarm: 'pending' });
  });

  it('hands the actor its readiness evidence when a readiness check fails, so the actor re-plans with it', async () => {
    // Prepare: no healthy target behind the standby's first load balancer
    const { handler, cloud, requests } = setup();
    const fra = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/shop-web-fra/0123456789abcdef';
    for (const target of ['10.20.1.11', '10.20.2.11']) cloud.setTargetHealth(fra, target, 'unhealthy');
    // Act
    await handler({}, lambdaContext());
    // Assess
    expect(stdout.metric('ReadinessFailures')).toEqual([expect.objectContaining({ ReadinessFailures: 1 })]);
    // (the later requests are the target group's own report, which no actor here takes off the plan)
    expect(requests[0]).toMatchObject({ checker: 'eu-west-1', readiness: { certificates: {} } });
    expect(requests.filter((r) => r.readiness !== undefined)).toHaveLength(1);
  });

  it('keeps probing after a failed cycle, then fails the invocation so the errors alarm fires', async () => {
    // Prepare: the actor cannot be invoked.
    const { handler, probeCalls } = setup(new Set(['web-dub-a']), async () => {
      throw new Error('Rate exceeded');
    });
    // Act / Assess
    await expect(handler({}, lambdaContext())).rejects.toThrow(
      /of 6 checker cycles failed in eu-west-1; first: Rate exceeded/,
    );
    expect(probeCalls).toHaveLength(6);
    // From the third cycle on web-dub-a is UNHEALTHY: its figure goes out before the failing hand-off.
    expect(stdout.metric('UnhealthyTargets').map((m) => m.UnhealthyTargets)).toEqual([1, 1, 1, 1]);
    expect(stdout.logs('checker.cycle-failed').length).toBeGreaterThan(0);
  });
});
