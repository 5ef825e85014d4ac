// The cloud reads of one planning cycle over the real AWS adapters (mocked SDK clients): which
// ListResourceRecordSets and GetMetricData calls go out, exactly, when everything is healthy, at the
// drift read, and when a target or a database member is suspect. GetMetricData is billed per metric
// ($0.01 per 1,000, no free tier), so an idle cycle must send none.
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeDBInstancesCommand, PromoteReadReplicaCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListResourceRecordSetsCommand, Route53Client, type RRType } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsPorts } from '../../lambdas/adapters/aws';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { parseTopology } from '../../lambdas/domain/config/load';
import type { CheckerView, HealthStatus, TargetHealth } from '../../lambdas/domain/health/types';
import { executePlan, planCycle, VIEW_NAMESPACE, type GuardContext } from '../../lambdas/engine';

const route53 = mockClient(Route53Client);
const rds = mockClient(RDSClient);
const cloudWatch = mockClient(CloudWatchClient);
const ZONE = 'Z0123456789ABCDEFGHIJ';
// 12:00:00 starts a 300 s drift period (drift read due); 12:00:20 is the third cycle of that period.
const DRIFT_CYCLE = new Date('2025-03-01T12:00:00.000Z');
const IDLE_CYCLE = new Date('2025-03-01T12:00:20.000Z');

const rdsMember = (id: string) => ({
  id,
  region: 'eu-west-1',
  identifier: id,
  endpoint: { host: `${id}.abc.eu-west-1.rds.amazonaws.com`, port: 5432 },
});
const topology = parseTopology({
  name: 'shop',
  account: '123456789012',
  regions: [{ name: 'eu-west-1', role: 'primary' }],
  servers: ['1', '2'].map((n) => ({
    id: `web-${n}`,
    region: 'eu-west-1',
    ip: `10.0.0.${n}`,
    probe: { type: 'tcp', host: `10.0.0.${n}`, port: 80 },
  })),
  dns: [
    {
      id: 'www',
      hostedZoneId: ZONE,
      name: 'www.shop.example.com',
      type: 'A',
      ttl: 60,
      targets: [{ endpoint: 'web-1' }, { endpoint: 'web-2' }],
    },
  ],
  databases: [
    {
      id: 'orders',
      engine: 'rds-instance',
      primary: rdsMember('orders-primary'),
      replicas: [rdsMember('orders-r1'), rdsMember('orders-r2')],
      writerDns: { hostedZoneId: ZONE, name: 'db-writer.shop.example.com' },
    },
  ],
  guard: { driftCheckSeconds: 300 },
});
const ENDPOINTS = ['web-1', 'web-2', 'orders-primary', 'orders-r1', 'orders-r2'];

const health = (targetId: string, status: HealthStatus, at: Date): TargetHealth => ({
  targetId,
  status,
  consecutiveFailures: status === 'HEALTHY' ? 0 : 3,
  consecutiveSuccesses: status === 'HEALTHY' ? 5 : 0,
  since: at.toISOString(),
  recent: status === 'HEALTHY' ? [] : [{ error: 'ETIMEDOUT', at: at.toISOString() }],
});

/** A context over the AWS adapters whose only stored view has `statuses` (the rest HEALTHY). */
async function cycleAt(now: Date, statuses: Readonly<Record<string, HealthStatus>> = {}): Promise<GuardContext> {
  const memory = new MemoryCloud({ now: () => now });
  const view: CheckerView = {
    checker: 'eu-west-1',
    at: now.toISOString(),
    health: Object.fromEntries(ENDPOINTS.map((id) => [id, health(id, statuses[id] ?? 'HEALTHY', now)])),
  };
  await memory.store.put(VIEW_NAMESPACE, 'eu-west-1', view, 0);
  const aws = createAwsPorts({
    region: 'eu-west-1',
    tableName: 'guard-state',
    topicArn: 'arn:aws:sns:eu-west-1:123456789012:guard',
  });
  return {
    topology,
    checker: 'eu-west-1',
    ports: { ...aws, store: memory.store, notifier: memory.notifier },
    now: () => now,
    dryRun: false,
    probe: async () => [],
  };
}

