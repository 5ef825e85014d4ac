// DatabasePort over RDS (instances, Aurora clusters, global clusters) and CloudWatch (replica lag).
// Every call goes to the region the resource lives in, through a client per region.
import { type CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  type DBCluster,
  DBClusterNotFoundFault,
  type DBInstance,
  DBInstanceNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  FailoverDBClusterCommand,
  FailoverGlobalClusterCommand,
  type GlobalCluster,
  GlobalClusterNotFoundFault,
  ModifyDBInstanceCommand,
  PromoteReadReplicaCommand,
  type RDSClient,
  StopDBInstanceCommand,
} from '@aws-sdk/client-rds';
import type {
  DatabasePort,
  DbClusterState,
  DbInstanceState,
  GlobalClusterState,
  LagEngine,
} from '../../ports/database.port';
import { callAws } from './cloud-errors';
import type { RegionalClients } from './regional-clients';

/** Where each engine's replica lag is published, and in which unit. */
export const LAG_METRICS: Readonly<Record<LagEngine, { metricName: string; dimension: string; unitSeconds: number }>> =
  {
    'rds-instance': { metricName: 'ReplicaLag', dimension: 'DBInstanceIdentifier', unitSeconds: 1 },
    'aurora-cluster': { metricName: 'AuroraReplicaLag', dimension: 'DBInstanceIdentifier', unitSeconds: 0.001 },
    'aurora-global': {
      metricName: 'AuroraGlobalDBReplicationLag',
      dimension: 'DBClusterIdentifier',
      unitSeconds: 0.001,
    },
  };

/** How far back to look for the latest lag datapoint. */
const LAG_WINDOW_MS = 5 * 60_000;
const LAG_PERIOD_SECONDS = 60;

export interface RdsDatabaseAdapterOptions {
  readonly rds: RegionalClients<RDSClient>;
  readonly cloudWatch: RegionalClients<CloudWatchClient>;
  /** @default - the system clock */
  readonly now?: () => Date;
}

export class RdsDatabaseAdapter implements DatabasePort {
  private readonly now: () => Date;

  constructor(private readonly options: RdsDatabaseAdapterOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async describeInstance(region: string, identifier: string): Promise<DbInstanceState | undefined> {
    const instance = await this.describe(
      'DescribeDBInstances',
      identifier,
      DBInstanceNotFoundFault,
      async () =>
        (await this.rds(region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier })))
          .DBInstances?.[0],
    );
    return instance && instanceState(region, instance);
  }

  async describeCluster(region: string, identifier: string): Promise<DbClusterState | undefined> {
    const cluster = await this.describe(
      'DescribeDBClusters',
      identifier,
      DBClusterNotFoundFault,
      async () =>
        (await this.rds(region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier })))
          .DBClusters?.[0],
    );
    return cluster && clusterState(region, cluster);
  }

  async describeGlobalCluster(region: string, identifier: string): Promise<GlobalClusterState | undefined> {
    const global = await this.describe(
      'DescribeGlobalClusters',
      identifier,
      GlobalClusterNotFoundFault,
      async () =>
        (await this.rds(region).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: identifier })))
          .GlobalClusters?.[0],
    );
    return global && globalClusterState(global);
  }

  async replicaLagSeconds(region: string, identifier: string, engine: LagEngine): Promise<number | undefined> {
    const metric = LAG_METRICS[engine];
    const end = this.now();
    const result = await callAws('CloudWatch', 'GetMetricData', `${metric.metricName}/${identifier}`, () =>
      this.options.cloudWatch.get(region).send(
        new GetMetricDataCommand({
          StartTime: new Date(end.getTime() - LAG_WINDOW_MS),
          EndTime: end,
          ScanBy: 'TimestampDescending',
          MetricDataQueries: [
            {
              Id: 'lag',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/RDS',
                  MetricName: metric.metricName,
                  Dimensions: [{ Name: metric.dimension, Value: identifier }],
                },
                Period: LAG_PERIOD_SECONDS,
                Stat: 'Maximum',
              },
              ReturnData: true,
            },
          ],
        }),
      ),
    );
    const latest = result.MetricDataResults?.[0]?.Values?.[0];
    // -1 means replication is not active or the lag is unknown.
    return latest === undefined || latest < 0 ? undefined : latest * metric.unitSeconds;
  }

  async promoteReadReplica(region: string, identifier: string): Promise<void> {
    await callAws('RDS', 'PromoteReadReplica', identifier, () =>
      this.rds(region).send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: identifier })),
    );
  }

  async failoverCluster(region: string, clusterIdentifier: string, targetInstanceIdentifier: string): Promise<void> {
    await callAws('RDS', 'FailoverDBCluster', clusterIdentifier, () =>
      this.rds(region).send(
        new FailoverDBClusterCommand({
          DBClusterIdentifier: clusterIdentifier,
          TargetDBInstanceIdentifier: targetInstanceIdentifier,
        }),
      ),
    );
  }

  /**
   * With allowDataLoss: a failover (AllowDataLoss), which works while the writer's region is down and may
   * lose unreplicated writes. Without: a switchover (Switchover), which loses nothing but needs the writer.
   */
  async failoverGlobalCluster(
    region: string,
    globalClusterIdentifier: string,
    targetClusterArn: string,
    allowDataLoss: boolean,
  ): Promise<void> {
    await callAws('RDS', 'FailoverGlobalCluster', globalClusterIdentifier, () =>
      this.rds(region).send(
        new FailoverGlobalClusterCommand({
          GlobalClusterIdentifier: globalClusterIdentifier,
          TargetDbClusterIdentifier: targetClusterArn,
          ...(allowDataLoss ? { AllowDataLoss: true } : { Switchover: true }),
        }),
      ),
    );
  }

  async stopInstance(region: string, identifier: string): Promise<void> {
    await callAws('RDS', 'StopDBInstance', identifier, () =>
      this.rds(region).send(new StopDBInstanceCommand({ DBInstanceIdentifier: identifier })),
    );
  }

  async isolateInstance(region: string, identifier: string, securityGroupIds: readonly string[]): Promise<void> {
    await callAws('RDS', 'ModifyDBInstance', identifier, () =>
      this.rds(region).send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: identifier,
          VpcSecurityGroupIds: [...securityGroupIds],
          ApplyImmediately: true,
        }),
      ),
    );
  }

  private rds(region: string): RDSClient {
    return this.options.rds.get(region);
  }

  /** A describe call whose "not found" fault means the resource does not exist. */
  private async describe<T>(
    operation: string,
    identifier: string,
    notFound: abstract new (...args: never[]) => Error,
    call: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    try {
      return await callAws('RDS', operation, identifier, call);
    } catch (error) {
      if (error instanceof Error && error.cause instanceof notFound) return undefined;
      throw error;
    }
  }
}

