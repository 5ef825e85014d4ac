import { describe, expect, it, vi } from 'vitest';
import type { TopologyInput } from '../../lambdas/domain/config/schema';
import { readGuardState } from '../../lambdas/engine/state/guard-state';
import { RegionHarness } from '../engine/region/region-harness';
import { AUTO_FAILOVER_EVENTS, PRIMARY, STANDBY, regionTopology } from '../engine/region/fixtures';

const DUB_CLUSTER_HOST = 'orders-dub.cluster-aaaa.eu-west-1.rds.amazonaws.com';
const FRA_CLUSTER_HOST = 'orders-fra.cluster-bbbb.eu-central-1.rds.amazonaws.com';
const SESSIONS_WRITER_HOST = 'sessions-fra-1.bbbb.eu-central-1.rds.amazonaws.com';
const FRA_CLUSTER_ARN = `arn:aws:rds:${STANDBY}:123456789012:cluster:orders-fra`;
const FRA_IPS = ['10.20.1.11', '10.20.2.11'];
const DUB_IPS = ['10.10.1.11', '10.10.2.11'];

/** The shop with its orders database as an Aurora global database: the primary cluster in eu-west-1, a secondary in eu-central-1. */
function auroraGlobalHarness(allowDataLoss: boolean, otherDatabases: TopologyInput['databases'] = []): RegionHarness {
  const databases: TopologyInput['databases'] = [
    {
      id: 'orders',
      engine: 'aurora-global',
      clusterIdentifier: 'orders-global',
      maxLagSeconds: 30,
      allowDataLoss,
      primary: { id: 'orders-dub', region: PRIMARY, identifier: 'orders-dub', endpoint: { host: DUB_CLUSTER_HOST, port: 5432 } },
      replicas: [{ id: 'orders-fra', region: STANDBY, identifier: 'orders-fra', endpoint: { host: FRA_CLUSTER_HOST, port: 5432 } }],
      writerDns: { hostedZoneId: 'Z0123456789ABC', name: 'db-writer.shop.example.com', ttl: 30 },
    },
  ];
  return new RegionHarness(regionTopology({ databases: [...databases, ...otherDatabases] }));
}

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
    expect(Date.parse(promoteDone) - Date.parse(promoteStarted)).toBeGreaterThanOrEqual(h.cloud.database.timings.globalFailoverMs);
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
    // Prepare: a sessions database, one Aurora cluster in the standby region
    const sessions: NonNullable<TopologyInput['databases']>[number] = {
      id: 'sessions',
      engine: 'aurora-cluster',
      clusterIdentifier: 'sessions-fra',
      primary: { id: 'sessions-fra-1', region: STANDBY, identifier: 'sessions-fra-1', endpoint: { host: SESSIONS_WRITER_HOST, port: 5432 } },
      replicas: [{ id: 'sessions-fra-2', region: STANDBY, identifier: 'sessions-fra-2', endpoint: { host: 'sessions-fra-2.bbbb.eu-central-1.rds.amazonaws.com', port: 5432 } }],
      writerDns: { hostedZoneId: 'Z0123456789ABC', name: 'sessions-writer.shop.example.com', ttl: 30 },
    };
    const h = auroraGlobalHarness(true, [sessions]);
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