const recordRead = (name: string, type: RRType) => ({
  HostedZoneId: ZONE,
  StartRecordName: name,
  StartRecordType: type,
  MaxItems: 100,
});
// Everything but the time window, which the adapter takes from the system clock (the matcher matches the fields given).
const lagRead = (identifier: string) => ({
  ScanBy: 'TimestampDescending' as const,
  MetricDataQueries: [
    {
      Id: 'lag',
      MetricStat: {
        Metric: {
          Namespace: 'AWS/RDS',
          MetricName: 'ReplicaLag',
          Dimensions: [{ Name: 'DBInstanceIdentifier', Value: identifier }],
        },
        Period: 60,
        Stat: 'Maximum',
      },
      ReturnData: true,
    },
  ],
});

function mockCloud(primaryStatus = 'available') {
  route53.on(ListResourceRecordSetsCommand, { StartRecordName: 'www.shop.example.com' }).resolves({
    ResourceRecordSets: [
      {
        Name: 'www.shop.example.com.',
        Type: 'A',
        TTL: 60,
        ResourceRecords: [{ Value: '10.0.0.1' }, { Value: '10.0.0.2' }],
      },
    ],
    IsTruncated: false,
  });
  route53.on(ListResourceRecordSetsCommand, { StartRecordName: 'db-writer.shop.example.com' }).resolves({
    ResourceRecordSets: [
      {
        Name: 'db-writer.shop.example.com.',
        Type: 'CNAME',
        TTL: 30,
        ResourceRecords: [{ Value: 'orders-primary.abc.eu-west-1.rds.amazonaws.com' }],
      },
    ],
    IsTruncated: false,
  });
  rds
    .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders-primary' })
    .resolves({ DBInstances: [{ DBInstanceIdentifier: 'orders-primary', DBInstanceStatus: primaryStatus }] });
  for (const replica of ['orders-r1', 'orders-r2']) {
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: replica }).resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: replica,
          DBInstanceStatus: 'available',
          ReadReplicaSourceDBInstanceIdentifier: 'orders-primary',
        },
      ],
    });
  }
  rds.on(PromoteReadReplicaCommand).resolves({});
  cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'lag', Values: [2] }] });
}