function instanceState(region: string, i: DBInstance): DbInstanceState {
  const replication = i.StatusInfos?.find((s) => s.StatusType === 'read replication')?.Status;
  return {
    identifier: i.DBInstanceIdentifier ?? '',
    region,
    status: i.DBInstanceStatus ?? 'unknown',
    replicaIdentifiers: i.ReadReplicaDBInstanceIdentifiers ?? [],
    ...(i.ReadReplicaSourceDBInstanceIdentifier
      ? { replicaSourceIdentifier: i.ReadReplicaSourceDBInstanceIdentifier }
      : {}),
    ...(i.Endpoint?.Address ? { endpoint: { host: i.Endpoint.Address, port: i.Endpoint.Port ?? 0 } } : {}),
    ...(replication !== undefined ? { replicationStatus: replication } : {}),
    ...(i.VpcSecurityGroups
      ? {
          securityGroups: i.VpcSecurityGroups.map((g) => ({
            id: g.VpcSecurityGroupId ?? '',
            status: g.Status ?? 'unknown',
          })),
        }
      : {}),
  };
}

function clusterState(region: string, c: DBCluster): DbClusterState {
  return {
    identifier: c.DBClusterIdentifier ?? '',
    region,
    arn: c.DBClusterArn ?? '',
    status: c.Status ?? 'unknown',
    members: (c.DBClusterMembers ?? []).map((m) => ({
      instanceIdentifier: m.DBInstanceIdentifier ?? '',
      isWriter: m.IsClusterWriter ?? false,
      ...(m.PromotionTier !== undefined ? { promotionTier: m.PromotionTier } : {}),
    })),
    ...(c.Endpoint ? { endpoint: c.Endpoint } : {}),
  };
}

function globalClusterState(g: GlobalCluster): GlobalClusterState {
  return {
    identifier: g.GlobalClusterIdentifier ?? '',
    status: g.Status ?? 'unknown',
    members: (g.GlobalClusterMembers ?? []).map((m) => ({
      clusterArn: m.DBClusterArn ?? '',
      isWriter: m.IsWriter ?? false,
    })),
    ...(g.FailoverState?.Status ? { failoverStatus: g.FailoverState.Status } : {}),
  };
}
