// The AWS inventory adapter over a mocked two-region account: every page of every list API read with
// the exact inputs AWS expects, an AccessDenied on one service reported while the rest is drafted,
// throttling retried by the SDK and a clear error when it gives up, and the draft validating.
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { RDSClient } from '@aws-sdk/client-rds';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsInventoryAdapter } from '../../../lambdas/adapters/aws/aws-inventory.adapter';
import { sdkRegionCatalog } from '../../../lambdas/adapters/aws/region-catalog';
import { RegionalClients } from '../../../lambdas/adapters/aws/regional-clients';
import { parseTopologyText } from '../../../lambdas/domain/config/load';
import { discover } from '../../../lambdas/engine/discover/discover';
import { AccessDeniedError, CloudCallError } from '../../../lambdas/ports/errors';
import { scriptedClient } from './scripted-route53';
import {
  ALB_DUB,
  ALB_FRA,
  mockTwoRegionAccount,
  NLB_DUB,
  TG_API_DUB,
  TG_WEB_DUB,
  TG_WEB_FRA,
} from './two-region-account.fixture';

const adapter = (route53 = new Route53Client({ region: 'us-east-1' })) =>
  new AwsInventoryAdapter({
    route53,
    elb: new RegionalClients((region) => new ElasticLoadBalancingV2Client({ region })),
    ec2: new RegionalClients((region) => new EC2Client({ region })),
    rds: new RegionalClients((region) => new RDSClient({ region })),
  });

const regions = ['eu-west-1', 'eu-central-1'];
const LIVE = { Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }] };

/** Every call the two-region read makes, in order, with its exact input. */
function expectedCalls(frankfurtRds: 'read' | 'denied') {
  const regional = (
    region: string,
    lbs: readonly string[],
    groups: readonly string[],
    listenerPages: Record<string, number>,
  ) => [
    [region, 'DescribeLoadBalancersCommand', { PageSize: 400 }],
    [region, 'DescribeLoadBalancersCommand', { PageSize: 400, Marker: 'lb2' }],
    [region, 'DescribeTargetGroupsCommand', { PageSize: 400 }],
    [region, 'DescribeTargetGroupsCommand', { PageSize: 400, Marker: 'tg2' }],
    ...groups.map((arn) => [region, 'DescribeTargetHealthCommand', { TargetGroupArn: arn }]),
    ...lbs.flatMap((arn) => [
      [region, 'DescribeListenersCommand', { LoadBalancerArn: arn, PageSize: 400 }],
      ...(listenerPages[arn] === 2
        ? [[region, 'DescribeListenersCommand', { LoadBalancerArn: arn, PageSize: 400, Marker: 'li2' }]]
        : []),
    ]),
    [region, 'DescribeInstancesCommand', { ...LIVE, MaxResults: 1000 }],
    [region, 'DescribeInstancesCommand', { ...LIVE, MaxResults: 1000, NextToken: 'ec2-2' }],
  ];
  return [
    ['us-east-1', 'ListHostedZonesCommand', { MaxItems: 100 }],
    ['us-east-1', 'ListHostedZonesCommand', { MaxItems: 100, Marker: 'Z2LEGACY' }],
    ['us-east-1', 'ListResourceRecordSetsCommand', { HostedZoneId: 'Z1SHOP', MaxItems: 300 }],
    [
      'us-east-1',
      'ListResourceRecordSetsCommand',
      {
        HostedZoneId: 'Z1SHOP',
        MaxItems: 300,
        StartRecordName: 'www.shop.example.com.',
        StartRecordType: 'A',
        StartRecordIdentifier: 'fra',
      },
    ],
    [
      'us-east-1',
      'ListResourceRecordSetsCommand',
      { HostedZoneId: 'Z1SHOP', MaxItems: 300, StartRecordName: 'db.shop.example.com.', StartRecordType: 'CNAME' },
    ],
    ['us-east-1', 'ListResourceRecordSetsCommand', { HostedZoneId: 'Z2LEGACY', MaxItems: 300 }],
    ...regional('eu-west-1', [ALB_DUB, NLB_DUB], [TG_WEB_DUB, TG_API_DUB], { [ALB_DUB]: 2 }),
    ['eu-west-1', 'DescribeDBInstancesCommand', { MaxRecords: 100 }],
    ['eu-west-1', 'DescribeDBInstancesCommand', { MaxRecords: 100, Marker: 'db2' }],
    ['eu-west-1', 'DescribeDBClustersCommand', { MaxRecords: 100 }],
    ['eu-west-1', 'DescribeDBClustersCommand', { MaxRecords: 100, Marker: 'cl2' }],
    ...regional('eu-central-1', [ALB_FRA], [TG_WEB_FRA], { [ALB_FRA]: 2 }),
    ['eu-central-1', 'DescribeDBInstancesCommand', { MaxRecords: 100 }],
    ...(frankfurtRds === 'read'
      ? [
          ['eu-central-1', 'DescribeDBInstancesCommand', { MaxRecords: 100, Marker: 'db2' }],
          ['eu-central-1', 'DescribeDBClustersCommand', { MaxRecords: 100 }],
        ]
      : []),
    ['eu-west-1', 'DescribeGlobalClustersCommand', { MaxRecords: 100 }],
    ['eu-west-1', 'DescribeGlobalClustersCommand', { MaxRecords: 100, Marker: 'gc2' }],
  ];
}

