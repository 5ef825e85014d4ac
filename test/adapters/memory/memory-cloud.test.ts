import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryCloud } from '../../../lambdas/adapters/memory/memory-cloud';
import { parseTopology, parseTopologyText } from '../../../lambdas/domain/config/load';
import type { Topology } from '../../../lambdas/domain/config/schema';
import type { Notification } from '../../../lambdas/ports/notifier.port';
import { CloudCallError } from '../../../lambdas/ports/errors';

const example = parseTopologyText(readFileSync(new URL('../../../examples/two-region.json', import.meta.url), 'utf8'));
const ZONE = 'Z0123456789ABCDEFGHIJ';
const START = Date.parse('2025-01-01T00:00:00Z');
const TG_DUB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-web-dub/0123456789abcdef';

const notification: Notification = {
  eventType: 'dns.target.pulled',
  severity: 'warning',
  subject: 'Pulled',
  resource: 'www',
  reason: 'down',
  dryRun: false,
  at: '2025-01-01T00:00:00Z',
};

/** The example with one record changed, to seed each routing policy. */
function withRecord(overrides: Record<string, unknown>): Topology {
  const raw = JSON.parse(readFileSync(new URL('../../../examples/two-region.json', import.meta.url), 'utf8'));
  raw.dns = [{ ...raw.dns[0], ...overrides }];
  return parseTopology(raw);
}

describe('MemoryCloud.fromTopology', () => {
  it('serves only the primary region IPs of an active-passive ip-set record', async () => {
    const cloud = MemoryCloud.fromTopology(example);
    expect(await cloud.dns.listRecordSets(ZONE, 'www.shop.example.com', 'A')).toEqual([
      { name: 'www.shop.example.com', type: 'A', ttl: 60, values: ['52.16.10.1', '52.16.20.1'] },
    ]);
  });

  it('gives every target of an active-active weighted record its weight', async () => {
    const cloud = MemoryCloud.fromTopology(example);
    const sets = await cloud.dns.listRecordSets(ZONE, 'origin.shop.example.com', 'A');
    expect(sets.map((s) => [s.setIdentifier, s.weight, s.values])).toEqual([
      ['dub-a', 100, ['10.10.1.11']],
      ['dub-b', 100, ['10.10.2.11']],
      ['fra-a', 100, ['10.20.1.11']],
      ['fra-b', 100, ['10.20.2.11']],
    ]);
  });

  it('weights the passive region 0 in an active-passive weighted record', async () => {
    const cloud = MemoryCloud.fromTopology(
      withRecord({
        routing: 'weighted',
        targets: [
          { endpoint: 'nlb-dub-1', setIdentifier: 'dub', weight: 7 },
          { endpoint: 'nlb-fra-1', setIdentifier: 'fra' },
        ],
      }),
    );
    const sets = await cloud.dns.listRecordSets(ZONE, 'www.shop.example.com', 'A');
    expect(sets.map((s) => [s.setIdentifier, s.weight])).toEqual([
      ['dub', 7],
      ['fra', 0],
    ]);
    expect(cloud.resolve('www.shop.example.com', 'A')).toEqual(['52.16.10.1']);
  });

  it('seeds multivalue sets for the served targets and failover sets for all', async () => {
    const targets = [
      { endpoint: 'nlb-dub-1', setIdentifier: 'dub' },
      { endpoint: 'nlb-fra-1', setIdentifier: 'fra' },
    ];
    const multivalue = MemoryCloud.fromTopology(withRecord({ routing: 'multivalue', targets }));
    expect(await multivalue.dns.listRecordSets(ZONE, 'www.shop.example.com', 'A')).toEqual([
      {
        name: 'www.shop.example.com',
        type: 'A',
        ttl: 60,
        values: ['52.16.10.1'],
        setIdentifier: 'dub',
        multiValueAnswer: true,
      },
    ]);
    const failover = MemoryCloud.fromTopology(withRecord({ routing: 'failover', targets }));
    const sets = await failover.dns.listRecordSets(ZONE, 'www.shop.example.com', 'A');
    expect(sets.map((s) => [s.setIdentifier, s.failover])).toEqual([
      ['dub', 'PRIMARY'],
      ['fra', 'SECONDARY'],
    ]);
  });

  it('points the writer CNAME at the primary and makes the replicas replicate from it', async () => {
    const cloud = MemoryCloud.fromTopology(example);
    expect(await cloud.dns.listRecordSets(ZONE, 'db-writer.shop.example.com', 'CNAME')).toEqual([
      {
        name: 'db-writer.shop.example.com',
        type: 'CNAME',
        ttl: 30,
        values: ['orders-primary.abcdefghij.eu-west-1.rds.amazonaws.com'],
      },
    ]);
    expect(await cloud.database.describeInstance('eu-west-1', 'orders-primary')).toMatchObject({
      status: 'available',
      replicaIdentifiers: ['orders-replica-1', 'arn:aws:rds:eu-central-1:123456789012:db:orders-replica-fra'],
    });
    expect(await cloud.database.describeInstance('eu-central-1', 'orders-replica-fra')).toMatchObject({
      status: 'available',
      replicationStatus: 'replicating',
      replicaSourceIdentifier: 'arn:aws:rds:eu-west-1:123456789012:db:orders-primary',
    });
    expect(await cloud.database.replicaLagSeconds('eu-west-1', 'orders-replica-1', 'rds-instance')).toBe(0);
  });

  it('registers the region servers as healthy targets of each load balancer target group', async () => {
    const cloud = MemoryCloud.fromTopology(example);
    expect(await cloud.loadBalancer.describeTargetHealth('eu-west-1', TG_DUB)).toEqual([
      { targetId: '10.10.1.11', port: 8080, state: 'healthy' },
      { targetId: '10.10.2.11', port: 8080, state: 'healthy' },
    ]);
    cloud.setTargetHealth(TG_DUB, '10.10.2.11', 'unhealthy', 'Target.Timeout');
    expect((await cloud.loadBalancer.describeTargetHealth('eu-west-1', TG_DUB))[1]).toEqual({
      targetId: '10.10.2.11',
      port: 8080,
      state: 'unhealthy',
      reason: 'Target.Timeout',
    });
    await expect(cloud.loadBalancer.describeTargetHealth('eu-central-1', TG_DUB)).rejects.toThrow(
      /TargetGroupNotFound/,
    );
  });

  it('seeds Aurora cluster members with their promotion tiers', async () => {
    const raw = JSON.parse(readFileSync(new URL('../../../examples/two-region.json', import.meta.url), 'utf8'));
    raw.databases[0] = {
      ...raw.databases[0],
      engine: 'aurora-cluster',
      clusterIdentifier: 'orders-cluster',
      replicas: [{ ...raw.databases[0].replicas[0] }],
    };
    const cloud = MemoryCloud.fromTopology(parseTopology(raw));
    expect((await cloud.database.describeCluster('eu-west-1', 'orders-cluster'))?.members).toEqual([
      { instanceIdentifier: 'orders-primary', isWriter: true, promotionTier: 1 },
      { instanceIdentifier: 'orders-replica-1', isWriter: false, promotionTier: 0 },
    ]);
  });
});

