// The engine over the real AWS adapters with mocked SDK clients: the exact compare-and-swap change
// batch and the exact promotion call. State store and notifier are in memory (their DynamoDB and
// SNS adapters have their own tests).
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeDBInstancesCommand, PromoteReadReplicaCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsPorts } from '../../lambdas/adapters/aws';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { parseTopology } from '../../lambdas/domain/config/load';
import type { CheckerView, TargetHealth } from '../../lambdas/domain/health/types';
import { executePlan, planCycle, VIEW_NAMESPACE, type GuardContext } from '../../lambdas/engine';

const route53 = mockClient(Route53Client);
const rds = mockClient(RDSClient);
const cloudWatch = mockClient(CloudWatchClient);
const NOW = new Date('2025-03-01T12:00:00.000Z');
const ZONE = 'Z0123456789ABCDEFGHIJ';

const topology = parseTopology({
  name: 'shop',
  account: '123456789012',
  regions: [{ name: 'eu-west-1', role: 'primary' }],
  servers: ['1', '2', '3'].map((n) => ({
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
      targets: [{ endpoint: 'web-1' }, { endpoint: 'web-2' }, { endpoint: 'web-3' }],
    },
  ],
  databases: [
    {
      id: 'orders',
      engine: 'rds-instance',
      primary: {
        id: 'orders-primary',
        region: 'eu-west-1',
        identifier: 'orders-primary',
        endpoint: { host: 'orders-primary.abc.eu-west-1.rds.amazonaws.com', port: 5432 },
      },
      replicas: [
        {
          id: 'orders-r1',
          region: 'eu-west-1',
          identifier: 'orders-r1',
          endpoint: { host: 'orders-r1.abc.eu-west-1.rds.amazonaws.com', port: 5432 },
        },
      ],
      writerDns: { hostedZoneId: ZONE, name: 'db-writer.shop.example.com' },
    },
  ],
});

const health = (targetId: string, status: TargetHealth['status']): TargetHealth => ({
  targetId,
  status,
  consecutiveFailures: status === 'UNHEALTHY' ? 3 : 0,
  consecutiveSuccesses: status === 'HEALTHY' ? 5 : 0,
  since: NOW.toISOString(),
  recent: status === 'UNHEALTHY' ? [{ error: 'ETIMEDOUT', at: NOW.toISOString() }] : [],
});

async function contextWithView(unhealthy: readonly string[]): Promise<GuardContext> {
  const memory = new MemoryCloud({ now: () => NOW });
  const ids = ['web-1', 'web-2', 'web-3', 'orders-primary', 'orders-r1'];
  const view: CheckerView = {
    checker: 'eu-west-1',
    at: NOW.toISOString(),
    health: Object.fromEntries(ids.map((id) => [id, health(id, unhealthy.includes(id) ? 'UNHEALTHY' : 'HEALTHY')])),
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
    now: () => NOW,
    dryRun: false,
    probe: async () => [],
  };
}

const wwwSet = {
  Name: 'www.shop.example.com.',
  Type: 'A' as const,
  TTL: 60,
  ResourceRecords: [{ Value: '10.0.0.1' }, { Value: '10.0.0.2' }, { Value: '10.0.0.3' }],
};
const writerSet = {
  Name: 'db-writer.shop.example.com.',
  Type: 'CNAME' as const,
  TTL: 30,
  ResourceRecords: [{ Value: 'orders-primary.abc.eu-west-1.rds.amazonaws.com' }],
};

function mockRoute53() {
  route53
    .on(ListResourceRecordSetsCommand, { StartRecordName: 'www.shop.example.com' })
    .resolves({ ResourceRecordSets: [wwwSet], IsTruncated: false, MaxItems: 100 });
  route53
    .on(ListResourceRecordSetsCommand, { StartRecordName: 'db-writer.shop.example.com' })
    .resolves({ ResourceRecordSets: [writerSet], IsTruncated: false, MaxItems: 100 });
  route53
    .on(ChangeResourceRecordSetsCommand)
    .resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: NOW } });
}

function mockRds(primaryStatus: string) {
  rds
    .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders-primary' })
    .resolves({ DBInstances: [{ DBInstanceIdentifier: 'orders-primary', DBInstanceStatus: primaryStatus }] });
  rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders-r1' }).resolves({
    DBInstances: [
      {
        DBInstanceIdentifier: 'orders-r1',
        DBInstanceStatus: 'available',
        ReadReplicaSourceDBInstanceIdentifier: 'orders-primary',
      },
    ],
  });
  rds.on(PromoteReadReplicaCommand).resolves({});
  cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'lag', Values: [2] }] });
}

describe('engine over the AWS adapters', () => {
  afterEach(() => {
    route53.reset();
    rds.reset();
    cloudWatch.reset();
  });

  it('pulls an IP with one change batch that deletes the exact set read and creates the new one', async () => {
    // Prepare
    mockRoute53();
    mockRds('available');
    const ctx = await contextWithView(['web-2']);
    // Act
    const report = await executePlan(ctx, await planCycle(ctx));
    // Assess
    expect(report.results.map((r) => [r.action.kind, r.outcome])).toEqual([['dns.pull', 'applied']]);
    expect(route53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 1);
    expect(route53).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
      HostedZoneId: ZONE,
      ChangeBatch: {
        Comment: expect.stringContaining('dns.pull web-2'),
        Changes: [
          {
            Action: 'DELETE',
            ResourceRecordSet: {
              Name: 'www.shop.example.com',
              Type: 'A',
              TTL: 60,
              ResourceRecords: [{ Value: '10.0.0.1' }, { Value: '10.0.0.2' }, { Value: '10.0.0.3' }],
            },
          },
          {
            Action: 'CREATE',
            ResourceRecordSet: {
              Name: 'www.shop.example.com',
              Type: 'A',
              TTL: 60,
              ResourceRecords: [{ Value: '10.0.0.1' }, { Value: '10.0.0.3' }],
            },
          },
        ],
      },
    });
  });

  it('promotes the replica with PromoteReadReplica when the primary probe fails and RDS says failed', async () => {
    mockRoute53();
    mockRds('failed');
    const ctx = await contextWithView(['orders-primary']);
    const report = await executePlan(ctx, await planCycle(ctx));
    expect(report.results.map((r) => [r.action.kind, r.outcome])).toEqual([['database.promote', 'applied']]);
    expect(rds).toHaveReceivedCommandTimes(PromoteReadReplicaCommand, 1);
    expect(rds).toHaveReceivedCommandWith(PromoteReadReplicaCommand, { DBInstanceIdentifier: 'orders-r1' });
    expect(route53).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
  });

  it('does not promote when RDS reports the primary available', async () => {
    mockRoute53();
    mockRds('available');
    const ctx = await contextWithView(['orders-primary']);
    const plan = await planCycle(ctx);
    await executePlan(ctx, plan);
    expect(plan.alerts.map((a) => a.eventType)).toEqual(['database.probe-disagrees']);
    expect(rds).not.toHaveReceivedCommand(PromoteReadReplicaCommand);
  });
});
