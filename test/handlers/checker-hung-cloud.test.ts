// A control plane that hangs instead of failing (normal in a regional event) must delay the plan,
// never the health signal: the checker handler over the in-memory cloud with a Route 53 that never
// answers, its deadline on the cloud's clock (no real waiting).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { probeTargets } from '../../lambdas/domain/config/targets';
import { createCheckerHandler } from '../../lambdas/handlers/checker';
import { exampleTopology } from '../fixtures/guard-topologies';
import { captureOutput, fakeClock, powertools, tableProbe } from './handler-fixtures';

describe('the checker with a Route 53 control plane that never answers', () => {
  const topology = exampleTopology();
  let stdout: ReturnType<typeof captureOutput>;

  beforeEach(() => {
    stdout = captureOutput();
  });
  afterEach(() => stdout.restore());

  it('publishes the cycle figures every cycle, ends each cycle by its deadline and acts on nothing it could not read', async () => {
    // Prepare: eu-central-1's endpoints are all down, so the checker would pull them if it could read the records
    const clock = fakeClock();
    const cloud = MemoryCloud.fromTopology(topology, { now: () => new Date(clock.nowMs()) });
    cloud.slow({ service: 'Route 53' }, 'never');
    const down = new Set(
      probeTargets(topology)
        .filter((t) => t.region === 'eu-central-1')
        .map((t) => t.id),
    );
    const actorRequests: unknown[] = [];
    const handler = createCheckerHandler({
      topology,
      region: 'eu-west-1',
      ports: cloud.ports('eu-west-1'),
      probe: tableProbe(clock, down).probe,
      invokeActor: async (request) => void actorRequests.push(request),
      ...powertools(topology.name),
      clock,
      schedule: { mode: 'loop', loopSeconds: 55 },
      startDeadline: cloud.deadlineAfter,
    });
    // Act
    const result = await handler({}, { getRemainingTimeInMillis: () => 70_000 });
    // Assess: six cycles, each with its figures, none longer than the 10 s deadline
    expect(result.cycles).toBe(6);
    expect(stdout.metric('UnhealthyTargets').map((m) => m.UnhealthyTargets)).toEqual([
      0,
      0,
      down.size,
      down.size,
      down.size,
      down.size,
    ]);
    expect(
      stdout
        .metric('RegionHealthy')
        .filter((m) => m.JudgedRegion === 'eu-central-1')
        .map((m) => m.RegionHealthy),
    ).toEqual([1, 1, 0, 0, 0, 0]);
    // The cloud's clock runs ahead of the handler's by the time spent waiting on Route 53: one deadline a cycle at most.
    const waitedMs = cloud.now().getTime() - clock.nowMs();
    expect(waitedMs).toBeGreaterThan(0);
    expect(waitedMs).toBeLessThanOrEqual(6 * topology.guard.aws.cycleDeadlineSeconds * 1000);
    expect(cloud.dns.changes).toEqual([]);
    expect(stdout.logs('checker.cycle')).toHaveLength(6);
  });
});
