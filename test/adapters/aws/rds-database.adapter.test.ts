import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  FailoverDBClusterCommand,
  FailoverGlobalClusterCommand,
  GlobalClusterNotFoundFault,
  InvalidDBInstanceStateFault,
  ModifyDBInstanceCommand,
  PromoteReadReplicaCommand,
  RDSClient,
  StopDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { RdsDatabaseAdapter } from '../../../lambdas/adapters/aws/rds-database.adapter';
import { RegionalClients } from '../../../lambdas/adapters/aws/regional-clients';
import { CloudCallError } from '../../../lambdas/ports/errors';

const rds = mockClient(RDSClient);
const cw = mockClient(CloudWatchClient);
const NOW = new Date('2025-01-01T12:00:00Z');
const FIVE_MINUTES_AGO = new Date('2025-01-01T11:55:00Z');

function setup() {
  const regions: string[] = [];
  const adapter = new RdsDatabaseAdapter({
    rds: new RegionalClients((region) => {
      regions.push(region);
      return new RDSClient({ region });
    }),
    cloudWatch: new RegionalClients((region) => new CloudWatchClient({ region })),
    now: () => NOW,
  });
  return { adapter, regions };
}

afterEach(() => {
  rds.reset();
  cw.reset();
});

describe('RdsDatabaseAdapter', () => {
  it('describes an instance: status, replication source, replicas, endpoint and read replication status', async () => {
    // Prepare
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: 'orders-replica-fra',
          DBInstanceStatus: 'available',
          ReadReplicaSourceDBInstanceIdentifier: 'arn:aws:rds:eu-west-1:123456789012:db:orders-primary',
          ReadReplicaDBInstanceIdentifiers: [],
          Endpoint: { Address: 'orders-replica-fra.x.eu-central-1.rds.amazonaws.com', Port: 5432 },
          StatusInfos: [{ StatusType: 'read replication', Status: 'replicating', Normal: true }],
        },
      ],
    });
    // Act
    const state = await setup().adapter.describeInstance('eu-central-1', 'orders-replica-fra');
    // Assess
    expect(state).toEqual({
      identifier: 'orders-replica-fra',
      region: 'eu-central-1',
      status: 'available',
      replicaSourceIdentifier: 'arn:aws:rds:eu-west-1:123456789012:db:orders-primary',
      replicaIdentifiers: [],
      endpoint: { host: 'orders-replica-fra.x.eu-central-1.rds.amazonaws.com', port: 5432 },
      replicationStatus: 'replicating',
    });
    expect(rds).toHaveReceivedCommandExactlyOnceWith(DescribeDBInstancesCommand, {
      DBInstanceIdentifier: 'orders-replica-fra',
    });
  });

  it('returns undefined for an instance, cluster or global cluster that does not exist', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .rejects(new DBInstanceNotFoundFault({ message: 'DBInstance gone not found.', $metadata: {} }));
    rds
      .on(DescribeDBClustersCommand)
      .rejects(new DBClusterNotFoundFault({ message: 'DBCluster gone not found.', $metadata: {} }));
    rds.on(DescribeGlobalClustersCommand).rejects(new GlobalClusterNotFoundFault({ message: 'gone', $metadata: {} }));
    const { adapter } = setup();
    expect(await adapter.describeInstance('eu-west-1', 'gone')).toBeUndefined();
    expect(await adapter.describeCluster('eu-west-1', 'gone')).toBeUndefined();
    expect(await adapter.describeGlobalCluster('eu-west-1', 'gone')).toBeUndefined();
  });

  it('creates one client per region, on first use, and reuses it', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    const { adapter, regions } = setup();
    await adapter.describeInstance('eu-west-1', 'a');
    await adapter.describeInstance('eu-central-1', 'b');
    await adapter.describeInstance('eu-west-1', 'c');
    expect(regions).toEqual(['eu-west-1', 'eu-central-1']);
  });

  it('describes a cluster with its writer and promotion tiers, and a global cluster with its failover state', async () => {
    rds.on(DescribeDBClustersCommand).resolves({
      DBClusters: [
        {
          DBClusterIdentifier: 'orders',
          DBClusterArn: 'arn:aws:rds:eu-west-1:123456789012:cluster:orders',
          Status: 'available',
          Endpoint: 'orders.cluster-x.eu-west-1.rds.amazonaws.com',
          DBClusterMembers: [
            { DBInstanceIdentifier: 'o-1', IsClusterWriter: true, PromotionTier: 1 },
            { DBInstanceIdentifier: 'o-2', IsClusterWriter: false, PromotionTier: 0 },
          ],
        },
      ],
    });
    rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [
        {
          GlobalClusterIdentifier: 'g',
          Status: 'available',
          FailoverState: { Status: 'failing-over' },
          GlobalClusterMembers: [
            { DBClusterArn: 'arn:a', IsWriter: true },
            { DBClusterArn: 'arn:b', IsWriter: false },
          ],
        },
      ],
    });
    const { adapter } = setup();
    expect(await adapter.describeCluster('eu-west-1', 'orders')).toEqual({
      identifier: 'orders',
      region: 'eu-west-1',
      arn: 'arn:aws:rds:eu-west-1:123456789012:cluster:orders',
      status: 'available',
      endpoint: 'orders.cluster-x.eu-west-1.rds.amazonaws.com',
      members: [
        { instanceIdentifier: 'o-1', isWriter: true, promotionTier: 1 },
        { instanceIdentifier: 'o-2', isWriter: false, promotionTier: 0 },
      ],
    });
    expect(await adapter.describeGlobalCluster('eu-west-1', 'g')).toEqual({
      identifier: 'g',
      status: 'available',
      failoverStatus: 'failing-over',
      members: [
        { clusterArn: 'arn:a', isWriter: true },
        { clusterArn: 'arn:b', isWriter: false },
      ],
    });
    expect(rds).toHaveReceivedCommandExactlyOnceWith(DescribeDBClustersCommand, { DBClusterIdentifier: 'orders' });
    expect(rds).toHaveReceivedCommandExactlyOnceWith(DescribeGlobalClustersCommand, { GlobalClusterIdentifier: 'g' });
  });

  it('promotes a read replica by its identifier alone', async () => {
    rds.on(PromoteReadReplicaCommand).resolves({});
    await setup().adapter.promoteReadReplica('eu-west-1', 'orders-replica-1');
    expect(rds.commandCalls(PromoteReadReplicaCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders-replica-1',
    });
  });

  it('reports a promotion refused for the instance state as retryable, naming the instance', async () => {
    rds.on(PromoteReadReplicaCommand).rejects(
      new InvalidDBInstanceStateFault({
        message: 'DB Instance is not in available state',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(setup().adapter.promoteReadReplica('eu-west-1', 'orders-replica-1')).rejects.toSatisfy(
      (e) =>
        e instanceof CloudCallError &&
        e.retryable &&
        e.operation === 'PromoteReadReplica' &&
        e.resource === 'orders-replica-1',
    );
  });

  it('fails an Aurora cluster over to the chosen instance', async () => {
    rds.on(FailoverDBClusterCommand).resolves({});
    await setup().adapter.failoverCluster('eu-west-1', 'orders', 'o-2');
    expect(rds.commandCalls(FailoverDBClusterCommand)[0]!.args[0].input).toEqual({
      DBClusterIdentifier: 'orders',
      TargetDBInstanceIdentifier: 'o-2',
    });
  });

  it('fails a global cluster over with AllowDataLoss only when allowed, and switches over otherwise', async () => {
    rds.on(FailoverGlobalClusterCommand).resolves({});
    const { adapter } = setup();
    const arn = 'arn:aws:rds:eu-central-1:123456789012:cluster:orders-fra';
    await adapter.failoverGlobalCluster('eu-central-1', 'orders-global', arn, true);
    await adapter.failoverGlobalCluster('eu-central-1', 'orders-global', arn, false);
    const inputs = rds.commandCalls(FailoverGlobalClusterCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { GlobalClusterIdentifier: 'orders-global', TargetDbClusterIdentifier: arn, AllowDataLoss: true },
      { GlobalClusterIdentifier: 'orders-global', TargetDbClusterIdentifier: arn, Switchover: true },
    ]);
  });

  it.each([
    ['rds-instance', 'ReplicaLag', 'DBInstanceIdentifier', 12, 12],
    ['aurora-cluster', 'AuroraReplicaLag', 'DBInstanceIdentifier', 1500, 1.5],
    ['aurora-global', 'AuroraGlobalDBReplicationLag', 'DBClusterIdentifier', 800, 0.8],
  ] as const)('reads %s lag from %s by %s, in seconds', async (engine, metricName, dimension, value, seconds) => {
    // Prepare
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'lag', Values: [value, 99_999], Timestamps: [NOW, FIVE_MINUTES_AGO] }],
    });
    // Act
    const lag = await setup().adapter.replicaLagSeconds('eu-west-1', 'orders-x', engine);
    // Assess
    expect(lag).toBe(seconds);
    expect(cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input).toEqual({
      StartTime: FIVE_MINUTES_AGO,
      EndTime: NOW,
      ScanBy: 'TimestampDescending',
      MetricDataQueries: [
        {
          Id: 'lag',
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/RDS',
              MetricName: metricName,
              Dimensions: [{ Name: dimension, Value: 'orders-x' }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
        },
      ],
    });
  });

  it.each([
    ['-1 (replication inactive)', [-1]],
    ['no datapoint', []],
  ])('reports lag as unknown for %s', async (_, values) => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'lag', Values: values, Timestamps: [] }] });
    expect(await setup().adapter.replicaLagSeconds('eu-west-1', 'orders-x', 'rds-instance')).toBeUndefined();
  });

  it('lists an instance’s VPC security groups with their membership status', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: 'orders-primary',
          DBInstanceStatus: 'modifying',
          VpcSecurityGroups: [
            { VpcSecurityGroupId: 'sg-0aaa1111bbbb2222c', Status: 'removing' },
            { VpcSecurityGroupId: 'sg-0123456789abcdef0', Status: 'adding' },
          ],
        },
      ],
    });
    expect((await setup().adapter.describeInstance('eu-west-1', 'orders-primary'))?.securityGroups).toEqual([
      { id: 'sg-0aaa1111bbbb2222c', status: 'removing' },
      { id: 'sg-0123456789abcdef0', status: 'adding' },
    ]);
  });

  it('fences by stopping: StopDBInstance with the identifier alone (no snapshot), in the instance’s region', async () => {
    rds.on(StopDBInstanceCommand).resolves({});
    const { adapter, regions } = setup();
    await adapter.stopInstance('eu-west-1', 'orders-primary');
    expect(rds.commandCalls(StopDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders-primary',
    });
    expect(regions).toEqual(['eu-west-1']);
  });

  it('fences by isolating: ModifyDBInstance replacing the VPC security groups, applied immediately', async () => {
    rds.on(ModifyDBInstanceCommand).resolves({});
    await setup().adapter.isolateInstance('eu-west-1', 'orders-primary', ['sg-0123456789abcdef0']);
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders-primary',
      VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      ApplyImmediately: true,
    });
  });

  it('reports a stop refused for the instance state as retryable, naming the call and the instance', async () => {
    rds.on(StopDBInstanceCommand).rejects(
      new InvalidDBInstanceStateFault({
        message: 'DB Instance is not in available state',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(setup().adapter.stopInstance('eu-west-1', 'orders-primary')).rejects.toSatisfy(
      (e) =>
        e instanceof CloudCallError &&
        e.retryable &&
        e.operation === 'StopDBInstance' &&
        e.resource === 'orders-primary',
    );
  });
});