let account: ReturnType<typeof mockTwoRegionAccount> | undefined;
afterEach(() => {
  account?.restore();
  account = undefined;
});

describe('discover over a mocked two-region account', () => {
  it('reads every page of every list API with exact inputs, and drafts a topology that validates', async () => {
    account = mockTwoRegionAccount();
    const result = await discover(adapter(), { regions, zones: [], names: [] });

    expect(account.log.map((c) => [c.region, c.command, c.input])).toEqual(expectedCalls('read'));
    const draft = parseTopologyText(JSON.stringify(result.topology), 'draft', sdkRegionCatalog);
    expect(draft.regions).toEqual([
      { name: 'eu-west-1', role: 'primary' },
      { name: 'eu-central-1', role: 'standby' },
    ]);
    expect(draft.servers.find((s) => s.id === 'web-dub-1')).toMatchObject({
      region: 'eu-west-1',
      ip: '10.1.0.11',
      probe: { type: 'http', url: 'http://10.1.0.11:8080/healthz', expectedStatus: [200] },
    });
    // The record names the instance by its public address: the server is probed there.
    expect(draft.servers.find((s) => s.id === 'web-dub-2')?.ip).toBe('54.0.0.12');
    expect(draft.loadBalancers.find((l) => l.id === 'api-dub')).toMatchObject({
      arn: NLB_DUB,
      targetGroups: [TG_API_DUB],
      ips: ['203.0.113.10'],
      probe: { type: 'tcp', host: '203.0.113.10', port: 443 },
    });
    expect(draft.dns.find((d) => d.name === 'www.shop.example.com')).toMatchObject({
      routing: 'weighted',
      regionMode: 'active-passive',
      targets: [
        { endpoint: 'web-dub', setIdentifier: 'dub', weight: 100 },
        { endpoint: 'web-fra', setIdentifier: 'fra', weight: 0 },
      ],
    });
    expect(draft.databases).toMatchObject([
      {
        id: 'orders',
        engine: 'rds-instance',
        primary: { region: 'eu-west-1', identifier: 'orders' },
        replicas: [
          { region: 'eu-west-1', identifier: 'orders-replica-1' },
          { region: 'eu-central-1', identifier: 'orders-fra' },
        ],
        writerDns: { hostedZoneId: 'Z1SHOP', name: 'db.shop.example.com', ttl: 30 },
      },
    ]);
    expect(result.unread).toEqual([]);
    expect(result.report).toContain('A api.shop.example.com: 203.0.113.99 is no load balancer');
    expect(result.report).toContain('eu-west-1 is the primary region: the writer of orders lives there');
  });

  it('reports an AccessDenied on RDS in one region and still drafts the rest', async () => {
    account = mockTwoRegionAccount({ rdsDeniedInFrankfurt: true });
    const result = await discover(adapter(), { regions, zones: [], names: [] });

    expect(account.log.map((c) => [c.region, c.command, c.input])).toEqual(expectedCalls('denied'));
    expect(result.unread).toEqual([
      {
        service: 'RDS',
        region: 'eu-central-1',
        reason: expect.stringMatching(
          /^RDS DescribeDBInstances on eu-central-1 failed: AccessDenied: User: .* is not authorized/,
        ),
      },
    ]);
    expect(result.report).toMatch(
      /RDS in eu-central-1 could not be read: RDS DescribeDBInstances on eu-central-1 failed: AccessDenied/,
    );
    const draft = parseTopologyText(JSON.stringify(result.topology), 'draft', sdkRegionCatalog);
    expect(draft.databases[0]?.replicas.map((r) => r.identifier)).toEqual(['orders-replica-1']);
    expect(draft.loadBalancers.map((l) => l.id).sort()).toEqual(['api-dub', 'web-dub', 'web-fra']);
  });
});

