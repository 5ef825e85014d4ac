import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../lambdas/adapters/memory/faults';
import { MemoryDatabase } from '../../../lambdas/adapters/memory/memory-database';
import { CloudCallError } from '../../../lambdas/ports/errors';

const DUB = 'eu-west-1';
const FRA = 'eu-central-1';

function setup() {
  let time = Date.parse('2025-01-01T00:00:00Z');
  const faults = new FaultInjector();
  const db = new MemoryDatabase({
    now: () => new Date(time),
    faults,
    account: '111122223333',
    timings: { promotionMs: 60_000, clusterFailoverMs: 30_000, globalFailoverMs: 45_000 },
  });
  db.addInstance({ region: DUB, identifier: 'primary', endpoint: { host: 'primary.db', port: 5432 } });
  db.addInstance({ region: DUB, identifier: 'replica-1', replicaOf: { region: DUB, identifier: 'primary' } });
  db.addInstance({
    region: FRA,
    identifier: 'replica-fra',
    replicaOf: { region: DUB, identifier: 'primary' },
    lagSeconds: 4,
  });
  return { db, faults, advance: (ms: number) => (time += ms) };
}

const cloudError = (pattern: RegExp, retryable: boolean) => (e: unknown) =>
  e instanceof CloudCallError && e.retryable === retryable && pattern.test(e.message);

describe('MemoryDatabase', () => {
  it('describes a primary with its replicas, naming a cross-region replica by ARN as RDS does', async () => {
    const { db } = setup();
    expect(await db.describeInstance(DUB, 'primary')).toEqual({
      identifier: 'primary',
      region: DUB,
      status: 'available',
      endpoint: { host: 'primary.db', port: 5432 },
      replicaIdentifiers: ['replica-1', 'arn:aws:rds:eu-central-1:111122223333:db:replica-fra'],
      securityGroups: [{ id: 'sg-00000000app', status: 'active' }],
    });
    expect(await db.describeInstance(FRA, 'replica-fra')).toMatchObject({
      replicaSourceIdentifier: 'arn:aws:rds:eu-west-1:111122223333:db:primary',
      replicationStatus: 'replicating',
    });
  });

  it('returns undefined for an instance that does not exist in the region asked', async () => {
    const { db } = setup();
    expect(await db.describeInstance(FRA, 'primary')).toBeUndefined();
  });

  it('promotes a replica: modifying until the promotion time has passed, then available and standalone', async () => {
    // Prepare
    const { db, advance } = setup();
    // Act
    await db.promoteReadReplica(DUB, 'replica-1');
    const during = await db.describeInstance(DUB, 'replica-1');
    advance(60_000);
    const after = await db.describeInstance(DUB, 'replica-1');
    // Assess
    expect(during).toMatchObject({ status: 'modifying', replicaSourceIdentifier: 'primary' });
    expect(after).toEqual({
      identifier: 'replica-1',
      region: DUB,
      status: 'available',
      replicaIdentifiers: [],
      securityGroups: [{ id: 'sg-00000000app', status: 'active' }],
    });
    expect((await db.describeInstance(DUB, 'primary'))?.replicaIdentifiers).toEqual([
      'arn:aws:rds:eu-central-1:111122223333:db:replica-fra',
    ]);
    expect(await db.replicaLagSeconds(DUB, 'replica-1', 'rds-instance')).toBeUndefined();
  });

  it('refuses to promote an instance that is not a replica, for good', async () => {
    const { db } = setup();
    await expect(db.promoteReadReplica(DUB, 'primary')).rejects.toSatisfy(
      cloudError(/InvalidDBInstanceStateFault.*not a read replica/, false),
    );
  });

  it('refuses to promote a replica that is not available, retryably, and a missing one for good', async () => {
    const { db } = setup();
    await db.promoteReadReplica(DUB, 'replica-1');
    await expect(db.promoteReadReplica(DUB, 'replica-1')).rejects.toSatisfy(
      cloudError(/InvalidDBInstanceStateFault.*modifying/, true),
    );
    await expect(db.promoteReadReplica(DUB, 'nope')).rejects.toSatisfy(cloudError(/DBInstanceNotFoundFault/, false));
  });

  it('injects instance failures: failed, inaccessible, deleted', async () => {
    const { db } = setup();
    db.failInstance('primary');
    expect((await db.describeInstance(DUB, 'primary'))?.status).toBe('failed');
    db.failInstance('replica-1', 'inaccessible');
    expect((await db.describeInstance(DUB, 'replica-1'))?.status).toBe('inaccessible-encryption-credentials');
    db.failInstance('replica-fra', 'deleted');
    expect(await db.describeInstance(FRA, 'replica-fra')).toBeUndefined();
  });

  it('reports the lag that was set, and undefined for no datapoint', async () => {
    const { db } = setup();
    expect(await db.replicaLagSeconds(FRA, 'replica-fra', 'rds-instance')).toBe(4);
    db.setLag('replica-fra', 90);
    expect(await db.replicaLagSeconds(FRA, 'replica-fra', 'rds-instance')).toBe(90);
    db.setLag('replica-fra', undefined);
    expect(await db.replicaLagSeconds(FRA, 'replica-fra', 'rds-instance')).toBeUndefined();
    expect(await db.replicaLagSeconds(DUB, 'primary', 'rds-instance')).toBeUndefined();
  });

  it('fails an operation the number of times injected, then succeeds', async () => {
    const { db, faults } = setup();
    faults.failNext('promoteReadReplica', 2);
    await expect(db.promoteReadReplica(DUB, 'replica-1')).rejects.toSatisfy(cloudError(/injected/, true));
    await expect(db.promoteReadReplica(DUB, 'replica-1')).rejects.toBeInstanceOf(CloudCallError);
    await db.promoteReadReplica(DUB, 'replica-1');
    expect((await db.describeInstance(DUB, 'replica-1'))?.status).toBe('modifying');
  });

  it('fails every call to a dark region and none to the others', async () => {
    const { db, faults } = setup();
    faults.setRegionDark(DUB);
    await expect(db.describeInstance(DUB, 'primary')).rejects.toSatisfy(cloudError(/dark/, true));
    expect(await db.describeInstance(FRA, 'replica-fra')).toBeDefined();
  });

  it('switches an Aurora cluster writer after the failover time', async () => {
    // Prepare
    const { db, advance } = setup();
    db.addCluster({
      region: DUB,
      identifier: 'aurora',
      members: [
        { instanceIdentifier: 'a-1', isWriter: true, promotionTier: 0 },
        { instanceIdentifier: 'a-2', isWriter: false, promotionTier: 1 },
      ],
    });
    // Act
    await db.failoverCluster(DUB, 'aurora', 'a-2');
    const during = await db.describeCluster(DUB, 'aurora');
    advance(30_000);
    const after = await db.describeCluster(DUB, 'aurora');
    // Assess
    expect(during?.status).toBe('failing-over');
    expect(after).toMatchObject({ status: 'available', arn: 'arn:aws:rds:eu-west-1:111122223333:cluster:aurora' });
    expect(after?.members).toEqual([
      { instanceIdentifier: 'a-1', isWriter: false, promotionTier: 0 },
      { instanceIdentifier: 'a-2', isWriter: true, promotionTier: 1 },
    ]);
  });

  describe('global clusters', () => {
    function withGlobal() {
      const s = setup();
      s.db.addCluster({
        region: DUB,
        identifier: 'g-dub',
        members: [{ instanceIdentifier: 'g-dub-1', isWriter: true }],
      });
      s.db.addCluster({
        region: FRA,
        identifier: 'g-fra',
        members: [{ instanceIdentifier: 'g-fra-1', isWriter: false }],
      });
      s.db.addGlobalCluster({
        identifier: 'global',
        members: [
          { region: DUB, clusterIdentifier: 'g-dub', isWriter: true },
          { region: FRA, clusterIdentifier: 'g-fra', isWriter: false, lagSeconds: 2 },
        ],
      });
      return s;
    }
    const fraArn = 'arn:aws:rds:eu-central-1:111122223333:cluster:g-fra';

    it('switches over to the secondary cluster while the writer is reachable', async () => {
      const { db, advance } = withGlobal();
      await db.failoverGlobalCluster(FRA, 'global', fraArn, false);
      expect((await db.describeGlobalCluster(FRA, 'global'))?.failoverStatus).toBe('failing-over');
      advance(45_000);
      const after = await db.describeGlobalCluster(FRA, 'global');
      expect(after?.failoverStatus).toBeUndefined();
      expect(after?.members).toEqual([
        { clusterArn: 'arn:aws:rds:eu-west-1:111122223333:cluster:g-dub', isWriter: false },
        { clusterArn: fraArn, isWriter: true },
      ]);
      expect((await db.describeCluster(FRA, 'g-fra'))?.members[0]?.isWriter).toBe(true);
    });

    it('refuses a switchover while the writer region is dark, and fails over with AllowDataLoss', async () => {
      const { db, faults, advance } = withGlobal();
      faults.setRegionDark(DUB);
      await expect(db.failoverGlobalCluster(FRA, 'global', fraArn, false)).rejects.toSatisfy(
        cloudError(/AllowDataLoss/, false),
      );
      await db.failoverGlobalCluster(FRA, 'global', fraArn, true);
      advance(45_000);
      expect((await db.describeGlobalCluster(FRA, 'global'))?.members.find((m) => m.isWriter)?.clusterArn).toBe(fraArn);
    });
  });
});

