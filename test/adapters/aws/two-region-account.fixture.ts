// A mocked two-region account (eu-west-1, eu-central-1) answering every list API in more than one
// page: Route 53 zones and record sets, ELBv2, EC2 and RDS. Every call is logged with its region and
// exact input; RDS in eu-central-1 can be made to refuse (AccessDenied), as under a partial policy.
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  RDSClient,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import { ListHostedZonesCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';

const ACCOUNT = '123456789012';
const elbArn = (region: string, kind: string, name: string) =>
  `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:${kind}/${name}/0123456789abcdef`;
export const ALB_DUB = elbArn('eu-west-1', 'loadbalancer', 'app/web-dub');
export const NLB_DUB = elbArn('eu-west-1', 'loadbalancer', 'net/api-dub');
export const ALB_FRA = elbArn('eu-central-1', 'loadbalancer', 'app/web-fra');
export const TG_WEB_DUB = elbArn('eu-west-1', 'targetgroup', 'web-dub');
export const TG_API_DUB = elbArn('eu-west-1', 'targetgroup', 'api-dub');
export const TG_WEB_FRA = elbArn('eu-central-1', 'targetgroup', 'web-fra');
const ALB_DUB_DNS = 'web-dub-1234.eu-west-1.elb.amazonaws.com';
const ALB_FRA_DNS = 'web-fra-5678.eu-central-1.elb.amazonaws.com';
const ORDERS_HOST = 'orders.abc123.eu-west-1.rds.amazonaws.com';

interface LoggedCall {
  readonly region: string;
  readonly command: string;
  readonly input: unknown;
}

type Page = Record<string, unknown>;
/** Pages by region, command and the page token of the input ("" for the first page). */
type Script = Record<string, Record<string, Record<string, Page>>>;

const route53Pages: Record<string, Record<string, Page>> = {
  ListHostedZonesCommand: {
    '': {
      HostedZones: [{ Id: '/hostedzone/Z1SHOP', Name: 'shop.example.com.', CallerReference: 'a' }],
      IsTruncated: true,
      NextMarker: 'Z2LEGACY',
      MaxItems: 100,
    },
    Z2LEGACY: {
      HostedZones: [
        {
          Id: '/hostedzone/Z2LEGACY',
          Name: 'legacy.example.com.',
          CallerReference: 'b',
          Config: { PrivateZone: false },
        },
      ],
      IsTruncated: false,
      MaxItems: 100,
    },
  },
  ListResourceRecordSetsCommand: {
    'Z1SHOP/': {
      ResourceRecordSets: [
        { Name: 'shop.example.com.', Type: 'NS', TTL: 172800, ResourceRecords: [{ Value: 'ns-1.awsdns-01.org.' }] },
        {
          Name: 'www.shop.example.com.',
          Type: 'A',
          SetIdentifier: 'dub',
          Weight: 100,
          AliasTarget: {
            HostedZoneId: 'Z32O12XQLNTSW2',
            DNSName: `dualstack.${ALB_DUB_DNS}.`,
            EvaluateTargetHealth: true,
          },
        },
      ],
      IsTruncated: true,
      NextRecordName: 'www.shop.example.com.',
      NextRecordType: 'A',
      NextRecordIdentifier: 'fra',
      MaxItems: 300,
    },
    'Z1SHOP/www.shop.example.com./A/fra': {
      ResourceRecordSets: [
        {
          Name: 'www.shop.example.com.',
          Type: 'A',
          SetIdentifier: 'fra',
          Weight: 0,
          AliasTarget: { HostedZoneId: 'Z215JYRZR1TBD5', DNSName: `${ALB_FRA_DNS}.`, EvaluateTargetHealth: true },
        },
        {
          Name: 'api.shop.example.com.',
          Type: 'A',
          TTL: 30,
          ResourceRecords: [{ Value: '203.0.113.10' }, { Value: '203.0.113.99' }],
        },
      ],
      IsTruncated: true,
      NextRecordName: 'db.shop.example.com.',
      NextRecordType: 'CNAME',
      MaxItems: 300,
    },
    'Z1SHOP/db.shop.example.com./CNAME/': {
      ResourceRecordSets: [
        { Name: 'db.shop.example.com.', Type: 'CNAME', TTL: 30, ResourceRecords: [{ Value: ORDERS_HOST }] },
        { Name: 'origin.shop.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '54.0.0.12' }] },
      ],
      IsTruncated: false,
      MaxItems: 300,
    },
    'Z2LEGACY/': {
      ResourceRecordSets: [
        { Name: 'old.legacy.example.com.', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '198.51.100.7' }] },
      ],
      IsTruncated: false,
      MaxItems: 300,
    },
  },
};