describe('the adapter on its own', () => {
  it('raises AccessDeniedError for a refused call, naming the service, call and region', async () => {
    account = mockTwoRegionAccount({ rdsDeniedInFrankfurt: true });
    await expect(adapter().listDbClusters('eu-central-1')).rejects.toSatisfy(
      (e) => e instanceof AccessDeniedError && !e.retryable && e.service === 'RDS' && e.resource === 'eu-central-1',
    );
  });

  it('fails a listing whose next page starts where the last did, instead of looping', async () => {
    const route53 = mockClient(Route53Client);
    route53
      .on(ListHostedZonesCommand)
      .resolves({ HostedZones: [], IsTruncated: true, NextMarker: 'Z1', MaxItems: 100 });
    try {
      await expect(adapter().listHostedZones()).rejects.toSatisfy(
        (e) => e instanceof CloudCallError && /did not advance/.test(e.message),
      );
      expect(route53.commandCalls(ListHostedZonesCommand).map((c) => c.args[0].input)).toEqual([
        { MaxItems: 100 },
        { MaxItems: 100, Marker: 'Z1' },
      ]);
    } finally {
      route53.restore();
    }
  });
});

const THROTTLED = `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
const ZONES = `<?xml version="1.0"?><ListHostedZonesResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZones><HostedZone><Id>/hostedzone/Z1SHOP</Id><Name>shop.example.com.</Name><CallerReference>a</CallerReference><Config><PrivateZone>false</PrivateZone></Config></HostedZone></HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesResponse>`;

describe('throttling', () => {
  it('is retried by the SDK: a throttled listing succeeds when the rate allows', async () => {
    const { client, calls } = scriptedClient(3, [
      { status: 400, body: THROTTLED },
      { status: 200, body: ZONES },
    ]);
    expect(await adapter(client).listHostedZones()).toEqual([
      { id: 'Z1SHOP', name: 'shop.example.com', privateZone: false },
    ]);
    expect(calls()).toBe(2);
  });

  it('ends in a retryable CloudCallError naming the call once the SDK gives up', async () => {
    const { client, calls } = scriptedClient(2, [{ status: 400, body: THROTTLED }]);
    await expect(adapter(client).listHostedZones()).rejects.toSatisfy(
      (e) =>
        e instanceof CloudCallError &&
        e.retryable &&
        /^Route 53 ListHostedZones on the account failed: Throttling: Rate exceeded/.test(e.message),
    );
    expect(calls()).toBe(2);
  });
});
