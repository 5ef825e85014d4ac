// In-memory RDS and Aurora: instances, replicas, clusters and global clusters whose promotions and
// failovers take time on the cloud's clock, with RDS's refusals, and faults to inject.
import type {
  InventoryDbCluster,
  InventoryDbInstance,
  InventoryGlobalCluster,
} from '../../ports/account-inventory.port';
import type {
  DatabasePort,
  DbClusterState,
  DbInstanceState,
  GlobalClusterState,
  LagEngine,
} from '../../ports/database.port';
import { CloudCallError } from '../../ports/errors';
import { awsError, type FaultInjector } from './faults';
import { StaleReads } from './stale-reads';

export interface DatabaseTimings {
  /** PromoteReadReplica: from the call until the instance is available and standalone. */
  promotionMs: number;
  /** FailoverDBCluster: until the target is the writer. */
  clusterFailoverMs: number;
  /** FailoverGlobalCluster: until the target cluster is the writer. */
  globalFailoverMs: number;
  /** StopDBInstance: "stopping" until "stopped". */
  stopMs: number;
}

const defaultDatabaseTimings: DatabaseTimings = {
  promotionMs: 60_000,
  clusterFailoverMs: 30_000,
  globalFailoverMs: 60_000,
  stopMs: 30_000,
};

export interface InstanceSpec {
  readonly region: string;
  readonly identifier: string;
  readonly endpoint?: { readonly host: string; readonly port: number };
  /** @default - available */
  readonly status?: string;
  /** Makes the instance a read replica of this source (same or another region). */
  readonly replicaOf?: { readonly region: string; readonly identifier: string };
  /** Replica lag reported by CloudWatch. @default - 0 for a replica */
  readonly lagSeconds?: number;
  /** VPC security groups. @default - one group, sg-00000000app */
  readonly securityGroupIds?: readonly string[];
}

export interface ClusterSpec {
  readonly region: string;
  readonly identifier: string;
  readonly members: readonly {
    readonly instanceIdentifier: string;
    readonly isWriter: boolean;
    readonly promotionTier?: number;
    readonly endpoint?: { readonly host: string; readonly port: number };
    /** Replica lag of a reader (AuroraReplicaLag). @default - 0 for a reader */
    readonly lagSeconds?: number;
  }[];
  /** Lag behind the writer cluster of a global database (AuroraGlobalDBReplicationLag). @default - 0 for a secondary */
  readonly lagSeconds?: number;
}

export type InstanceFailure = 'failed' | 'inaccessible' | 'deleted';

interface Instance {
  identifier: string;
  region: string;
  status: string;
  endpoint?: { host: string; port: number };
  /** Key (region/identifier) of the source while this is a read replica. */
  source?: string;
  replicationStatus?: string;
  promotionDoneAt?: number;
  securityGroupIds: string[];
  /** StopDBInstance: when the instance is stopped. */
  stopDoneAt?: number;
}

interface Cluster {
  identifier: string;
  region: string;
  status: string;
  members: { instanceIdentifier: string; isWriter: boolean; promotionTier?: number }[];
  failover?: { target: string; doneAt: number };
}

interface GlobalCluster {
  identifier: string;
  members: { clusterArn: string; isWriter: boolean }[];
  failover?: { targetArn: string; doneAt: number };
}

const key = (region: string, identifier: string) => `${region}/${identifier}`;

export class MemoryDatabase implements DatabasePort {
  private readonly instances = new Map<string, Instance>();
  private readonly clusters = new Map<string, Cluster>();
  private readonly globals = new Map<string, GlobalCluster>();
  private readonly lag = new Map<string, number | undefined>();
  private readonly now: () => Date;
  private readonly faults: FaultInjector;
  private readonly account: string;
  private readonly staleReads: StaleReads;
  readonly timings: DatabaseTimings;

