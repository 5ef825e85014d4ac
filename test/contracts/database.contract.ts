// The database port's contract: instances and read replicas, promotion and its states, Aurora cluster
// failover, global cluster failover and switchover, replica lag, not-found errors and the two fences,
// as RDS and CloudWatch answer them; run against each lane by database*.contract.test.ts.
import { describe, expect, it } from 'vitest';
import type { DatabasePort, DbInstanceState, LagEngine } from '../../lambdas/ports/database.port';
import { CloudCallError } from '../../lambdas/ports/errors';
import { type Differences, contractCase } from './lanes/differences';

export interface DatabaseLane {
  readonly port: DatabasePort;
  /** A standalone, available instance. */
  addInstance(region: string, identifier: string): Promise<void>;
  /** A read replica, in the same region, of an instance already added. */
  addReplica(region: string, identifier: string, source: string): Promise<void>;
  /** An Aurora cluster with one writer instance and reader instances. */
  addCluster(region: string, identifier: string, writer: string, readers: readonly string[]): Promise<void>;
  /** An Aurora global database: a primary cluster (writer + reader) and a secondary cluster (one instance). */
  addGlobalCluster(
    identifier: string,
    primary: { readonly region: string; readonly cluster: string },
    secondary: { readonly region: string; readonly cluster: string },
  ): Promise<void>;
  /** The latest lag datapoint CloudWatch holds for a replica, reader or secondary cluster. */
  setLag(region: string, identifier: string, engine: LagEngine, seconds: number): Promise<void>;
  /** Lets this much time pass on the lane's clock (what RDS has under way moves on). */
  advance(ms: number): Promise<void>;
  /** True where every change is finished when its call returns (no clock to move). */
  readonly finishesAtOnce?: boolean;
}

export type DatabaseCase =
  | 'describes an available standalone instance'
  | 'reports an instance that does not exist as absent'
  | 'reports an instance asked for in another region as absent'
  | 'links a read replica and its source both ways'
  | 'shows a promotion under way right after the call'
  | 'passes only through modifying and rebooting on the way to available'
  | 'ends a promotion standalone, and the old source no longer lists it'
  | 'refuses to promote an instance that is not a read replica'
  | 'fails to promote an instance that does not exist, naming it'
  | 'describes a cluster with its ARN, its writer and its readers'
  | 'reports a cluster that does not exist as absent'
  | 'shows a cluster failover under way right after the call'
  | 'fails a cluster over to the chosen reader'
  | 'fails to fail over a cluster that does not exist, naming it'
  | 'refuses a cluster failover to an instance that is not a member, naming it'
  | 'describes a global cluster with its member clusters by ARN and its writer'
  | 'reports a global cluster that does not exist as absent'
  | 'fails a global cluster over with data loss allowed'
  | 'switches a global cluster over without data loss'
  | 'shows a global failover under way right after the call'
  | 'refuses a global failover to a cluster that is not a member, naming it'
  | 'fails to fail over a global cluster that does not exist, naming it'
  | 'reads the lag of a read replica in seconds'
  | 'reads the lag of an Aurora reader in seconds'
  | 'reads the lag of a global secondary cluster in seconds'
  | 'reads the lag of a replica with no datapoint as unknown'
  | 'stops an available instance: stopping, then stopped'
  | 'refuses to stop an instance that is not available'
  | 'fails to stop an instance that does not exist, naming it'
  | 'isolates an instance: its security groups become exactly the given ones'
  | 'fails to isolate an instance that does not exist, naming it';

const REGION = 'us-east-1';
const OTHER_REGION = 'us-west-2';

/** How far the contract lets time run while it waits for RDS to finish something. */
const SETTLE_WITHIN_MS = 60 * 60_000;
const STEP_MS = 10_000;

/** A CloudCallError naming `who`, with the AWS error code matching `code`. */
const refusal = (code: RegExp, who: string, retryable?: boolean) => (e: unknown) =>
  e instanceof CloudCallError &&
  code.test(e.message) &&
  e.message.includes(who) &&
  (retryable === undefined || e.retryable === retryable);

