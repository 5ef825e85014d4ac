// A checker region sharded over K invocations of the same function, driven through whole failures
// with the in-memory cloud: each shard probes its slice and writes its own view; shard 0 plans from
// the views merged, and so does a shard whose slice changed status, after its write. A lost or late
// shard's targets keep their last state, marked stale, and nothing acts on them; re-sharding keeps a
// target's state; both schedules run every shard (with `tick`, shard 0 starts the others on each of the
// region's queued cycles, and a lost start is told).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { parseTopology } from '../../lambdas/domain/config/load';
import type { Topology, TopologyInput } from '../../lambdas/domain/config/schema';
import { shardCount, shardOf } from '../../lambdas/domain/config/shards';
import { probeTargets } from '../../lambdas/domain/config/targets';
import { planCycle, readCheckerViews, type GuardContext } from '../../lambdas/engine';
import { createCheckerHandler, type ActorRequest, type CheckerSchedule } from '../../lambdas/handlers/checker';
import { queuedCycleBody, shardCycleEvent, shardTickInput } from '../../lambdas/contracts/checker-shard';
import { exampleInput } from '../fixtures/guard-topologies';
import { captureOutput, fakeClock, powertools, type FakeClock } from '../handlers/handler-fixtures';

const REGION = 'eu-west-1';
const lambdaContext = { getRemainingTimeInMillis: () => 70_000 };

function shardedTopology(guard: TopologyInput['guard'], extraServers = 0): Topology {
  const input = exampleInput();
  const extra = Array.from({ length: extraServers }, (_, i) => ({
    id: `web-extra-${i}`,
    region: REGION,
    ip: `198.51.100.${10 + i}`,
    probe: { type: 'http' as const, url: `http://198.51.100.${10 + i}/healthz` },
  }));
  return parseTopology({
    ...input,
    servers: [...(input.servers ?? []), ...extra],
    guard: { ...input.guard, regions: [REGION], ...guard },
  });
}

/**
 * One region's checker shards over a shared memory cloud; each shard is its own handler (its own Lambda
 * container). With `tick`, shard 0's start of another shard is an asynchronous invocation: queued
 * (`invocations`) and run by `queuedCycle` after shard 0's own cycle; starting a shard in `unstartable` is
 * refused as Lambda refuses an Invoke the role may not make.
 */
function shardedRegion(
  topology: Topology,
  down: Set<string>,
  options: { schedule?: 'loop' | 'tick'; cloud?: MemoryCloud; clock?: FakeClock; unstartable?: Set<number> } = {},
) {
  const clock = options.clock ?? fakeClock();
  const cloud = options.cloud ?? MemoryCloud.fromTopology(topology, { now: () => new Date(clock.nowMs()) });
  const probed: string[][] = [];
  const queued: (readonly number[])[] = [];
  /** What happened in order: `start <shard>` (an Invoke accepted) and `probe` (a shard's probes began). */
  const events: string[] = [];
  const invocations: (() => Promise<unknown>)[] = [];
  const requests: ActorRequest[] = [];
  const schedule: CheckerSchedule =
    options.schedule === 'loop'
      ? { mode: 'loop', loopSeconds: 55 }
      : {
          mode: 'tick',
          queueCycles: async (delays) => void queued.push(delays),
          startShardCycle: async (shard, delaySeconds) => {
            if (options.unstartable?.has(shard))
              throw Object.assign(new Error('not authorized to perform: lambda:InvokeFunction'), {
                name: 'AccessDeniedException',
              });
            events.push(`start ${shard}`);
            invocations.push(() => handlers[shard]!(shardCycleEvent(delaySeconds, shard), lambdaContext));
          },
        };
  const probe = async (t: Topology, only?: (id: string) => boolean) => {
    const at = new Date(clock.nowMs()).toISOString();
    const targets = probeTargets(t).filter((target) => only?.(target.id) ?? true);
    events.push('probe');
    probed.push(targets.map((target) => target.id));
    return targets.map((target) =>
      down.has(target.id)
        ? { targetId: target.id, kind: target.probe.type, ok: false, latencyMs: 1, error: 'ECONNREFUSED', at }
        : { targetId: target.id, kind: target.probe.type, ok: true, latencyMs: 1, at },
    );
  };
  const count = shardCount(topology);
  const handlers = Array.from({ length: count }, () =>
    createCheckerHandler({
      topology,
      region: REGION,
      ports: cloud.ports(REGION),
      probe,
      invokeActor: async (r) => void requests.push(r),
      ...powertools(topology.name),
      clock,
      schedule,
    }),
  );
  const ctx: GuardContext = {
    topology,
    checker: REGION,
    ports: cloud.ports(REGION),
    now: () => new Date(clock.nowMs()),
    dryRun: false,
    probe,
  };
  /** One cycle of each listed shard, as the fan-out starts it, shard 0 last unless `shard0First`, then 10 s pass. */
  const cycle = async (shards: readonly number[] = handlers.map((_, i) => i), shard0First = false) => {
    const order = [...shards].sort((a, b) => (shard0First ? a - b : b - a));
    for (const shard of order) await handlers[shard]!(shardCycleEvent(10, shard), lambdaContext);
    await clock.sleep(10_000);
  };
  /** The region's queued cycle at 10 s reaches shard 0 (SQS), then the shards it started run; then 10 s pass. */
  const queuedCycle = async () => {
    const result = handlers[0]!({ Records: [{ body: queuedCycleBody(10) }] }, lambdaContext);
    await result.catch(() => undefined);
    for (const invoke of invocations.splice(0)) await invoke();
    await clock.sleep(10_000);
    return result;
  };
  return { cloud, clock, handlers, probed, queued, events, requests, ctx, cycle, queuedCycle, count };
}