describe('MemoryCloud', () => {
  it('completes a promotion once its clock has been advanced far enough', async () => {
    const cloud = MemoryCloud.fromTopology(example, {
      now: () => new Date(START),
      databaseTimings: { promotionMs: 5_000 },
    });
    await cloud.database.promoteReadReplica('eu-west-1', 'orders-replica-1');
    cloud.advance(4_999);
    expect((await cloud.database.describeInstance('eu-west-1', 'orders-replica-1'))?.status).toBe('modifying');
    cloud.advance(1);
    expect(await cloud.database.describeInstance('eu-west-1', 'orders-replica-1')).toMatchObject({
      status: 'available',
      replicaIdentifiers: [],
    });
    expect(cloud.now().toISOString()).toBe('2025-01-01T00:00:05.000Z');
  });

  it('binds the store and notifier of ports(region) to that region, over shared data', async () => {
    const cloud = MemoryCloud.fromTopology(example);
    const dublin = cloud.ports('eu-west-1');
    const frankfurt = cloud.ports('eu-central-1');
    await dublin.store.put('view', 'eu-west-1', { at: 'now' }, 0);
    cloud.setRegionDark('eu-west-1');
    await expect(dublin.notifier.publish(notification)).rejects.toBeInstanceOf(CloudCallError);
    await frankfurt.notifier.publish(notification);
    expect((await frankfurt.store.get('view', 'eu-west-1'))?.version).toBe(1);
    expect(cloud.notifier.outbox).toEqual([notification]);
  });

  it('fails the next publishes it is told to and tells listeners of the others', async () => {
    const cloud = new MemoryCloud();
    const heard: string[] = [];
    cloud.notifier.onPublish((n) => heard.push(n.eventType));
    cloud.notifier.failNext(1);
    await expect(cloud.notifier.publish(notification)).rejects.toThrow(/publish on www failed/);
    await cloud.notifier.publish(notification);
    expect(heard).toEqual(['dns.target.pulled']);
  });

  it('throws the error given to failNext', async () => {
    const cloud = MemoryCloud.fromTopology(example);
    const error = new Error('boom');
    const upsert = [
      {
        action: 'UPSERT' as const,
        recordSet: { name: 'www.shop.example.com', type: 'A', ttl: 60, values: ['52.16.10.1'] },
      },
    ];
    cloud.failNext('changeRecordSets', 1, error);
    await expect(cloud.dns.changeRecordSets(ZONE, upsert)).rejects.toBe(error);
    expect((await cloud.dns.changeRecordSets(ZONE, upsert)).changeId).toMatch(/^C/);
    await expect(cloud.dns.changeRecordSets(ZONE, [])).rejects.toThrow(/at least one change/);
  });

  it('lists the zones and reports changes to listeners', async () => {
    const cloud = MemoryCloud.fromTopology(example);
    const names: string[] = [];
    cloud.onChange((c) => names.push(...c.changes.map((x) => x.recordSet.name)));
    await cloud.dns.changeRecordSets(ZONE, [
      { action: 'UPSERT', recordSet: { name: 'www.shop.example.com', type: 'A', ttl: 60, values: ['52.16.10.1'] } },
    ]);
    expect(names).toEqual(['www.shop.example.com']);
    expect(cloud.zones().map((z) => [z.zoneId, z.recordSets.length])).toEqual([[ZONE, 6]]);
    expect(cloud.resolve('www.shop.example.com', 'A')).toEqual(['52.16.10.1']);
  });
});

