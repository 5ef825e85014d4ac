// RDS and CloudWatch as they answer on the wire, for the aws-sdk-client-mock lane: DBInstance, DBCluster
// and GlobalCluster in SDK shapes, one API per region (a region knows only its own resources), the
// states RDS passes through on its own clock (a promotion is modifying then rebooting; a stop is
// stopping; a cluster failover is failing-over; a global failover is pending then failing-over; new
// security groups are adding while the old ones are removing), RDS's fault codes, and the lag metrics
// as GetMetricData returns them. Written from the RDS and CloudWatch API references, independently of
// the in-memory fake.
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import {
  type DBCluster,
  DBClusterNotFoundFault,
  type DBInstance,
  DBInstanceNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  FailoverDBClusterCommand,
  type FailoverStatus,
  FailoverGlobalClusterCommand,
  type GlobalCluster,
  GlobalClusterNotFoundFault,
  InvalidDBInstanceStateFault,
  ModifyDBInstanceCommand,
  PromoteReadReplicaCommand,
  RDSClient,
  RDSServiceException,
  StopDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';

const ACCOUNT = '123456789012';
const NOT_FOUND = { httpStatusCode: 404, requestId: 'wire-model' };
const REFUSED = { httpStatusCode: 400, requestId: 'wire-model' };

/** How long RDS spends in each state in this model (minutes in AWS; any positive figure serves the contract). */
const TIMINGS = {
  promotionModifyingMs: 120_000,
  promotionRebootingMs: 60_000,
  stopMs: 90_000,
  clusterFailoverMs: 30_000,
  globalPendingMs: 10_000,
  globalFailoverMs: 60_000,
  securityGroupsMs: 20_000,
};

interface Instance {
  readonly region: string;
  readonly identifier: string;
  status: string;
  source?: string;
  securityGroups: { id: string; status: string }[];
  /** The state changes RDS has under way, each at its time. */
  pending: { atMs: number; apply: () => void }[];
}

interface Cluster {
  readonly region: string;
  readonly identifier: string;
  status: string;
  members: { instance: string; writer: boolean }[];
  pending: { atMs: number; apply: () => void }[];
}

interface Global {
  readonly identifier: string;
  members: { arn: string; writer: boolean }[];
  failoverState?: FailoverStatus;
  pending: { atMs: number; apply: () => void }[];
}

const instanceKey = (region: string, identifier: string) => `${region}/${identifier}`;
const clusterArn = (region: string, identifier: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:${identifier}`;

/** A fault as the SDK raises it for an RDS error code the client has no class for. */
const rdsFault = (name: string, message: string) =>
  new RDSServiceException({ name, $fault: 'client', message, $metadata: REFUSED });

export class RdsWireModel {
  private nowMs = Date.parse('2026-01-01T00:00:00Z');
  private readonly instances = new Map<string, Instance>();
  private readonly clusters = new Map<string, Cluster>();
  private readonly globals = new Map<string, Global>();
  /** Lag datapoints by region, metric name and dimension value, in the metric's own unit. */
  private readonly metrics = new Map<string, number>();

  readonly now = (): Date => new Date(this.nowMs);

  advance(ms: number): void {
    this.nowMs += ms;
    const due = (p: { atMs: number }) => p.atMs <= this.nowMs;
    for (const holder of [...this.instances.values(), ...this.clusters.values(), ...this.globals.values()]) {
      for (const change of holder.pending.filter(due).sort((a, b) => a.atMs - b.atMs)) change.apply();
      holder.pending = holder.pending.filter((p) => !due(p));
    }
  }

  addInstance(region: string, identifier: string, source?: string): void {
    this.instances.set(instanceKey(region, identifier), {
      region,
      identifier,
      status: 'available',
      ...(source !== undefined ? { source } : {}),
      securityGroups: [{ id: 'sg-0app000000000000a', status: 'active' }],
      pending: [],
    });
  }

  addCluster(region: string, identifier: string, members: readonly { instance: string; writer: boolean }[]): void {
    for (const m of members) this.addInstance(region, m.instance);
    this.clusters.set(instanceKey(region, identifier), {
      region,
      identifier,
      status: 'available',
      members: members.map((m) => ({ ...m })),
      pending: [],
    });
  }

  addGlobalCluster(identifier: string, members: readonly { region: string; cluster: string; writer: boolean }[]): void {
    this.globals.set(identifier, {
      identifier,
      members: members.map((m) => ({ arn: clusterArn(m.region, m.cluster), writer: m.writer })),
      pending: [],
    });
  }

  setMetric(region: string, metricName: string, dimensionValue: string, value: number): void {
    this.metrics.set(`${region}|${metricName}|${dimensionValue}`, value);
  }

  /** An RDS client for one region, answering from this model. */
  rdsClient(region: string): RDSClient {
    const client = new RDSClient({ region });
    const rds = mockClient(client);
    rds.on(DescribeDBInstancesCommand).callsFake((input: { DBInstanceIdentifier: string }) => ({
      DBInstances: [this.instanceShape(this.instance(region, input.DBInstanceIdentifier))],
    }));
    rds.on(DescribeDBClustersCommand).callsFake((input: { DBClusterIdentifier: string }) => ({
      DBClusters: [this.clusterShape(this.cluster(region, input.DBClusterIdentifier))],
    }));
    rds.on(DescribeGlobalClustersCommand).callsFake((input: { GlobalClusterIdentifier: string }) => ({
      GlobalClusters: [this.globalShape(this.global(input.GlobalClusterIdentifier))],
    }));
    rds
      .on(PromoteReadReplicaCommand)
      .callsFake((input: { DBInstanceIdentifier: string }) => this.promote(region, input.DBInstanceIdentifier));
    rds
      .on(StopDBInstanceCommand)
      .callsFake((input: { DBInstanceIdentifier: string }) => this.stop(region, input.DBInstanceIdentifier));
    rds
      .on(ModifyDBInstanceCommand)
      .callsFake((input: { DBInstanceIdentifier: string; VpcSecurityGroupIds?: string[] }) =>
        this.modifySecurityGroups(region, input.DBInstanceIdentifier, input.VpcSecurityGroupIds ?? []),
      );
    rds
      .on(FailoverDBClusterCommand)
      .callsFake((input: { DBClusterIdentifier: string; TargetDBInstanceIdentifier: string }) =>
        this.failoverCluster(region, input.DBClusterIdentifier, input.TargetDBInstanceIdentifier),
      );
    rds
      .on(FailoverGlobalClusterCommand)
      .callsFake((input: { GlobalClusterIdentifier: string; TargetDbClusterIdentifier: string }) =>
        this.failoverGlobal(input.GlobalClusterIdentifier, input.TargetDbClusterIdentifier),
      );
    return client;
  }

  /** A CloudWatch client for one region: GetMetricData answers the latest datapoint it holds, or none. */
  cloudWatchClient(region: string): CloudWatchClient {
    const client = new CloudWatchClient({ region });
    mockClient(client)
      .on(GetMetricDataCommand)
      .callsFake((input: GetMetricDataCommandInput) => ({
        MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
          const metric = q.MetricStat?.Metric;
          const value = this.metrics.get(`${region}|${metric?.MetricName}|${metric?.Dimensions?.[0]?.Value}`);
          return {
            Id: q.Id,
            StatusCode: 'Complete',
            Timestamps: value === undefined ? [] : [new Date(this.nowMs - 60_000)],
            Values: value === undefined ? [] : [value],
          };
        }),
      }));
    return client;
  }

  private instance(region: string, identifier: string): Instance {
    const found = this.instances.get(instanceKey(region, identifier));
    if (!found)
      throw new DBInstanceNotFoundFault({ message: `DBInstance ${identifier} not found.`, $metadata: NOT_FOUND });
    return found;
  }

  private cluster(region: string, identifier: string): Cluster {
    const found = this.clusters.get(instanceKey(region, identifier));
    if (!found)
      throw new DBClusterNotFoundFault({ message: `DBCluster ${identifier} not found.`, $metadata: NOT_FOUND });
    return found;
  }

  private global(identifier: string): Global {
    const found = this.globals.get(identifier);
    if (!found)
      throw new GlobalClusterNotFoundFault({
        message: `Global cluster ${identifier} not found.`,
        $metadata: NOT_FOUND,
      });
    return found;
  }

  private promote(region: string, identifier: string) {
    const replica = this.instance(region, identifier);
    if (replica.source === undefined || replica.status !== 'available')
      throw new InvalidDBInstanceStateFault({
        message: replica.source === undefined ? 'DB Instance is not a read replica.' : 'Instance is not available.',
        $metadata: REFUSED,
      });
    replica.status = 'modifying';
    const rebootAt = this.nowMs + TIMINGS.promotionModifyingMs;
    replica.pending.push(
      { atMs: rebootAt, apply: () => (replica.status = 'rebooting') },
      {
        atMs: rebootAt + TIMINGS.promotionRebootingMs,
        apply: () => {
          replica.status = 'available';
          delete replica.source;
        },
      },
    );
    return { DBInstance: this.instanceShape(replica) };
  }

  private stop(region: string, identifier: string) {
    const instance = this.instance(region, identifier);
    if (instance.status !== 'available')
      throw new InvalidDBInstanceStateFault({
        message: `Instance ${identifier} is not in available state.`,
        $metadata: REFUSED,
      });
    instance.status = 'stopping';
    instance.pending.push({ atMs: this.nowMs + TIMINGS.stopMs, apply: () => (instance.status = 'stopped') });
    return { DBInstance: this.instanceShape(instance) };
  }

  private modifySecurityGroups(region: string, identifier: string, groupIds: readonly string[]) {
    const instance = this.instance(region, identifier);
    const kept = instance.securityGroups.filter((g) => groupIds.includes(g.id));
    const removed = instance.securityGroups.filter((g) => !groupIds.includes(g.id));
    const added = groupIds.filter((id) => !kept.some((g) => g.id === id));
    instance.securityGroups = [
      ...kept,
      ...removed.map((g) => ({ id: g.id, status: 'removing' })),
      ...added.map((id) => ({ id, status: 'adding' })),
    ];
    instance.pending.push({
      atMs: this.nowMs + TIMINGS.securityGroupsMs,
      apply: () => {
        instance.securityGroups = groupIds.map((id) => ({ id, status: 'active' }));
      },
    });
    return { DBInstance: this.instanceShape(instance) };
  }

  private failoverCluster(region: string, identifier: string, target: string) {
    const cluster = this.cluster(region, identifier);
    if (!cluster.members.some((m) => m.instance === target))
      throw rdsFault('InvalidParameterValue', `Cannot find target instance: ${target}`);
    cluster.status = 'failing-over';
    cluster.pending.push({
      atMs: this.nowMs + TIMINGS.clusterFailoverMs,
      apply: () => {
        for (const m of cluster.members) m.writer = m.instance === target;
        cluster.status = 'available';
      },
    });
    return { DBCluster: this.clusterShape(cluster) };
  }

  private failoverGlobal(identifier: string, targetArn: string) {
    const global = this.global(identifier);
    if (!global.members.some((m) => m.arn === targetArn))
      throw rdsFault('InvalidParameterValue', `The cluster ${targetArn} is not a member of ${identifier}.`);
    global.failoverState = 'pending';
    const failingOverAt = this.nowMs + TIMINGS.globalPendingMs;
    global.pending.push(
      { atMs: failingOverAt, apply: () => (global.failoverState = 'failing-over') },
      {
        atMs: failingOverAt + TIMINGS.globalFailoverMs,
        apply: () => {
          for (const m of global.members) m.writer = m.arn === targetArn;
          delete global.failoverState;
        },
      },
    );
    return { GlobalCluster: this.globalShape(global) };
  }

  private instanceShape(i: Instance): DBInstance {
    const k = instanceKey(i.region, i.identifier);
    const replicas = [...this.instances.values()].filter(
      (r) => r.source !== undefined && instanceKey(r.region, r.source) === k,
    );
    return {
      DBInstanceIdentifier: i.identifier,
      DBInstanceArn: `arn:aws:rds:${i.region}:${ACCOUNT}:db:${i.identifier}`,
      DBInstanceStatus: i.status,
      Engine: 'postgres',
      Endpoint: { Address: `${i.identifier}.abcdefghijkl.${i.region}.rds.amazonaws.com`, Port: 5432 },
      ReadReplicaDBInstanceIdentifiers: replicas.map((r) => r.identifier),
      ...(i.source !== undefined
        ? {
            ReadReplicaSourceDBInstanceIdentifier: i.source,
            StatusInfos: [{ StatusType: 'read replication', Normal: true, Status: 'replicating' }],
          }
        : {}),
      VpcSecurityGroups: i.securityGroups.map((g) => ({ VpcSecurityGroupId: g.id, Status: g.status })),
    };
  }

  private clusterShape(c: Cluster): DBCluster {
    return {
      DBClusterIdentifier: c.identifier,
      DBClusterArn: clusterArn(c.region, c.identifier),
      Status: c.status,
      Engine: 'aurora-postgresql',
      Endpoint: `${c.identifier}.cluster-abcdefghijkl.${c.region}.rds.amazonaws.com`,
      DBClusterMembers: c.members.map((m) => ({
        DBInstanceIdentifier: m.instance,
        IsClusterWriter: m.writer,
        PromotionTier: 1,
      })),
    };
  }

  private globalShape(g: Global): GlobalCluster {
    return {
      GlobalClusterIdentifier: g.identifier,
      GlobalClusterArn: `arn:aws:rds::${ACCOUNT}:global-cluster:${g.identifier}`,
      Status: 'available',
      Engine: 'aurora-postgresql',
      GlobalClusterMembers: g.members.map((m) => ({ DBClusterArn: m.arn, IsWriter: m.writer, Readers: [] })),
      ...(g.failoverState !== undefined ? { FailoverState: { Status: g.failoverState } } : {}),
    };
  }
}
