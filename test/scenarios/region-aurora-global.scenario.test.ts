import { describe, expect, it, vi } from 'vitest';
import type { TopologyInput } from '../../lambdas/domain/config/schema';
import { gatherPlannerInput, type PlannerInput } from '../../lambdas/engine';
import { formatFailback, planFailback, runFailback } from '../../lambdas/engine/region';
import { readGuardState } from '../../lambdas/engine/state/guard-state';
import { RegionHarness } from '../engine/region/region-harness';
import { AUTO_FAILOVER_EVENTS, PRIMARY, STANDBY, regionTopology } from '../engine/region/fixtures';

const DUB_CLUSTER_HOST = 'orders-dub.cluster-aaaa.eu-west-1.rds.amazonaws.com';
const FRA_CLUSTER_HOST = 'orders-fra.cluster-bbbb.eu-central-1.rds.amazonaws.com';
const SESSIONS_WRITER_HOST = 'sessions-fra-1.bbbb.eu-central-1.rds.amazonaws.com';
const DUB_CLUSTER_ARN = `arn:aws:rds:${PRIMARY}:123456789012:cluster:orders-dub`;
const FRA_CLUSTER_ARN = `arn:aws:rds:${STANDBY}:123456789012:cluster:orders-fra`;
const FRA_IPS = ['10.20.1.11', '10.20.2.11'];
const DUB_IPS = ['10.10.1.11', '10.10.2.11'];

/** The shop with its orders database as an Aurora global database: the primary cluster in eu-west-1, a secondary in eu-central-1. */
function auroraGlobalHarness(
  allowDataLoss: boolean,
  otherDatabases: TopologyInput['databases'] = [],
  overrides: Partial<TopologyInput> = {},
): RegionHarness {
  const databases: TopologyInput['databases'] = [
    {
      id: 'orders',
      engine: 'aurora-global',
      clusterIdentifier: 'orders-global',
      maxLagSeconds: 30,
      allowDataLoss,
      primary: {
        id: 'orders-dub',
        region: PRIMARY,
        identifier: 'orders-dub',
        endpoint: { host: DUB_CLUSTER_HOST, port: 5432 },
      },
      replicas: [
        {
          id: 'orders-fra',
          region: STANDBY,
          identifier: 'orders-fra',
          endpoint: { host: FRA_CLUSTER_HOST, port: 5432 },
        },
      ],
      writerDns: { hostedZoneId: 'Z0123456789ABC', name: 'db-writer.shop.example.com', ttl: 30 },
    },
  ];
  return new RegionHarness(regionTopology({ databases: [...databases, ...otherDatabases], ...overrides }));
}

/** A sessions database: one Aurora cluster in the standby region, which no region failover of the primary moves. */
const SESSIONS: NonNullable<TopologyInput['databases']>[number] = {
  id: 'sessions',
  engine: 'aurora-cluster',
  clusterIdentifier: 'sessions-fra',
  primary: {
    id: 'sessions-fra-1',
    region: STANDBY,
    identifier: 'sessions-fra-1',
    endpoint: { host: SESSIONS_WRITER_HOST, port: 5432 },
  },
  replicas: [
    {
      id: 'sessions-fra-2',
      region: STANDBY,
      identifier: 'sessions-fra-2',
      endpoint: { host: 'sessions-fra-2.bbbb.eu-central-1.rds.amazonaws.com', port: 5432 },
    },
  ],
  writerDns: { hostedZoneId: 'Z0123456789ABC', name: 'sessions-writer.shop.example.com', ttl: 30 },
};

