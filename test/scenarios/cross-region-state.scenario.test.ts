// The guard's own state across regions: the state table as a global table in its default mode, one
// replica per region, replicated last-writer-wins after a delay, conditions evaluated on the replica
// a write is sent to. Each race is run twice: with every checker deciding in its own replica (what
// the guard must not do: both actors win) and with the guard's design, every deciding call sent to
// the home replica (one actor wins).
import { describe, expect, it } from 'vitest';
import { MemoryCloud, MemoryStateStore, type StateReplicationOptions } from '../../lambdas/adapters/memory';
import { parseTopology } from '../../lambdas/domain/config/load';
import { DEFAULT_REPLICA_HOLD_MS } from '../../lambdas/adapters/home-replica-state-store';
import {
  executePlan,
  gatherPlannerInput,
  listRunbooks,
  newPlanId,
  observe,
  planFromInput,
  readGuardState,
  runCycle,
  updateGuardState,
  type GuardContext,
} from '../../lambdas/engine';
import { countPromotions, twoReplicaDb } from './database-fixtures';
import { CYCLE_MS, harness, ipSetRecord, START, webTopology, type Harness } from './engine-harness';

const CHECKERS = ['eu-west-1', 'eu-central-1'] as const;
/** Longer than a cycle's calls take: the racing writes do not see each other. */
const REPLICATION_DELAY_MS = 2_000;
const replication = (routing: StateReplicationOptions['routing']): StateReplicationOptions => ({
  regions: [...CHECKERS],
  replicationDelayMs: REPLICATION_DELAY_MS,
  routing,
});

/** The plan of a checker that sees only its own heartbeat: it is the designated actor in its own eyes. */
async function planAsSoleActor(ctx: GuardContext) {
  const input = await gatherPlannerInput(ctx, newPlanId(ctx.now()));
  return planFromInput({ ...input, liveCheckers: [ctx.checker] }, false);
}

/** Both checkers, with the primary database confirmed down, plan its promotion and execute at once. */
async function racePromotion(routing: StateReplicationOptions['routing']) {
  const h = harness(webTopology({ databases: [twoReplicaDb()] }), {}, replication(routing));
  const promoteCalls = countPromotions(h);
  h.probe.fail('orders-primary');
  h.cloud.failInstance('orders-primary', 'failed');
  await h.cycles(2);
  const [dublin, frankfurt] = CHECKERS.map((checker) => h.context({ checker })) as [GuardContext, GuardContext];
  await observe(dublin);
  // The views have reached every replica; the racing writes below will not see each other.
  h.cloud.stateTable!.settle();
  const plans = [await planAsSoleActor(dublin), await planAsSoleActor(frankfurt)];
  const reports = await Promise.all([executePlan(dublin, plans[0]!), executePlan(frankfurt, plans[1]!)]);
  return { h, promoteCalls, reports };
}

/** Both checkers raise the same all-targets-down alert in the same instant, every cycle. */
async function raceNotice(routing: StateReplicationOptions['routing']): Promise<Harness> {
  const h = harness(webTopology({ dns: [ipSetRecord()] }), {}, replication(routing));
  for (const id of ['web-a', 'web-b', 'web-c']) h.probe.fail(id);
  for (let i = 0; i < 6; i += 1) {
    await Promise.all(CHECKERS.map((checker) => runCycle(h.context({ checker }))));
    h.cloud.advance(CYCLE_MS);
  }
  return h;
}