describe('MemoryCloud.staleReads', () => {
  const cloudAt = () => {
    let now = START;
    const cloud = MemoryCloud.fromTopology(example, { now: () => new Date(now) });
    const tick = (ms: number) => {
      now += ms;
    };
    return { cloud, tick };
  };

  it('lists a zone as it was before a change batch until the window has passed, never as the batch left it half-way', async () => {
    const { cloud, tick } = cloudAt();
    cloud.staleReads('Route 53', 30_000);
    const [before] = await cloud.dns.listRecordSets(ZONE, 'www.shop.example.com', 'A');
    const after = { ...before!, values: ['52.16.10.1'] };
    await cloud.dns.changeRecordSets(ZONE, [
      { action: 'DELETE', recordSet: before! },
      { action: 'CREATE', recordSet: after },
    ]);
    tick(29_999);
    expect(await cloud.dns.listRecordSets(ZONE, 'www.shop.example.com', 'A')).toEqual([before]);
    expect(cloud.resolve('www.shop.example.com', 'A')).toEqual(['52.16.10.1']);
    tick(1);
    expect(await cloud.dns.listRecordSets(ZONE, 'www.shop.example.com', 'A')).toEqual([after]);
  });

  it('describes a replica as an available replica for the window after PromoteReadReplica, and a stopped instance as running', async () => {
    const { cloud, tick } = cloudAt();
    cloud.staleReads('RDS', 90_000);
    const replica = example.databases[0]!.replicas[0]!;
    const before = await cloud.database.describeInstance(replica.region, replica.identifier);
    await cloud.database.promoteReadReplica(replica.region, replica.identifier);
    tick(60_000);
    expect(await cloud.database.describeInstance(replica.region, replica.identifier)).toEqual(before);
    expect(cloud.database.inspectInstance(replica.region, replica.identifier)?.replicaSourceIdentifier).toBeUndefined();
    tick(30_000);
    expect(await cloud.database.describeInstance(replica.region, replica.identifier)).toMatchObject({
      status: 'available',
    });
    expect((await cloud.database.describeInstance(replica.region, replica.identifier))?.replicaSourceIdentifier).toBe(
      undefined,
    );
  });

  it('reports a target group’s health as it was before a change for the window', async () => {
    const { cloud, tick } = cloudAt();
    cloud.staleReads('Elastic Load Balancing', 20_000);
    const before = await cloud.loadBalancer.describeTargetHealth('eu-west-1', TG_DUB);
    const target = before[0]!.targetId;
    cloud.setTargetHealth(TG_DUB, target, 'unhealthy', 'Target.Timeout');
    expect(await cloud.loadBalancer.describeTargetHealth('eu-west-1', TG_DUB)).toEqual(before);
    tick(20_000);
    expect((await cloud.loadBalancer.describeTargetHealth('eu-west-1', TG_DUB))[0]).toMatchObject({
      targetId: target,
      state: 'unhealthy',
    });
  });

  it('is off by default and when set to 0', async () => {
    const { cloud } = cloudAt();
    cloud.staleReads('Elastic Load Balancing', 20_000);
    cloud.staleReads('Elastic Load Balancing', 0);
    const target = (await cloud.loadBalancer.describeTargetHealth('eu-west-1', TG_DUB))[0]!.targetId;
    cloud.setTargetHealth(TG_DUB, target, 'unhealthy');
    expect((await cloud.loadBalancer.describeTargetHealth('eu-west-1', TG_DUB))[0]?.state).toBe('unhealthy');
  });
});