describe('a region with an Aurora global database goes dark', () => {
  it('with allowDataLoss: fails the global cluster over once to the standby cluster, waits for it, then moves DNS and the writer name and fences the old cluster', async () => {
    // Prepare
    const h = auroraGlobalHarness(true);
    const globalFailovers = vi.spyOn(h.cloud.database, 'failoverGlobalCluster');
    await h.rounds(2);
    // Act
    h.darken(PRIMARY);
    await h.rounds(30, async () => (await h.runbooks()).some((r) => r.status === 'completed'));
    await h.rounds(3);
    // Assess
    const [runbook, ...others] = await h.runbooks();
    expect(others).toEqual([]);
    expect(runbook).toMatchObject({ id: `failover-${PRIMARY}-1`, status: 'completed' });
    expect(globalFailovers).toHaveBeenCalledTimes(1);
    expect(globalFailovers).toHaveBeenCalledWith(STANDBY, 'orders-global', FRA_CLUSTER_ARN, true);
    expect(h.promoteCalls).not.toHaveBeenCalled();
    expect(h.regionEvents()).toEqual(AUTO_FAILOVER_EVENTS);
    // The global failover takes 60 s: the promote step is done only once the cloud shows the new writer.
    const promoteStarted = runbook?.data.promotions['orders']?.at ?? '';
    const promoteDone = runbook?.steps.find((s) => s.name === 'promote-database')?.at ?? '';
    expect(Date.parse(promoteDone) - Date.parse(promoteStarted)).toBeGreaterThanOrEqual(
      h.cloud.database.timings.globalFailoverMs,
    );
    expect(h.resolve('www.shop.example.com')).toEqual(FRA_IPS);
    expect(h.writer('db-writer.shop.example.com')).toEqual([FRA_CLUSTER_HOST]);
    const { state } = await readGuardState(h.cloud.store);
    expect(Object.keys(state.fencedMembers)).toEqual(['orders-dub']);
    expect(state.databasePrimaries).toEqual({ orders: 'orders-fra' });
  });

  it('without allowDataLoss: aborts with a critical alert that says why, calls no failover and moves no traffic', async () => {
    // Prepare
    const h = auroraGlobalHarness(false);
    const globalFailovers = vi.spyOn(h.cloud.database, 'failoverGlobalCluster');
    await h.rounds(2);
    const dnsChangesBefore = h.cloud.dns.changes.length;
    // Act
    h.darken(PRIMARY);
    await h.rounds(12);
    // Assess
    const aborted = h.notifications('region.failover.aborted');
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toMatchObject({ severity: 'critical', resource: `region ${PRIMARY}` });
    expect(aborted[0]?.reason).toContain(
      `${STANDBY}: orders is an aurora-global database with allowDataLoss off: moving its writer to orders-fra takes a switchover, which needs the writer cluster orders-dub in the dark ${PRIMARY}; set allowDataLoss: true on orders to fail over without it (writes not yet replicated may be lost)`,
    );
    expect(await h.runbooks()).toEqual([]);
    expect(globalFailovers).not.toHaveBeenCalled();
    expect(h.cloud.dns.changes.length).toBe(dnsChangesBefore);
    expect(h.resolve('www.shop.example.com')).toEqual(DUB_IPS);
    expect(h.writer('db-writer.shop.example.com')).toEqual([DUB_CLUSTER_HOST]);
  });

  it('leaves an aurora-cluster database of another region untouched', async () => {
    // Prepare
    const h = auroraGlobalHarness(true, [SESSIONS]);
    const clusterFailovers = vi.spyOn(h.cloud.database, 'failoverCluster');
    await h.rounds(2);
    // Act
    h.darken(PRIMARY);
    await h.rounds(30, async () => (await h.runbooks()).some((r) => r.status === 'completed'));
    // Assess
    const [runbook] = await h.runbooks();
    expect(runbook?.status).toBe('completed');
    expect(runbook?.data.databases.map((m) => m.databaseId)).toEqual(['orders']);
    expect(runbook?.data.writers.map((w) => w.databaseId)).toEqual(['orders']);
    expect(clusterFailovers).not.toHaveBeenCalled();
    expect(h.writer('sessions-writer.shop.example.com')).toEqual([SESSIONS_WRITER_HOST]);
    const { state } = await readGuardState(h.cloud.store);
    expect(Object.keys(state.fencedMembers)).toEqual(['orders-dub']);
    expect(state.databasePrimaries['sessions']).toBeUndefined();
  });
});