  constructor(options: {
    now: () => Date;
    faults: FaultInjector;
    account?: string;
    timings?: Partial<DatabaseTimings>;
    /** Describe calls that lag the guard's calls ('RDS': the old role and status for a while). @default - never stale */
    staleReads?: StaleReads;
  }) {
    this.now = options.now;
    this.faults = options.faults;
    this.staleReads = options.staleReads ?? new StaleReads(options.now);
    this.account = options.account ?? '123456789012';
    this.timings = { ...defaultDatabaseTimings, ...options.timings };
  }

  addInstance(spec: InstanceSpec): void {
    const instance: Instance = {
      identifier: spec.identifier,
      region: spec.region,
      status: spec.status ?? 'available',
      securityGroupIds: [...(spec.securityGroupIds ?? ['sg-00000000app'])],
    };
    if (spec.endpoint) instance.endpoint = { ...spec.endpoint };
    if (spec.replicaOf) {
      instance.source = key(spec.replicaOf.region, spec.replicaOf.identifier);
      instance.replicationStatus = 'replicating';
      this.lag.set(key(spec.region, spec.identifier), spec.lagSeconds ?? 0);
    }
    this.instances.set(key(spec.region, spec.identifier), instance);
  }

  /** Adds an Aurora DB cluster and its instances. */
  addCluster(spec: ClusterSpec): void {
    for (const m of spec.members) {
      if (!this.instances.has(key(spec.region, m.instanceIdentifier))) {
        this.addInstance({
          region: spec.region,
          identifier: m.instanceIdentifier,
          ...(m.endpoint ? { endpoint: m.endpoint } : {}),
        });
      }
      if (!m.isWriter) this.lag.set(key(spec.region, m.instanceIdentifier), m.lagSeconds ?? 0);
    }
    this.clusters.set(key(spec.region, spec.identifier), {
      identifier: spec.identifier,
      region: spec.region,
      status: 'available',
      members: spec.members.map((m) => ({
        instanceIdentifier: m.instanceIdentifier,
        isWriter: m.isWriter,
        ...(m.promotionTier !== undefined ? { promotionTier: m.promotionTier } : {}),
      })),
    });
  }

  /** Adds an Aurora global database over clusters already added. */
  addGlobalCluster(spec: {
    identifier: string;
    members: readonly { region: string; clusterIdentifier: string; isWriter: boolean; lagSeconds?: number }[];
  }): void {
    for (const m of spec.members) {
      if (!m.isWriter) this.lag.set(key(m.region, m.clusterIdentifier), m.lagSeconds ?? 0);
    }
    this.globals.set(spec.identifier, {
      identifier: spec.identifier,
      members: spec.members.map((m) => ({
        clusterArn: this.clusterArn(m.region, m.clusterIdentifier),
        isWriter: m.isWriter,
      })),
    });
  }

  /** Injects a failure: status "failed", "inaccessible-encryption-credentials", or the instance is gone. */
  failInstance(identifier: string, how: InstanceFailure = 'failed', region?: string): void {
    const instance = this.find(identifier, region);
    const k = key(instance.region, instance.identifier);
    if (how === 'deleted') {
      this.instances.delete(k);
      for (const cluster of this.clusters.values()) {
        if (cluster.region === instance.region)
          cluster.members = cluster.members.filter((m) => m.instanceIdentifier !== identifier);
      }
      return;
    }
    instance.status = how === 'failed' ? 'failed' : 'inaccessible-encryption-credentials';
  }

  /** An Aurora DB cluster fails: status "failed", or it is gone (deleted). */
  failCluster(identifier: string, how: 'failed' | 'deleted', region?: string): void {
    const found = [...this.clusters.entries()].filter(
      ([, c]) => c.identifier === identifier && (region === undefined || c.region === region),
    );
    if (found.length !== 1)
      throw new Error(
        `in-memory cloud: ${found.length === 0 ? 'no' : 'more than one'} DB cluster "${identifier}"${region ? ` in ${region}` : ''}; pass the region to choose`,
      );
    const [k, cluster] = found[0]!;
    if (how === 'deleted') this.clusters.delete(k);
    else cluster.status = 'failed';
  }