/** A server of the `origin` record that shard `not` does not probe. */
function serverOutside(topology: Topology, count: number, not: number): string {
  const id = topology.servers.map((s) => s.id).find((s) => shardOf(s, count) !== not && s.startsWith('web-'));
  if (!id) throw new Error('no server outside that shard');
  return id;
}

describe('a sharded checker region', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => output.restore());

  it('probes each target in exactly one shard, and shard 0 pulls a dead server judged from the merged view', async () => {
    // Prepare: 3 shards (guard.shards), web-x down
    const topology = shardedTopology({ shards: 3 });
    const dead = serverOutside(topology, 3, 0);
    const region = shardedRegion(topology, new Set([dead]));
    // Act: three cycles of every shard (failureThreshold 3)
    for (let i = 0; i < 3; i += 1) await region.cycle();
    // Assess
    const perCycle = region.probed.slice(0, 3).flat().sort();
    expect(perCycle).toEqual(
      probeTargets(topology)
        .map((t) => t.id)
        .sort(),
    );
    const [merged] = await readCheckerViews(region.cloud.store, topology, new Date(region.clock.nowMs()));
    expect(merged).toMatchObject({ checker: REGION });
    expect(merged!.staleShards).toBeUndefined();
    expect(merged!.health[dead]?.status).toBe('UNHEALTHY');
    const plan = await planCycle(region.ctx);
    expect(plan.actions).toContainEqual(
      expect.objectContaining({ kind: 'dns.pull', recordId: 'origin', endpoint: dead }),
    );
    expect(region.requests.length).toBeGreaterThan(0);
    // Shard 0 counts the stale shards every cycle: none.
    expect(output.metric('StaleShards').map((m) => m.StaleShards)).toEqual([0, 0, 0]);
  });

  it('detection loses no interval when shard 0 reads the views before the owning shard writes: that shard plans after its write', async () => {
    // Prepare: 3 shards; a server outside shard 0 down from the start
    const topology = shardedTopology({ shards: 3 });
    const dead = serverOutside(topology, 3, 0);
    const owner = shardOf(dead, 3);
    const region = shardedRegion(topology, new Set([dead]));
    // Act: three cycles (failureThreshold 3), shard 0 running first in each, before the owning shard
    for (let i = 0; i < 3; i += 1) await region.cycle(undefined, true);
    // Assess: the third cycle's UNHEALTHY view was planned on in that cycle, by the owning shard
    // (the first cycle's readiness report is a hand-off of its own: it carries the readiness evidence)
    const failover = region.requests.filter((r) => r.readiness === undefined);
    expect(failover).toEqual([expect.objectContaining({ checker: REGION, actions: 1 })]);
    const planned = output
      .logs('checker.cycle')
      .filter((l) => (l.actions as number) > 0 && l.readinessFailures === undefined);
    expect(planned).toEqual([expect.objectContaining({ cycle: 0, shard: owner, actions: 1 })]);
  });

  it('shard loss: a lost shard’s targets keep their last state, marked stale; a server failing there is never pulled; a notice says so', async () => {
    // Prepare: every shard runs, all healthy
    const topology = shardedTopology({ shards: 3 });
    const dead = serverOutside(topology, 3, 0);
    const lost = shardOf(dead, 3);
    const down = new Set<string>();
    const region = shardedRegion(topology, down);
    await region.cycle();
    // Act: the shard probing `dead` stops, then `dead` fails; shard 0 and the other shard go on for 3 minutes
    down.add(dead);
    const others = [0, 1, 2].filter((s) => s !== lost);
    for (let i = 0; i < 18; i += 1) await region.cycle(others);
    // Assess
    const [merged] = await readCheckerViews(region.cloud.store, topology, new Date(region.clock.nowMs()));
    expect(merged!.health[dead]).toMatchObject({ status: 'HEALTHY', stale: true });
    expect(merged!.staleShards).toEqual([
      expect.objectContaining({ index: lost, targets: expect.any(Number) as number }),
    ]);
    const plan = await planCycle(region.ctx);
    expect(plan.actions.filter((a) => a.kind === 'dns.pull')).toEqual([]);
    expect(plan.alerts).toContainEqual(
      expect.objectContaining({
        eventType: 'checker.shard.stale',
        key: `checker.shard.stale:${REGION}#${lost}`,
        about: `shard ${lost}`,
      }),
    );
    // The stale-shards figure turns 1 once the lost shard's view is stale, and stays there.
    expect(output.metric('StaleShards').at(-1)?.StaleShards).toBe(1);
    expect(output.metric('StaleShards').at(0)?.StaleShards).toBe(0);
  });

  it('a late shard: while stale nothing acts on its targets; once it writes again they are judged and the dead server is pulled', async () => {
    const topology = shardedTopology({ shards: 3 });
    const dead = serverOutside(topology, 3, 0);
    const late = shardOf(dead, 3);
    const region = shardedRegion(topology, new Set([dead]));
    const others = [0, 1, 2].filter((s) => s !== late);
    // The late shard saw `dead` fail twice (SUSPECT), then stalls past the stale time
    await region.cycle();
    await region.cycle();
    for (let i = 0; i < 13; i += 1) await region.cycle(others);
    expect((await planCycle(region.ctx)).actions.filter((a) => a.kind === 'dns.pull')).toEqual([]);
    // It comes back: the third failure makes `dead` UNHEALTHY from fresh data
    await region.cycle();
    const [merged] = await readCheckerViews(region.cloud.store, topology, new Date(region.clock.nowMs()));
    expect(merged!.staleShards).toBeUndefined();
    expect(merged!.health[dead]).toMatchObject({ status: 'UNHEALTHY' });
    expect(merged!.health[dead]?.stale).toBeUndefined();
    expect((await planCycle(region.ctx)).actions).toContainEqual(
      expect.objectContaining({ kind: 'dns.pull', recordId: 'origin', endpoint: dead }),
    );
  });

  it('adding endpoints re-shards (K from shardCapacity): targets stay put or move to the new shard, and a moved target keeps its state', async () => {
    // Prepare: the example's 12 endpoints at 5 a shard → 3 shards; `dead` UNHEALTHY
    const before = shardedTopology({ shardCapacity: 5 });
    expect(shardCount(before)).toBe(3);
    const after = shardedTopology({ shardCapacity: 5 }, 5);
    expect(shardCount(after)).toBe(4);
    const ids = probeTargets(before).map((t) => t.id);
    for (const id of ids) expect([shardOf(id, 3), 3]).toContain(shardOf(id, 4));
    const moved = ids.filter((id) => shardOf(id, 4) === 3 && id.startsWith('nlb-'));
    expect(moved.length).toBeGreaterThan(0);
    const dead = moved[0]!;
    const down = new Set([dead]);
    const first = shardedRegion(before, down);
    for (let i = 0; i < 3; i += 1) await first.cycle();
    // Act: redeploy with 5 more servers (4 shards), same state table
    const second = shardedRegion(after, down, { cloud: first.cloud, clock: first.clock });
    await second.cycle();
    // Assess: one view per region, 4 shards, the moved load balancer still UNHEALTHY (its state carried over), every target once
    const [merged] = await readCheckerViews(second.cloud.store, after, new Date(second.clock.nowMs()));
    expect(merged!.staleShards).toBeUndefined();
    expect(merged!.health[dead]).toMatchObject({ status: 'UNHEALTHY' });
    expect(merged!.health[dead]!.consecutiveFailures).toBeGreaterThanOrEqual(4);
    expect(Object.keys(merged!.health).sort()).toEqual(
      probeTargets(after)
        .map((t) => t.id)
        .sort(),
    );
  });

  it('tick schedule: only shard 0’s minute tick queues the later cycles, one for the whole region each; the other shards’ ticks run their own cycle', async () => {
    const region = shardedRegion(shardedTopology({ shards: 3 }), new Set(), { schedule: 'tick' });
    const results = [];
    for (const shard of [2, 1, 0]) results.push(await region.handlers[shard]!(shardTickInput(shard), lambdaContext));
    expect(results).toEqual([
      { cycles: 1, actorInvocations: 0 },
      { cycles: 1, actorInvocations: 0 },
      { cycles: 1, actorInvocations: 0, queuedCycles: 5 },
    ]);
    expect(region.queued).toEqual([[10, 20, 30, 40, 50]]);
    expect(region.events).toEqual(['probe', 'probe', 'probe']);
  });

  it('tick schedule: a queued cycle starts shards 1 … K−1 before shard 0 probes; every shard probes its slice and the dead server is pulled', async () => {
    // Prepare: 3 shards; a server outside shard 0 down
    const topology = shardedTopology({ shards: 3 });
    const dead = serverOutside(topology, 3, 0);
    const region = shardedRegion(topology, new Set([dead]), { schedule: 'tick' });
    // Act: three queued cycles (failureThreshold 3), each reaching shard 0 alone
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await region.queuedCycle());
    // Assess: shard 0 started the two others each time, before its own probes
    expect(results.map((r) => r.startedShards)).toEqual([2, 2, 2]);
    expect(region.events).toEqual(Array(3).fill(['start 1', 'start 2', 'probe', 'probe', 'probe']).flat());
    expect(region.probed.slice(0, 3).flat().sort()).toEqual(
      probeTargets(topology)
        .map((t) => t.id)
        .sort(),
    );
    const [merged] = await readCheckerViews(region.cloud.store, topology, new Date(region.clock.nowMs()));
    expect(merged!.staleShards).toBeUndefined();
    expect(merged!.health[dead]?.status).toBe('UNHEALTHY');
    expect(region.requests).toContainEqual(expect.objectContaining({ checker: REGION, actions: 1 }));
  });

  it('tick schedule, a lost fan-out: the refused shard misses its cycles, the other and shard 0 still run, each invocation fails naming the shard and the cause; the shard turns stale and a notice says so', async () => {
    // Prepare: 3 shards, all healthy, shard 2 cannot be started (the role lost lambda:InvokeFunction on itself)
    const topology = shardedTopology({ shards: 3 });
    const region = shardedRegion(topology, new Set(), { schedule: 'tick', unstartable: new Set([2]) });
    await region.cycle();
    // Act: three minutes of queued cycles
    const outcomes = [];
    for (let i = 0; i < 18; i += 1) outcomes.push(await region.queuedCycle().catch((error: unknown) => error));
    // Assess: every invocation failed at the end, naming shard 2 and the cause, after shards 1 and 0 probed
    expect(outcomes.every((o) => o instanceof AggregateError)).toBe(true);
    expect((outcomes[0] as Error).message).toBe(
      `Could not start checker shard 2 of 3 in ${REGION} on the queued cycle at 10 s (shard 2: AccessDeniedException: not authorized to perform: lambda:InvokeFunction); the other shards and shard 0's own cycle ran. A shard that keeps missing its cycles turns stale (StaleShards): check that the checker may lambda:InvokeFunction on itself and is not throttled.`,
    );
    expect(output.logs('checker.fan-out-failed')).toHaveLength(18);
    expect(output.logs('checker.fan-out-failed')[0]).toMatchObject({ level: 'ERROR', shardsNotStarted: [2] });
    expect(region.events.slice(-3)).toEqual(['start 1', 'probe', 'probe']);
    const [merged] = await readCheckerViews(region.cloud.store, topology, new Date(region.clock.nowMs()));
    expect(merged!.staleShards).toEqual([expect.objectContaining({ index: 2 })]);
    expect((await planCycle(region.ctx)).alerts).toContainEqual(
      expect.objectContaining({ eventType: 'checker.shard.stale', about: 'shard 2' }),
    );
    expect(output.metric('StaleShards').at(-1)?.StaleShards).toBe(1);
  });

  it('loop schedule: each shard loops through the minute on its slice; while nothing changes only shard 0 plans', async () => {
    const topology = shardedTopology({ shards: 3 });
    const region = shardedRegion(topology, new Set(), { schedule: 'loop' });
    const results = [];
    for (const shard of [2, 1, 0]) results.push(await region.handlers[shard]!(shardTickInput(shard), lambdaContext));
    expect(results.map((r) => r.cycles)).toEqual([6, 6, 6]);
    expect(output.logs('checker.cycle').map((l) => l.shard)).toEqual([
      ...Array(6).fill(2),
      ...Array(6).fill(1),
      ...Array(6).fill(0),
    ]);
    // One guard region judges both regions: two RegionHealthy datapoints a cycle, from shard 0's merged view only.
    expect(output.metric('RegionHealthy')).toHaveLength(12);
  });

  it('refuses an event naming a shard the topology does not have', async () => {
    const region = shardedRegion(shardedTopology({ shards: 3 }), new Set());
    await expect(region.handlers[0]!(shardTickInput(5), lambdaContext)).rejects.toThrow(
      /started as shard 5, but its topology has 3 shard\(s\) \(0 … 2\)/,
    );
  });
});