const listeners = (arn: string, ports: readonly [number, string][]) =>
  ports.map(([Port, Protocol]) => ({ ListenerArn: `${arn}/l${Port}`, LoadBalancerArn: arn, Port, Protocol }));

const webGroup = (arn: string, name: string, lb: string) => ({
  TargetGroupArn: arn,
  TargetGroupName: name,
  Protocol: 'HTTP',
  Port: 8080,
  TargetType: 'instance',
  HealthCheckProtocol: 'HTTP',
  HealthCheckPort: 'traffic-port',
  HealthCheckPath: '/healthz',
  Matcher: { HttpCode: '200' },
  LoadBalancerArns: [lb],
});

const instance = (id: string, name: string, privateIp: string, publicIp?: string) => ({
  InstanceId: id,
  State: { Name: 'running', Code: 16 },
  PrivateIpAddress: privateIp,
  ...(publicIp ? { PublicIpAddress: publicIp } : {}),
  Tags: [{ Key: 'Name', Value: name }],
});

const regionalPages: Script = {
  'eu-west-1': {
    DescribeLoadBalancersCommand: {
      '': {
        LoadBalancers: [
          {
            LoadBalancerArn: ALB_DUB,
            LoadBalancerName: 'web-dub',
            DNSName: ALB_DUB_DNS,
            Type: 'application',
            Scheme: 'internet-facing',
          },
        ],
        NextMarker: 'lb2',
      },
      lb2: {
        LoadBalancers: [
          {
            LoadBalancerArn: NLB_DUB,
            LoadBalancerName: 'api-dub',
            DNSName: 'api-dub-9.elb.eu-west-1.amazonaws.com',
            Type: 'network',
            Scheme: 'internet-facing',
            AvailabilityZones: [{ ZoneName: 'eu-west-1a', LoadBalancerAddresses: [{ IpAddress: '203.0.113.10' }] }],
          },
        ],
      },
    },
    DescribeTargetGroupsCommand: {
      '': { TargetGroups: [webGroup(TG_WEB_DUB, 'web-dub', ALB_DUB)], NextMarker: 'tg2' },
      tg2: {
        TargetGroups: [
          {
            TargetGroupArn: TG_API_DUB,
            TargetGroupName: 'api-dub',
            Protocol: 'TCP',
            Port: 443,
            TargetType: 'ip',
            HealthCheckProtocol: 'TCP',
            HealthCheckPort: '9000',
            LoadBalancerArns: [NLB_DUB],
          },
          {
            TargetGroupArn: elbArn('eu-west-1', 'targetgroup', 'unused'),
            TargetGroupName: 'unused',
            TargetType: 'instance',
            LoadBalancerArns: [],
          },
        ],
      },
    },
    [`DescribeListenersCommand ${ALB_DUB}`]: {
      '': { Listeners: listeners(ALB_DUB, [[443, 'HTTPS']]), NextMarker: 'li2' },
      li2: { Listeners: listeners(ALB_DUB, [[80, 'HTTP']]) },
    },
    [`DescribeListenersCommand ${NLB_DUB}`]: { '': { Listeners: listeners(NLB_DUB, [[443, 'TCP']]) } },
    [`DescribeTargetHealthCommand ${TG_WEB_DUB}`]: {
      '': {
        TargetHealthDescriptions: [
          { Target: { Id: 'i-0dub1', Port: 8080 }, TargetHealth: { State: 'healthy' } },
          { Target: { Id: 'i-0dub2', Port: 8080 }, TargetHealth: { State: 'unhealthy', Reason: 'Target.Timeout' } },
        ],
      },
    },
    [`DescribeTargetHealthCommand ${TG_API_DUB}`]: {
      '': {
        TargetHealthDescriptions: [{ Target: { Id: '10.1.0.50', Port: 443 }, TargetHealth: { State: 'healthy' } }],
      },
    },
    DescribeInstancesCommand: {
      '': { Reservations: [{ Instances: [instance('i-0dub1', 'web-dub-1', '10.1.0.11')] }], NextToken: 'ec2-2' },
      'ec2-2': {
        Reservations: [
          {
            Instances: [
              instance('i-0dub2', 'web-dub-2', '10.1.0.12', '54.0.0.12'),
              instance('i-0api', 'api-dub', '10.1.0.50'),
            ],
          },
        ],
      },
    },
    DescribeDBInstancesCommand: {
      '': {
        DBInstances: [
          {
            DBInstanceIdentifier: 'orders',
            DBInstanceArn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:orders`,
            Engine: 'postgres',
            DBInstanceStatus: 'available',
            Endpoint: { Address: ORDERS_HOST, Port: 5432 },
          },
        ],
        Marker: 'db2',
      },
      db2: {
        DBInstances: [
          {
            DBInstanceIdentifier: 'orders-replica-1',
            DBInstanceArn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:orders-replica-1`,
            Engine: 'postgres',
            DBInstanceStatus: 'available',
            Endpoint: { Address: 'orders-replica-1.abc123.eu-west-1.rds.amazonaws.com', Port: 5432 },
            ReadReplicaSourceDBInstanceIdentifier: 'orders',
          },
        ],
      },
    },
    DescribeDBClustersCommand: { '': { DBClusters: [], Marker: 'cl2' }, cl2: { DBClusters: [] } },
    DescribeGlobalClustersCommand: { '': { GlobalClusters: [], Marker: 'gc2' }, gc2: { GlobalClusters: [] } },
  },
  'eu-central-1': {
    DescribeLoadBalancersCommand: {
      '': { LoadBalancers: [], NextMarker: 'lb2' },
      lb2: {
        LoadBalancers: [
          {
            LoadBalancerArn: ALB_FRA,
            LoadBalancerName: 'web-fra',
            DNSName: ALB_FRA_DNS,
            Type: 'application',
            Scheme: 'internet-facing',
          },
        ],
      },
    },
    DescribeTargetGroupsCommand: {
      '': { TargetGroups: [], NextMarker: 'tg2' },
      tg2: { TargetGroups: [webGroup(TG_WEB_FRA, 'web-fra', ALB_FRA)] },
    },
    [`DescribeListenersCommand ${ALB_FRA}`]: {
      '': { Listeners: [], NextMarker: 'li2' },
      li2: { Listeners: listeners(ALB_FRA, [[443, 'HTTPS']]) },
    },
    [`DescribeTargetHealthCommand ${TG_WEB_FRA}`]: {
      '': { TargetHealthDescriptions: [{ Target: { Id: 'i-0fra1', Port: 8080 }, TargetHealth: { State: 'healthy' } }] },
    },
    DescribeInstancesCommand: {
      '': { Reservations: [], NextToken: 'ec2-2' },
      'ec2-2': { Reservations: [{ Instances: [instance('i-0fra1', 'web-fra-1', '10.2.0.11')] }] },
    },
    DescribeDBInstancesCommand: {
      '': { DBInstances: [], Marker: 'db2' },
      db2: {
        DBInstances: [
          {
            DBInstanceIdentifier: 'orders-fra',
            DBInstanceArn: `arn:aws:rds:eu-central-1:${ACCOUNT}:db:orders-fra`,
            Engine: 'postgres',
            DBInstanceStatus: 'available',
            Endpoint: { Address: 'orders-fra.def456.eu-central-1.rds.amazonaws.com', Port: 5432 },
            ReadReplicaSourceDBInstanceIdentifier: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:orders`,
          },
        ],
      },
    },
    DescribeDBClustersCommand: { '': { DBClusters: [] } },
  },
};

/** The token an input carries, keyed as the script is. */
function pageKey(command: string, input: Record<string, string | undefined>): { script: string; token: string } {
  switch (command) {
    case 'ListResourceRecordSetsCommand': {
      const start = input.StartRecordName
        ? `${input.StartRecordName}/${input.StartRecordType}/${input.StartRecordIdentifier ?? ''}`
        : '';
      return { script: command, token: `${input.HostedZoneId}/${start}` };
    }
    case 'DescribeListenersCommand':
      return { script: `${command} ${input.LoadBalancerArn}`, token: input.Marker ?? '' };
    case 'DescribeTargetHealthCommand':
      return { script: `${command} ${input.TargetGroupArn}`, token: '' };
    default:
      return { script: command, token: input.Marker ?? input.NextToken ?? '' };
  }
}

export interface AccountOptions {
  /** RDS in eu-central-1 refuses every call with AccessDenied. */
  readonly rdsDeniedInFrankfurt?: boolean;
}

/** Installs the account on every client of the four services; returns the log of calls. */
export function mockTwoRegionAccount(options: AccountOptions = {}) {
  const log: LoggedCall[] = [];
  const mocks = {
    route53: mockClient(Route53Client),
    elb: mockClient(ElasticLoadBalancingV2Client),
    ec2: mockClient(EC2Client),
    rds: mockClient(RDSClient),
  };
  const answer =
    (command: string) =>
    async (
      input: Record<string, string | undefined>,
      getClient: () => { config: { region: () => Promise<string> } },
    ) => {
      const region = await getClient().config.region();
      log.push({ region, command, input });
      if (options.rdsDeniedInFrankfurt && region === 'eu-central-1' && command.startsWith('DescribeDB')) {
        throw new RDSServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
          message: `User: arn:aws:iam::${ACCOUNT}:user/discover is not authorized to perform: rds:DescribeDBInstances`,
        });
      }
      const { script, token } = pageKey(command, input);
      const pages = command.startsWith('List') ? route53Pages[script] : regionalPages[region]?.[script];
      const page = pages?.[token];
      if (!page) throw new Error(`the mocked account has no page for ${region} ${script} "${token}"`);
      return structuredClone(page);
    };
  mocks.route53.on(ListHostedZonesCommand).callsFake(answer('ListHostedZonesCommand'));
  mocks.route53.on(ListResourceRecordSetsCommand).callsFake(answer('ListResourceRecordSetsCommand'));
  mocks.elb.on(DescribeLoadBalancersCommand).callsFake(answer('DescribeLoadBalancersCommand'));
  mocks.elb.on(DescribeTargetGroupsCommand).callsFake(answer('DescribeTargetGroupsCommand'));
  mocks.elb.on(DescribeListenersCommand).callsFake(answer('DescribeListenersCommand'));
  mocks.elb.on(DescribeTargetHealthCommand).callsFake(answer('DescribeTargetHealthCommand'));
  mocks.ec2.on(DescribeInstancesCommand).callsFake(answer('DescribeInstancesCommand'));
  mocks.rds.on(DescribeDBInstancesCommand).callsFake(answer('DescribeDBInstancesCommand'));
  mocks.rds.on(DescribeDBClustersCommand).callsFake(answer('DescribeDBClustersCommand'));
  mocks.rds.on(DescribeGlobalClustersCommand).callsFake(answer('DescribeGlobalClustersCommand'));
  return {
    log,
    mocks,
    restore: () => {
      for (const mock of Object.values(mocks)) mock.restore();
    },
  };
}