  setInstanceStatus(identifier: string, status: string, region?: string): void {
    this.find(identifier, region).status = status;
  }

  /** The lag CloudWatch reports for a replica instance or a secondary cluster; undefined = no datapoint. */
  setLag(identifier: string, seconds: number | undefined, region?: string): void {
    const target = this.findInstanceOrCluster(identifier, region);
    this.lag.set(key(target.region, identifier), seconds);
  }

  /** What an observer outside the guard sees of an instance (no fault applies); undefined when it does not exist. */
  inspectInstance(region: string, identifier: string): DbInstanceState | undefined {
    this.settle();
    const instance = this.instances.get(key(region, identifier));
    return instance ? this.instanceState(instance) : undefined;
  }

  /** The region's DB instances as DescribeDBInstances lists them (engine postgres, aurora-postgresql in a cluster). */
  listInstances(region: string): InventoryDbInstance[] {
    this.settle();
    const clusterOf = new Map(
      [...this.clusters.values()].flatMap((c) =>
        c.members.map((m) => [key(c.region, m.instanceIdentifier), c.identifier]),
      ),
    );
    return [...this.instances.entries()]
      .filter(([, i]) => i.region === region)
      .map(([k, i]) => {
        const cluster = clusterOf.get(k);
        return {
          identifier: i.identifier,
          arn: `arn:aws:rds:${region}:${this.account}:db:${i.identifier}`,
          engine: cluster ? 'aurora-postgresql' : 'postgres',
          status: i.status,
          ...(i.endpoint ? { endpoint: { ...i.endpoint } } : {}),
          ...(i.source !== undefined ? { replicaOf: this.reference(i.source, region) } : {}),
          ...(cluster ? { clusterIdentifier: cluster } : {}),
        };
      });
  }

  /** The region's DB clusters as DescribeDBClusters lists them; the writer endpoint is the writer instance's. */
  listClusters(region: string): InventoryDbCluster[] {
    this.settle();
    return [...this.clusters.values()]
      .filter((c) => c.region === region)
      .map((c) => {
        const writer = c.members.find((m) => m.isWriter);
        const endpoint = writer && this.instances.get(key(region, writer.instanceIdentifier))?.endpoint;
        return {
          identifier: c.identifier,
          arn: this.clusterArn(region, c.identifier),
          engine: 'aurora-postgresql',
          status: c.status,
          ...(endpoint ? { endpoint: { ...endpoint } } : {}),
          members: c.members.map((m) => ({ ...m })),
        };
      });
  }

  /** Every global cluster, as DescribeGlobalClusters lists them. */
  listGlobalClusters(): InventoryGlobalCluster[] {
    this.settle();
    return [...this.globals.values()].map((g) => ({
      identifier: g.identifier,
      members: g.members.map((m) => ({ ...m })),
    }));
  }

  async describeInstance(region: string, identifier: string): Promise<DbInstanceState | undefined> {
    this.begin('describeInstance', identifier, region);
    const instance = this.instances.get(key(region, identifier));
    return this.staleReads.read('RDS', `db:${key(region, identifier)}`, instance && this.instanceState(instance));
  }

  async describeCluster(region: string, identifier: string): Promise<DbClusterState | undefined> {
    this.begin('describeCluster', identifier, region);
    return this.staleReads.read('RDS', `cluster:${key(region, identifier)}`, this.clusterState(region, identifier));
  }

  private clusterState(region: string, identifier: string): DbClusterState | undefined {
    const cluster = this.clusters.get(key(region, identifier));
    if (!cluster) return undefined;
    const writer = cluster.members.find((m) => m.isWriter);
    return {
      identifier,
      region,
      arn: this.clusterArn(region, identifier),
      status: cluster.status,
      members: cluster.members.map((m) => ({ ...m })),
      ...(writer ? { endpoint: `${identifier}.cluster-memory.${region}.rds.amazonaws.com` } : {}),
    };
  }