describe('MemoryDatabase fencing', () => {
  it('stops an available instance: stopping, then stopped after timings.stopMs; started again by startInstance', async () => {
    const { db, advance } = setup();
    await db.stopInstance(DUB, 'primary');
    expect((await db.describeInstance(DUB, 'primary'))?.status).toBe('stopping');
    advance(db.timings.stopMs);
    expect((await db.describeInstance(DUB, 'primary'))?.status).toBe('stopped');
    db.startInstance('primary', DUB);
    expect((await db.describeInstance(DUB, 'primary'))?.status).toBe('available');
  });

  it('refuses to stop an instance that is not available, as RDS does (retryable)', async () => {
    const { db } = setup();
    db.setInstanceStatus('primary', 'rebooting', DUB);
    await expect(db.stopInstance(DUB, 'primary')).rejects.toSatisfy(
      cloudError(/InvalidDBInstanceStateFault.*rebooting/, true),
    );
  });

  it('replaces the security groups of an isolated instance', async () => {
    const { db } = setup();
    await db.isolateInstance(DUB, 'primary', ['sg-0123456789abcdef0']);
    expect((await db.describeInstance(DUB, 'primary'))?.securityGroups).toEqual([
      { id: 'sg-0123456789abcdef0', status: 'active' },
    ]);
  });

  it('fails both fences of an unknown instance with DBInstanceNotFoundFault', async () => {
    const { db } = setup();
    await expect(db.stopInstance(DUB, 'nope')).rejects.toSatisfy(cloudError(/DBInstanceNotFoundFault/, false));
    await expect(db.isolateInstance(DUB, 'nope', ['sg-0123456789abcdef0'])).rejects.toSatisfy(
      cloudError(/DBInstanceNotFoundFault/, false),
    );
  });
});
