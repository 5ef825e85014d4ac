// A control plane that hangs instead of failing (normal in a regional event) must delay the plan,
// never the health signal: the checker handler over the in-memory cloud with a Route 53 that never
// answers, its deadline on the cloud's clock (no real waiting).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { probeTargets } from '../../lambdas/domain/config/targets';
import { createCheckerHandler } from '../../lambdas/handlers/checker';
import { exampleTopology } from '../fixtures/guard-topologies';
import { captureOutput, fakeClock, powertools, tableProbe } from './handler-fixtures';

describe('the checker over a hostile cloud (a Route 53 control plane that never answers, reads that lag writes)', () => {
  const topology = exampleTopology();
  let stdout: ReturnType<typeof captureOutput>;

  beforeEach(() => {
    stdout = captureOutput();
  });
  afterEach(() => stdout.restore());

  /** The checker in eu-west-1 over `cloud` for one 55 s loop, eu-central-1's endpoints all down. */
  async function loopWithEuCentralDown(prepare: (cloud: MemoryCloud) => void) {
    const clock = fakeClock();
    const cloud = MemoryCloud.fromTopology(topology, { now: () => new Date(clock.nowMs()) });
    prepare(cloud);
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
    const result = await handler({}, { getRemainingTimeInMillis: () => 70_000 });
    const judged = (region: string) =>
      stdout
        .metric('RegionHealthy')
        .filter((m) => m.JudgedRegion === region)
        .map((m) => m.RegionHealthy);
    return { cloud, clock, down, result, judged };
  }

  /**
   * Six cycles' figures: eu-central-1 seen healthy until its targets cross the failure threshold, then
   * dark; UnhealthyTargets in every cycle's summary, and as a metric in the cycles where it is not zero.
   */
  function expectFiguresEveryCycle(downTargets: number, euCentralHealthy: readonly unknown[]) {
    const unhealthy = [0, 0, downTargets, downTargets, downTargets, downTargets];
    expect(stdout.logs('checker.cycle').map((c) => c.unhealthyTargets)).toEqual(unhealthy);
    expect(stdout.metric('UnhealthyTargets').map((m) => m.UnhealthyTargets)).toEqual(unhealthy.filter((n) => n > 0));
    expect(euCentralHealthy).toEqual([1, 1, 0, 0, 0, 0]);
  }

  it('publishes the cycle figures every cycle, ends each cycle by its deadline and acts on nothing it could not read', async () => {
    // Prepare: eu-central-1's endpoints are all down, so the checker would pull them if it could read the records
    // Act
    const { cloud, clock, down, result, judged } = await loopWithEuCentralDown((c) =>
      c.slow({ service: 'Route 53' }, 'never'),
    );
    // Assess: six cycles, each with its figures, none longer than the 10 s deadline
    expect(result.cycles).toBe(6);
    expectFiguresEveryCycle(down.size, judged('eu-central-1'));
    // The cloud's clock runs ahead of the handler's by the time spent waiting on Route 53: one deadline a cycle at most.
    const waitedMs = cloud.now().getTime() - clock.nowMs();
    expect(waitedMs).toBeGreaterThan(0);
    expect(waitedMs).toBeLessThanOrEqual(6 * topology.guard.aws.cycleDeadlineSeconds * 1000);
    expect(cloud.dns.changes).toEqual([]);
    expect(stdout.logs('checker.cycle')).toHaveLength(6);
  });

  it('publishes the cycle figures every cycle while every read lags the writes (Route 53, RDS, ELB)', async () => {
    // Act
    const { down, result, judged } = await loopWithEuCentralDown((cloud) => {
      cloud.staleReads('Route 53', 60_000);
      cloud.staleReads('RDS', 60_000);
      cloud.staleReads('Elastic Load Balancing', 60_000);
    });
    // Assess
    expect(result.cycles).toBe(6);
    expectFiguresEveryCycle(down.size, judged('eu-central-1'));
    expect(stdout.logs('checker.cycle')).toHaveLength(6);
  });
});