  async describeGlobalCluster(region: string, identifier: string): Promise<GlobalClusterState | undefined> {
    this.begin('describeGlobalCluster', identifier, region);
    return this.staleReads.read('RDS', `global-cluster:${identifier}`, this.globalClusterState(identifier));
  }

  private globalClusterState(identifier: string): GlobalClusterState | undefined {
    const global = this.globals.get(identifier);
    if (!global) return undefined;
    return {
      identifier,
      status: 'available',
      members: global.members.map((m) => ({ ...m })),
      ...(global.failover ? { failoverStatus: 'failing-over' } : {}),
    };
  }

  /** Before the guard changes an instance: what its describe shows while reads lag. */
  private changingInstance(instance: Instance): void {
    this.staleReads.changing('RDS', `db:${key(instance.region, instance.identifier)}`, () =>
      this.instanceState(instance),
    );
  }

  async replicaLagSeconds(region: string, identifier: string, _engine: LagEngine): Promise<number | undefined> {
    this.begin('replicaLagSeconds', identifier, region);
    return this.lag.get(key(region, identifier));
  }

  async promoteReadReplica(region: string, identifier: string): Promise<void> {
    this.begin('promoteReadReplica', identifier, region);
    const instance = this.instances.get(key(region, identifier));
    if (!instance) throw notFound('promoteReadReplica', identifier, region);
    if (instance.source === undefined) {
      throw new CloudCallError(
        'promoteReadReplica',
        identifier,
        awsError('InvalidDBInstanceStateFault', `DB instance ${identifier} is not a read replica.`),
        false,
      );
    }
    if (instance.status !== 'available') throw notAvailable('promoteReadReplica', identifier, instance.status);
    this.changingInstance(instance);
    instance.status = 'modifying';
    instance.promotionDoneAt = this.now().getTime() + this.timings.promotionMs;
    this.settle();
  }

  async failoverCluster(region: string, clusterIdentifier: string, targetInstanceIdentifier: string): Promise<void> {
    this.begin('failoverCluster', clusterIdentifier, region);
    const cluster = this.clusters.get(key(region, clusterIdentifier));
    if (!cluster) {
      throw new CloudCallError(
        'failoverCluster',
        clusterIdentifier,
        awsError('DBClusterNotFoundFault', `DBCluster ${clusterIdentifier} not found in ${region}.`),
        false,
      );
    }
    const target = cluster.members.find((m) => m.instanceIdentifier === targetInstanceIdentifier);
    if (!target) throw notFound('failoverCluster', targetInstanceIdentifier, region);
    if (target.isWriter && !cluster.failover) return;
    if (cluster.status !== 'available') {
      throw new CloudCallError(
        'failoverCluster',
        clusterIdentifier,
        awsError('InvalidDBClusterStateFault', `DB cluster ${clusterIdentifier} is ${cluster.status}.`),
        true,
      );
    }
    const instance = this.instances.get(key(region, targetInstanceIdentifier));
    if (instance?.status !== 'available') {
      throw new CloudCallError(
        'failoverCluster',
        targetInstanceIdentifier,
        awsError('InvalidDBInstanceStateFault', `DB instance ${targetInstanceIdentifier} is not available.`),
        true,
      );
    }
    this.staleReads.changing('RDS', `cluster:${key(region, clusterIdentifier)}`, () =>
      this.clusterState(region, clusterIdentifier),
    );
    cluster.status = 'failing-over';
    cluster.failover = {
      target: targetInstanceIdentifier,
      doneAt: this.now().getTime() + this.timings.clusterFailoverMs,
    };
    this.settle();
  }