describe('failback of an Aurora global database', () => {
  async function failedOverAndBack(otherDatabases: TopologyInput['databases'] = []): Promise<RegionHarness> {
    const h = auroraGlobalHarness(true, otherDatabases, {
      regionFailover: { mode: 'auto', regionFailureThreshold: 2, failbackHealthyMinutes: 2 },
    });
    await h.rounds(2);
    h.darken(PRIMARY);
    await h.rounds(30, async () => (await h.runbooks()).some((r) => r.status === 'completed'));
    h.relight(PRIMARY);
    await h.rounds(15);
    return h;
  }

  it('switches the writer back without data loss once the old primary cluster is a healthy secondary again, then moves DNS and the writer name', async () => {
    // Prepare: failed over with AllowDataLoss; eu-west-1 back, its cluster a secondary of orders-fra again
    const h = await failedOverAndBack();
    const eventsBefore = h.regionEvents().length;
    const globalFailovers = vi.spyOn(h.cloud.database, 'failoverGlobalCluster');
    // Act
    const started = await runFailback(h.context(STANDBY), PRIMARY, { dryRun: false });
    await h.rounds(20, async () =>
      (await h.runbooks()).some((r) => r.kind === 'region-failback' && r.status === 'completed'),
    );
    // Assess
    const plan = formatFailback(started.decision.runbook!);
    expect(plan).toContain(
      '  switchover orders: orders-fra -> orders-dub (FailoverGlobalCluster orders-global with Switchover: no data loss)',
    );
    expect(plan).toContain(`  writer orders: orders-fra -> orders-dub (${DUB_CLUSTER_HOST})`);
    expect(started.decision.runbook?.data.cannotUndo).toEqual([]);
    expect(globalFailovers.mock.calls).toEqual([[PRIMARY, 'orders-global', DUB_CLUSTER_ARN, false]]);
    // The same steps as a failover; a command announces itself instead of a cycle's start.
    expect(h.regionEvents().slice(eventsBefore)).toEqual([
      'region.runbook.announce (announce)',
      ...AUTO_FAILOVER_EVENTS.slice(1),
    ]);
    expect(h.resolve('www.shop.example.com')).toEqual(DUB_IPS);
    expect(h.writer('db-writer.shop.example.com')).toEqual([DUB_CLUSTER_HOST]);
    const { state } = await readGuardState(h.cloud.store);
    // The switchover leaves orders-fra a secondary in sync: nothing diverged, nothing to fence.
    expect(state.fencedMembers).toEqual({});
    expect(state.databasePrimaries).toEqual({ orders: 'orders-dub' });
  });

  it('keeps the writer where it is and tells the operator what to do while the old primary cluster is no secondary', async () => {
    // Prepare: orders-dub was detached from the global database instead of being rebuilt as a secondary
    const h = await failedOverAndBack();
    const input = await gatherPlannerInput(h.context(STANDBY, { cloudReads: 'everything' }), 'plan-test');
    const orders = input.databases['orders']!;
    const global = orders.globalCluster?.ok ? orders.globalCluster.value : undefined;
    const detached: PlannerInput = {
      ...input,
      databases: {
        orders: {
          ...orders,
          globalCluster: {
            ok: true,
            value: { ...global!, members: global!.members.filter((m) => m.clusterArn !== DUB_CLUSTER_ARN) },
          },
        },
      },
    };
    // Act
    const runbook = planFailback(detached, PRIMARY).runbook;
    // Assess
    expect(runbook?.steps.map((st) => st.name)).toEqual([
      'announce',
      'move-dns',
      'repoint-writer',
      'announce-completion',
    ]);
    expect(runbook?.data.databases).toEqual([]);
    expect(runbook?.data.writers).toEqual([]);
    expect(runbook?.data.cannotUndo).toEqual([
      `orders: the writer stays on cluster orders-fra (${STANDBY}); no cluster of global database orders-global in ${PRIMARY} is an available, HEALTHY secondary (orders-dub: not a secondary of orders-global). ` +
        `Once orders-global lists one as a secondary again (after a failover with data loss Aurora rebuilds the old primary cluster as one when its region is back; otherwise add a secondary cluster in ${PRIMARY}), run failback again: it switches the writer over with no data loss.`,
    ]);
  });

  it('leaves an aurora-cluster database of the standby region out of the failback plan', async () => {
    // Prepare
    const h = await failedOverAndBack([SESSIONS]);
    // Act
    const runbook = planFailback(
      await gatherPlannerInput(h.context(STANDBY, { cloudReads: 'everything' }), 'plan-test'),
      PRIMARY,
    ).runbook;
    // Assess
    expect(runbook?.data.writers.map((w) => w.databaseId)).toEqual(['orders']);
    expect(runbook?.data.cannotUndo).toEqual([]);
  });
});

describe('an Aurora global database whose writer cluster is gone', () => {
  it('without allowDataLoss: calls no refused switchover, starts no runbook and raises one critical alert saying what to do', async () => {
    // Prepare
    const h = auroraGlobalHarness(false);
    const globalFailovers = vi.spyOn(h.cloud.database, 'failoverGlobalCluster');
    await h.rounds(2);
    // Act: the writer cluster fails while its region answers
    h.cloud.database.failCluster('orders-dub', 'deleted', PRIMARY);
    h.down.add('orders-dub');
    await h.rounds(20);
    // Assess
    expect(globalFailovers).not.toHaveBeenCalled();
    expect(await h.runbooks()).toEqual([]);
    const alerts = h.notifications('database.');
    expect(alerts.map((n) => [n.eventType, n.severity])).toEqual([['database.no-candidate', 'critical']]);
    expect(alerts[0]?.reason).toContain(
      'allowDataLoss is off: a switchover to orders-fra needs the writer cluster orders-dub, which is down; set allowDataLoss: true on orders to fail over without it',
    );
    expect(h.writer('db-writer.shop.example.com')).toEqual([DUB_CLUSTER_HOST]);
  });
});