describe('cloud reads per planning cycle', () => {
  beforeEach(() => mockCloud());
  afterEach(() => {
    route53.reset();
    rds.reset();
    cloudWatch.reset();
  });

  it('reads no record set, no RDS state and no replica lag in an idle cycle between drift reads', async () => {
    // Act
    const plan = await planCycle(await cycleAt(IDLE_CYCLE));
    // Assess
    expect(plan.actions).toEqual([]);
    expect(route53).toHaveReceivedCommandTimes(ListResourceRecordSetsCommand, 0);
    expect(rds).toHaveReceivedCommandTimes(DescribeDBInstancesCommand, 0);
    expect(cloudWatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 0);
  });

  it('reads every record set, every member and the replicas’ lag (not the primary’s) once per drift period', async () => {
    // Act
    await planCycle(await cycleAt(DRIFT_CYCLE));
    // Assess: 2 records (www, the writer CNAME), 3 members, 2 lag metrics
    expect(route53).toHaveReceivedCommandTimes(ListResourceRecordSetsCommand, 2);
    expect(route53).toHaveReceivedCommandWith(ListResourceRecordSetsCommand, recordRead('www.shop.example.com', 'A'));
    expect(route53).toHaveReceivedCommandWith(
      ListResourceRecordSetsCommand,
      recordRead('db-writer.shop.example.com', 'CNAME'),
    );
    expect(rds).toHaveReceivedCommandTimes(DescribeDBInstancesCommand, 3);
    expect(cloudWatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 2);
    expect(cloudWatch).toHaveReceivedCommandWith(GetMetricDataCommand, lagRead('orders-r1'));
    expect(cloudWatch).toHaveReceivedCommandWith(GetMetricDataCommand, lagRead('orders-r2'));
  });

  it('reads the record of a suspect target, and no lag', async () => {
    // Act
    await planCycle(await cycleAt(IDLE_CYCLE, { 'web-2': 'SUSPECT' }));
    // Assess
    expect(route53).toHaveReceivedCommandTimes(ListResourceRecordSetsCommand, 1);
    expect(route53).toHaveReceivedCommandWith(ListResourceRecordSetsCommand, recordRead('www.shop.example.com', 'A'));
    expect(rds).toHaveReceivedCommandTimes(DescribeDBInstancesCommand, 0);
    expect(cloudWatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 0);
  });

  it('reads the database of a suspect replica but not its lag: no promotion can follow while the primary is healthy', async () => {
    // Act
    await planCycle(await cycleAt(IDLE_CYCLE, { 'orders-r1': 'SUSPECT' }));
    // Assess
    expect(route53).toHaveReceivedCommandTimes(ListResourceRecordSetsCommand, 1);
    expect(route53).toHaveReceivedCommandWith(
      ListResourceRecordSetsCommand,
      recordRead('db-writer.shop.example.com', 'CNAME'),
    );
    expect(rds).toHaveReceivedCommandTimes(DescribeDBInstancesCommand, 3);
    expect(cloudWatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 0);
  });

  it('reads the replicas’ lag in the cycle the primary is suspect, before any promotion', async () => {
    // Act
    await planCycle(await cycleAt(IDLE_CYCLE, { 'orders-primary': 'SUSPECT' }));
    // Assess
    expect(cloudWatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 2);
    expect(cloudWatch).toHaveReceivedCommandWith(GetMetricDataCommand, lagRead('orders-r1'));
    expect(cloudWatch).toHaveReceivedCommandWith(GetMetricDataCommand, lagRead('orders-r2'));
  });

  it('promotes between drift reads, on lag read in the same cycle and re-read right before the call', async () => {
    // Prepare
    rds
      .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders-primary' })
      .resolves({ DBInstances: [{ DBInstanceIdentifier: 'orders-primary', DBInstanceStatus: 'failed' }] });
    const ctx = await cycleAt(IDLE_CYCLE, { 'orders-primary': 'UNHEALTHY' });
    // Act
    const report = await executePlan(ctx, await planCycle(ctx));
    // Assess: the plan's two lag reads, then the candidate's again
    expect(report.results.map((r) => [r.action.kind, r.outcome])).toEqual([['database.promote', 'applied']]);
    expect(cloudWatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 3);
    expect(cloudWatch).toHaveReceivedNthCommandWith(GetMetricDataCommand, 3, lagRead('orders-r1'));
    expect(rds).toHaveReceivedCommandWith(PromoteReadReplicaCommand, { DBInstanceIdentifier: 'orders-r1' });
  });

  it('does not promote a candidate whose lag grew past maxLagSeconds between the plan and the call', async () => {
    // Prepare: both replicas lag 2 s when planned; orders-r1 lags 45 s when re-read
    rds
      .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders-primary' })
      .resolves({ DBInstances: [{ DBInstanceIdentifier: 'orders-primary', DBInstanceStatus: 'failed' }] });
    cloudWatch
      .on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 'lag', Values: [2] }] })
      .resolvesOnce({ MetricDataResults: [{ Id: 'lag', Values: [2] }] })
      .resolves({ MetricDataResults: [{ Id: 'lag', Values: [45] }] });
    const ctx = await cycleAt(IDLE_CYCLE, { 'orders-primary': 'UNHEALTHY' });
    // Act
    const report = await executePlan(ctx, await planCycle(ctx));
    // Assess
    expect(report.results.map((r) => [r.action.kind, r.outcome])).toEqual([['database.promote', 'skipped']]);
    expect(report.results[0]?.detail).toContain(
      'orders-r1 lags 45 s when re-read before promoting it, over maxLagSeconds 30 (allowDataLoss is off); not promoted',
    );
    expect(rds).not.toHaveReceivedCommand(PromoteReadReplicaCommand);
  });
});