  async failoverGlobalCluster(
    region: string,
    globalClusterIdentifier: string,
    targetClusterArn: string,
    allowDataLoss: boolean,
  ): Promise<void> {
    this.begin('failoverGlobalCluster', globalClusterIdentifier, region);
    const global = this.globals.get(globalClusterIdentifier);
    const fail = (code: string, message: string, retryable: boolean) =>
      new CloudCallError('failoverGlobalCluster', globalClusterIdentifier, awsError(code, message), retryable);
    if (!global)
      throw fail('GlobalClusterNotFoundFault', `Global cluster ${globalClusterIdentifier} not found.`, false);
    const target = global.members.find((m) => m.clusterArn === targetClusterArn);
    if (!target)
      throw fail('DBClusterNotFoundFault', `${targetClusterArn} is not a member of ${globalClusterIdentifier}.`, false);
    if (global.failover)
      throw fail(
        'InvalidGlobalClusterStateFault',
        `Global cluster ${globalClusterIdentifier} is already failing over.`,
        true,
      );
    if (target.isWriter) return;
    if (!allowDataLoss && !this.writerClusterReachable(global)) {
      throw fail(
        'InvalidGlobalClusterStateFault',
        `A switchover of ${globalClusterIdentifier} needs its writer cluster available; fail over with AllowDataLoss to proceed without it.`,
        false,
      );
    }
    this.staleReads.changing('RDS', `global-cluster:${globalClusterIdentifier}`, () =>
      this.globalClusterState(globalClusterIdentifier),
    );
    global.failover = { targetArn: targetClusterArn, doneAt: this.now().getTime() + this.timings.globalFailoverMs };
    this.settle();
  }

  /** As RDS: only an available instance stops; "stopping" first, "stopped" after timings.stopMs. */
  async stopInstance(region: string, identifier: string): Promise<void> {
    this.begin('stopInstance', identifier, region);
    const instance = this.instances.get(key(region, identifier));
    if (!instance) throw notFound('stopInstance', identifier, region);
    if (instance.status !== 'available') throw notAvailable('stopInstance', identifier, instance.status);
    this.changingInstance(instance);
    instance.status = 'stopping';
    instance.stopDoneAt = this.now().getTime() + this.timings.stopMs;
    this.settle();
  }

  /** Replaces the instance's VPC security groups at once (RDS lists them "adding" for a moment first). */
  async isolateInstance(region: string, identifier: string, securityGroupIds: readonly string[]): Promise<void> {
    this.begin('isolateInstance', identifier, region);
    const instance = this.instances.get(key(region, identifier));
    if (!instance) throw notFound('isolateInstance', identifier, region);
    this.changingInstance(instance);
    instance.securityGroupIds = [...securityGroupIds];
  }

  /** Starts a stopped instance, as RDS does by itself after 7 days or an operator does. */
  startInstance(identifier: string, region?: string): void {
    const instance = this.find(identifier, region);
    delete instance.stopDoneAt;
    instance.status = 'available';
  }

  private begin(operation: string, resource: string, region: string): void {
    this.faults.check(operation, resource, region);
    this.settle();
  }

  /** Completes every promotion and failover whose time has come. */
  private settle(): void {
    const now = this.now().getTime();
    for (const [k, instance] of this.instances) {
      if (instance.promotionDoneAt === undefined || instance.promotionDoneAt > now) continue;
      delete instance.promotionDoneAt;
      delete instance.source;
      delete instance.replicationStatus;
      instance.status = 'available';
      this.lag.delete(k);
    }
    for (const instance of this.instances.values()) {
      if (instance.stopDoneAt === undefined || instance.stopDoneAt > now) continue;
      delete instance.stopDoneAt;
      instance.status = 'stopped';
    }
    for (const cluster of this.clusters.values()) {
      if (!cluster.failover || cluster.failover.doneAt > now) continue;
      const target = cluster.failover.target;
      for (const m of cluster.members) m.isWriter = m.instanceIdentifier === target;
      this.lag.delete(key(cluster.region, target));
      delete cluster.failover;
      cluster.status = 'available';
    }
    for (const global of this.globals.values()) {
      if (!global.failover || global.failover.doneAt > now) continue;
      const targetArn = global.failover.targetArn;
      for (const m of global.members) {
        m.isWriter = m.clusterArn === targetArn;
        const cluster = [...this.clusters.values()].find(
          (c) => this.clusterArn(c.region, c.identifier) === m.clusterArn,
        );
        if (!cluster) continue;
        for (const [i, member] of cluster.members.entries()) member.isWriter = m.isWriter && i === 0;
        if (m.isWriter) this.lag.delete(key(cluster.region, cluster.identifier));
      }
      delete global.failover;
    }
  }