describe('cross-region state: two regions creating the same runbook', () => {
  it('lets both regions create it and call PromoteReadReplica when each decides in its own replica (the hazard)', async () => {
    const { h, promoteCalls, reports } = await racePromotion('local-replica');
    // Only RDS refusing a second promotion of a modifying instance stands between this and two promotions.
    expect(promoteCalls()).toBe(2);
    expect(reports.map((r) => r.results.map((x) => x.outcome))).toEqual([['applied'], ['failed']]);
    h.cloud.stateTable!.settle();
    expect((await listRunbooks(h.cloud.store)).map((r) => r.value.status)).toEqual(['running']);
  });

  it('starts one runbook and one promotion when every deciding write goes to the home replica', async () => {
    const { h, promoteCalls, reports } = await racePromotion('home-replica');
    expect(promoteCalls()).toBe(1);
    expect(reports.flatMap((r) => r.results.map((x) => x.outcome)).sort()).toEqual(['applied', 'skipped']);
    expect((await listRunbooks(h.cloud.store)).map((r) => [r.name, r.value.status])).toEqual([
      ['database-failover-orders-orders-primary-1', 'running'],
    ]);
  });
});

describe('cross-region state: two regions claiming the same notice', () => {
  it('publishes the alert twice when each region claims it in its own replica (the hazard)', async () => {
    expect((await raceNotice('local-replica')).notifications('dns.all-targets-down')).toHaveLength(2);
  });

  it('publishes it once when the claim is a compare-and-swap in the home replica', async () => {
    expect((await raceNotice('home-replica')).notifications('dns.all-targets-down')).toHaveLength(1);
  });
});

describe('cross-region state: two regions taking the same lease', () => {
  const stores = (routing: StateReplicationOptions['routing']) => {
    const cloud = MemoryCloud.fromTopology(parseTopology(webTopology(), 'scenario'), {
      now: () => START,
      stateReplication: replication(routing),
    });
    return CHECKERS.map((region) => cloud.ports(region).store);
  };

  it('gives it to both when each region takes it in its own replica (the hazard)', async () => {
    const [dublin, frankfurt] = stores('local-replica');
    expect([
      await dublin!.acquireLease('actor:db', 'dublin', 60_000),
      await frankfurt!.acquireLease('actor:db', 'frankfurt', 60_000),
    ]).toEqual([true, true]);
  });

  it('gives it to one when both take it in the home replica', async () => {
    const [dublin, frankfurt] = stores('home-replica');
    expect([
      await dublin!.acquireLease('actor:db', 'dublin', 60_000),
      await frankfurt!.acquireLease('actor:db', 'frankfurt', 60_000),
    ]).toEqual([true, false]);
  });
});

describe('cross-region state: the home region goes dark', () => {
  it('decides in the next guard region’s replica while the home is dark, and back in the home once it answers', async () => {
    // Prepare: Frankfurt's checker, with Dublin (the home) dark
    const h = harness(webTopology(), {}, replication('home-replica'));
    const table = h.cloud.stateTable!;
    const replicaIn = (region: string) => new MemoryStateStore({ now: h.cloud.now, table, region });
    const store = h.context({ checker: 'eu-central-1' }).ports.store;
    h.cloud.setRegionDark('eu-west-1');
    // Act: Frankfurt pauses the guard during the outage ...
    await runCycle(h.context({ checker: 'eu-central-1' }));
    await updateGuardState(store, (s) => ({ ...s, paused: true }));
    const duringOutage = {
      frankfurt: (await readGuardState(replicaIn('eu-central-1'))).state.paused,
      dublin: (await readGuardState(replicaIn('eu-west-1'))).state.paused,
    };
    // ... and unpauses it once Dublin answers again and the takeover's hold is over
    h.cloud.setRegionLight('eu-west-1');
    h.cloud.advance(DEFAULT_REPLICA_HOLD_MS);
    const replicatedToHome = (await readGuardState(replicaIn('eu-west-1'))).state.paused;
    await updateGuardState(store, (s) => ({ ...s, paused: false }));
    // Assess: the outage's write went to Frankfurt's replica and reached the home; the next one went to the home first
    expect(duringOutage).toEqual({ frankfurt: true, dublin: false });
    expect(replicatedToHome).toBe(true);
    expect((await readGuardState(replicaIn('eu-west-1'))).state.paused).toBe(false);
    expect((await readGuardState(replicaIn('eu-central-1'))).state.paused).toBe(true);
  });
});