/** Registers the database contract's cases for one lane. */
export function databaseContract(
  lane: string,
  open: () => Promise<DatabaseLane>,
  differences: Differences<DatabaseCase> = {},
): void {
  const test = (name: DatabaseCase, body: () => Promise<void>) => contractCase(it, name, differences, body);

  /** Steps the lane's clock until `done` holds, recording what `observe` sees at each step. */
  async function waitFor<T>(
    db: DatabaseLane,
    observe: () => Promise<T>,
    done: (seen: T) => boolean,
  ): Promise<{ seen: T[]; last: T }> {
    const seen: T[] = [await observe()];
    const within = db.finishesAtOnce ? 0 : SETTLE_WITHIN_MS;
    for (let waited = 0; !done(seen.at(-1) as T) && waited < within; waited += STEP_MS) {
      await db.advance(STEP_MS);
      seen.push(await observe());
    }
    return { seen, last: seen.at(-1) as T };
  }

  async function primaryAndReplica(): Promise<DatabaseLane> {
    const db = await open();
    await db.addInstance(REGION, 'orders-primary');
    await db.addReplica(REGION, 'orders-replica', 'orders-primary');
    return db;
  }

  async function promoted(): Promise<{ db: DatabaseLane; states: DbInstanceState[] }> {
    const db = await primaryAndReplica();
    await db.port.promoteReadReplica(REGION, 'orders-replica');
    const { seen } = await waitFor(
      db,
      () => db.port.describeInstance(REGION, 'orders-replica'),
      (s) => s?.status === 'available' && s.replicaSourceIdentifier === undefined,
    );
    return { db, states: seen.filter((s): s is DbInstanceState => s !== undefined) };
  }

  async function auroraCluster(): Promise<DatabaseLane> {
    const db = await open();
    await db.addCluster(REGION, 'orders-cluster', 'orders-a', ['orders-b']);
    return db;
  }

  async function globalDatabase(): Promise<{ db: DatabaseLane; primaryArn: string; secondaryArn: string }> {
    const db = await open();
    await db.addGlobalCluster(
      'orders-global',
      { region: REGION, cluster: 'orders-east' },
      { region: OTHER_REGION, cluster: 'orders-west' },
    );
    const primaryArn = (await db.port.describeCluster(REGION, 'orders-east'))?.arn ?? 'no primary cluster';
    const secondaryArn = (await db.port.describeCluster(OTHER_REGION, 'orders-west'))?.arn ?? 'no secondary cluster';
    return { db, primaryArn, secondaryArn };
  }

  const writerOf = async (db: DatabaseLane, identifier: string) =>
    (await db.port.describeGlobalCluster(REGION, identifier))?.members.find((m) => m.isWriter)?.clusterArn;

  describe(`database contract: ${lane}`, () => {
    test('describes an available standalone instance', async () => {
      const db = await open();
      await db.addInstance(REGION, 'orders-primary');
      expect(await db.port.describeInstance(REGION, 'orders-primary')).toMatchObject({
        identifier: 'orders-primary',
        region: REGION,
        status: 'available',
        replicaIdentifiers: [],
      });
      const state = await db.port.describeInstance(REGION, 'orders-primary');
      expect(state?.replicaSourceIdentifier).toBeUndefined();
      expect(state?.replicationStatus).toBeUndefined();
    });

    test('reports an instance that does not exist as absent', async () => {
      const db = await open();
      expect(await db.port.describeInstance(REGION, 'orders-gone')).toBeUndefined();
    });

    test('reports an instance asked for in another region as absent', async () => {
      const db = await open();
      await db.addInstance(REGION, 'orders-primary');
      expect(await db.port.describeInstance(OTHER_REGION, 'orders-primary')).toBeUndefined();
    });

    test('links a read replica and its source both ways', async () => {
      const db = await primaryAndReplica();
      expect(await db.port.describeInstance(REGION, 'orders-replica')).toMatchObject({
        status: 'available',
        replicaSourceIdentifier: 'orders-primary',
        replicationStatus: 'replicating',
      });
      expect((await db.port.describeInstance(REGION, 'orders-primary'))?.replicaIdentifiers).toEqual([
        'orders-replica',
      ]);
    });

    test('shows a promotion under way right after the call', async () => {
      const db = await primaryAndReplica();
      await db.port.promoteReadReplica(REGION, 'orders-replica');
      expect((await db.port.describeInstance(REGION, 'orders-replica'))?.status).toBe('modifying');
    });

    test('passes only through modifying and rebooting on the way to available', async () => {
      const { states } = await promoted();
      expect(states.at(-1)?.status).toBe('available');
      expect(states.slice(0, -1).filter((s) => !['modifying', 'rebooting'].includes(s.status))).toEqual([]);
    });

    test('ends a promotion standalone, and the old source no longer lists it', async () => {
      const { db, states } = await promoted();
      const last = states.at(-1);
      expect(last).toMatchObject({ identifier: 'orders-replica', status: 'available', replicaIdentifiers: [] });
      expect(last?.replicaSourceIdentifier).toBeUndefined();
      expect(last?.replicationStatus).toBeUndefined();
      expect((await db.port.describeInstance(REGION, 'orders-primary'))?.replicaIdentifiers).toEqual([]);
    });

    test('refuses to promote an instance that is not a read replica', async () => {
      const db = await primaryAndReplica();
      await expect(db.port.promoteReadReplica(REGION, 'orders-primary')).rejects.toSatisfy(
        refusal(/InvalidDBInstanceState/, 'orders-primary'),
      );
      expect((await db.port.describeInstance(REGION, 'orders-primary'))?.status).toBe('available');
    });

    test('fails to promote an instance that does not exist, naming it', async () => {
      const db = await open();
      await expect(db.port.promoteReadReplica(REGION, 'orders-gone')).rejects.toSatisfy(
        refusal(/DBInstanceNotFound/, 'orders-gone', false),
      );
    });

    test('describes a cluster with its ARN, its writer and its readers', async () => {
      const db = await auroraCluster();
      const cluster = await db.port.describeCluster(REGION, 'orders-cluster');
      expect(cluster).toMatchObject({ identifier: 'orders-cluster', region: REGION, status: 'available' });
      expect(cluster?.arn).toMatch(/^arn:aws:rds:us-east-1:\d{12}:cluster:orders-cluster$/);
      expect(cluster?.members.map((m) => [m.instanceIdentifier, m.isWriter])).toEqual([
        ['orders-a', true],
        ['orders-b', false],
      ]);
    });

    test('reports a cluster that does not exist as absent', async () => {
      const db = await open();
      expect(await db.port.describeCluster(REGION, 'orders-gone')).toBeUndefined();
    });

    test('shows a cluster failover under way right after the call', async () => {
      const db = await auroraCluster();
      await db.port.failoverCluster(REGION, 'orders-cluster', 'orders-b');
      expect((await db.port.describeCluster(REGION, 'orders-cluster'))?.status).toBe('failing-over');
    });

    test('fails a cluster over to the chosen reader', async () => {
      const db = await auroraCluster();
      await db.port.failoverCluster(REGION, 'orders-cluster', 'orders-b');
      const { last } = await waitFor(
        db,
        () => db.port.describeCluster(REGION, 'orders-cluster'),
        (c) => c?.status === 'available',
      );
      expect(last?.members.map((m) => [m.instanceIdentifier, m.isWriter])).toEqual([
        ['orders-a', false],
        ['orders-b', true],
      ]);
    });

    test('fails to fail over a cluster that does not exist, naming it', async () => {
      const db = await auroraCluster();
      await expect(db.port.failoverCluster(REGION, 'orders-gone', 'orders-b')).rejects.toSatisfy(
        refusal(/DBClusterNotFound/, 'orders-gone', false),
      );
    });

    test('refuses a cluster failover to an instance that is not a member, naming it', async () => {
      const db = await auroraCluster();
      await expect(db.port.failoverCluster(REGION, 'orders-cluster', 'orders-z')).rejects.toSatisfy(
        refusal(/./, 'orders-z', false),
      );
      const members = (await db.port.describeCluster(REGION, 'orders-cluster'))?.members;
      expect(members?.find((m) => m.isWriter)?.instanceIdentifier).toBe('orders-a');
    });

    test('describes a global cluster with its member clusters by ARN and its writer', async () => {
      const { db, primaryArn, secondaryArn } = await globalDatabase();
      const global = await db.port.describeGlobalCluster(REGION, 'orders-global');
      expect(global).toMatchObject({ identifier: 'orders-global', status: 'available' });
      expect(global?.failoverStatus).toBeUndefined();
      expect(global?.members.map((m) => [m.clusterArn, m.isWriter]).sort()).toEqual(
        [
          [primaryArn, true],
          [secondaryArn, false],
        ].sort(),
      );
    });

    test('reports a global cluster that does not exist as absent', async () => {
      const { db } = await globalDatabase();
      expect(await db.port.describeGlobalCluster(REGION, 'orders-gone')).toBeUndefined();
    });

    test('fails a global cluster over with data loss allowed', async () => {
      const { db, secondaryArn } = await globalDatabase();
      await db.port.failoverGlobalCluster(OTHER_REGION, 'orders-global', secondaryArn, true);
      const { last } = await waitFor(
        db,
        () => writerOf(db, 'orders-global'),
        (writer) => writer === secondaryArn,
      );
      expect(last).toBe(secondaryArn);
    });

    test('switches a global cluster over without data loss', async () => {
      const { db, secondaryArn } = await globalDatabase();
      await db.port.failoverGlobalCluster(REGION, 'orders-global', secondaryArn, false);
      const { last } = await waitFor(
        db,
        () => writerOf(db, 'orders-global'),
        (writer) => writer === secondaryArn,
      );
      expect(last).toBe(secondaryArn);
      const settled = await db.port.describeGlobalCluster(REGION, 'orders-global');
      expect(settled?.failoverStatus).toBeUndefined();
    });

    test('shows a global failover under way right after the call', async () => {
      const { db, secondaryArn } = await globalDatabase();
      await db.port.failoverGlobalCluster(OTHER_REGION, 'orders-global', secondaryArn, true);
      const global = await db.port.describeGlobalCluster(REGION, 'orders-global');
      expect(global?.failoverStatus).toMatch(/^(pending|failing-over)$/);
    });

    test('refuses a global failover to a cluster that is not a member, naming it', async () => {
      const { db, primaryArn } = await globalDatabase();
      const stranger = primaryArn.replace(/orders-east$/, 'orders-stranger');
      await expect(db.port.failoverGlobalCluster(REGION, 'orders-global', stranger, true)).rejects.toSatisfy(
        refusal(/./, 'orders-stranger', false),
      );
    });

    test('fails to fail over a global cluster that does not exist, naming it', async () => {
      const { db, secondaryArn } = await globalDatabase();
      await expect(db.port.failoverGlobalCluster(REGION, 'orders-gone', secondaryArn, true)).rejects.toSatisfy(
        refusal(/GlobalClusterNotFound/, 'orders-gone', false),
      );
    });

    test('reads the lag of a read replica in seconds', async () => {
      const db = await primaryAndReplica();
      await db.setLag(REGION, 'orders-replica', 'rds-instance', 12);
      expect(await db.port.replicaLagSeconds(REGION, 'orders-replica', 'rds-instance')).toBe(12);
    });

    test('reads the lag of an Aurora reader in seconds', async () => {
      const db = await auroraCluster();
      await db.setLag(REGION, 'orders-b', 'aurora-cluster', 0.25);
      expect(await db.port.replicaLagSeconds(REGION, 'orders-b', 'aurora-cluster')).toBeCloseTo(0.25, 6);
    });

    test('reads the lag of a global secondary cluster in seconds', async () => {
      const { db } = await globalDatabase();
      await db.setLag(OTHER_REGION, 'orders-west', 'aurora-global', 1.5);
      expect(await db.port.replicaLagSeconds(OTHER_REGION, 'orders-west', 'aurora-global')).toBeCloseTo(1.5, 6);
    });

    test('reads the lag of a replica with no datapoint as unknown', async () => {
      const db = await open();
      expect(await db.port.replicaLagSeconds(REGION, 'orders-unwatched', 'rds-instance')).toBeUndefined();
    });

    test('stops an available instance: stopping, then stopped', async () => {
      const db = await open();
      await db.addInstance(REGION, 'orders-primary');
      await db.port.stopInstance(REGION, 'orders-primary');
      expect((await db.port.describeInstance(REGION, 'orders-primary'))?.status).toBe('stopping');
      const { last } = await waitFor(
        db,
        async () => (await db.port.describeInstance(REGION, 'orders-primary'))?.status,
        (status) => status !== 'stopping',
      );
      expect(last).toBe('stopped');
    });

    test('refuses to stop an instance that is not available', async () => {
      const db = await open();
      await db.addInstance(REGION, 'orders-primary');
      await db.port.stopInstance(REGION, 'orders-primary');
      await waitFor(
        db,
        async () => (await db.port.describeInstance(REGION, 'orders-primary'))?.status,
        (status) => status === 'stopped',
      );
      await expect(db.port.stopInstance(REGION, 'orders-primary')).rejects.toSatisfy(
        refusal(/InvalidDBInstanceState/, 'orders-primary'),
      );
    });

    test('fails to stop an instance that does not exist, naming it', async () => {
      const db = await open();
      await expect(db.port.stopInstance(REGION, 'orders-gone')).rejects.toSatisfy(
        refusal(/DBInstanceNotFound/, 'orders-gone', false),
      );
    });

    test('isolates an instance: its security groups become exactly the given ones', async () => {
      const db = await open();
      await db.addInstance(REGION, 'orders-primary');
      await db.port.isolateInstance(REGION, 'orders-primary', ['sg-0fence000000000001']);
      const { last } = await waitFor(
        db,
        async () => (await db.port.describeInstance(REGION, 'orders-primary'))?.securityGroups,
        (groups) => groups?.every((g) => g.status === 'active') ?? false,
      );
      expect(last).toEqual([{ id: 'sg-0fence000000000001', status: 'active' }]);
    });

    test('fails to isolate an instance that does not exist, naming it', async () => {
      const db = await open();
      await expect(db.port.isolateInstance(REGION, 'orders-gone', ['sg-0fence000000000001'])).rejects.toSatisfy(
        refusal(/DBInstanceNotFound/, 'orders-gone', false),
      );
    });
  });
}