  private writerClusterReachable(global: GlobalCluster): boolean {
    const writer = global.members.find((m) => m.isWriter);
    const cluster = [...this.clusters.values()].find(
      (c) => writer && this.clusterArn(c.region, c.identifier) === writer.clusterArn,
    );
    if (!cluster || cluster.status !== 'available' || this.faults.isRegionDark(cluster.region)) return false;
    return cluster.members.some(
      (m) => m.isWriter && this.instances.get(key(cluster.region, m.instanceIdentifier))?.status === 'available',
    );
  }

  private instanceState(instance: Instance): DbInstanceState {
    const k = key(instance.region, instance.identifier);
    const replicas = [...this.instances.entries()]
      .filter(([, i]) => i.source === k)
      .map(([rk]) => this.reference(rk, instance.region));
    return {
      identifier: instance.identifier,
      region: instance.region,
      status: instance.status,
      replicaIdentifiers: replicas,
      ...(instance.source !== undefined
        ? { replicaSourceIdentifier: this.reference(instance.source, instance.region) }
        : {}),
      ...(instance.endpoint ? { endpoint: { ...instance.endpoint } } : {}),
      ...(instance.replicationStatus !== undefined ? { replicationStatus: instance.replicationStatus } : {}),
      securityGroups: instance.securityGroupIds.map((id) => ({ id, status: 'active' })),
    };
  }

  /** As RDS shows a replication partner: its identifier in the same region, its ARN across regions. */
  private reference(instanceKey: string, fromRegion: string): string {
    const [region, identifier] = instanceKey.split('/') as [string, string];
    return region === fromRegion ? identifier : `arn:aws:rds:${region}:${this.account}:db:${identifier}`;
  }

  clusterArn(region: string, identifier: string): string {
    return `arn:aws:rds:${region}:${this.account}:cluster:${identifier}`;
  }

  private find(identifier: string, region?: string): Instance {
    const found = [...this.instances.values()].filter(
      (i) => i.identifier === identifier && (region === undefined || i.region === region),
    );
    if (found.length !== 1) {
      throw new Error(
        `in-memory cloud: ${found.length === 0 ? 'no' : 'more than one'} DB instance "${identifier}"${region ? ` in ${region}` : ''}; pass the region to choose`,
      );
    }
    return found[0]!;
  }

  private findInstanceOrCluster(identifier: string, region?: string): { region: string } {
    const clusters = [...this.clusters.values()].filter(
      (c) => c.identifier === identifier && (region === undefined || c.region === region),
    );
    return clusters.length === 1 ? clusters[0]! : this.find(identifier, region);
  }
}

/** RDS refuses a call on an instance that is busy; retryable, as the instance becomes available again. */
function notAvailable(operation: string, identifier: string, status: string): CloudCallError {
  return new CloudCallError(
    operation,
    identifier,
    awsError('InvalidDBInstanceStateFault', `DB instance ${identifier} is not in available state (it is ${status}).`),
    true,
  );
}

function notFound(operation: string, identifier: string, region: string): CloudCallError {
  return new CloudCallError(
    operation,
    identifier,
    awsError('DBInstanceNotFoundFault', `DBInstance ${identifier} not found in ${region}.`),
    false,
  );
}
