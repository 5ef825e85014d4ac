// AccountInventoryPort over Route 53, ELBv2, EC2 and RDS: read-only Describe/List calls, every page of each.
import { DescribeInstancesCommand, type EC2Client, type Filter, type Instance } from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import {
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  type Route53Client,
  type RRType,
} from '@aws-sdk/client-route-53';
import type {
  AccountInventoryPort,
  InventoryDbCluster,
  InventoryDbInstance,
  InventoryGlobalCluster,
  InventoryHostedZone,
  InventoryInstance,
  InventoryLoadBalancer,
  InventoryTargetGroup,
} from '../../ports/account-inventory.port';
import type { RecordSet } from '../../ports/dns.port';
import { normaliseDnsName } from '../../ports/record-sets';
import { allPages } from './all-pages';
import { callAws } from './cloud-errors';
import type { RegionalClients } from './regional-clients';
import { fromAws } from './route53-dns.adapter';

/** Page sizes: each API's maximum, so a large account takes as few calls as it can. */
const PAGE = { hostedZones: 100, recordSets: 300, elb: 400, ec2: 1000, rds: 100 } as const;

/** Instance ids per instance-id filter: 200 a call, a conservative bound on the values EC2 takes in one filter. */
const FILTER_VALUES = 200;

/** Instances in these states can come back; terminated and shutting-down ones cannot serve anything. */
const LIVE_INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped'];

export interface AwsInventoryClients {
  readonly route53: Route53Client;
  readonly elb: RegionalClients<ElasticLoadBalancingV2Client>;
  readonly ec2: RegionalClients<EC2Client>;
  readonly rds: RegionalClients<RDSClient>;
}

export class AwsInventoryAdapter implements AccountInventoryPort {
  constructor(private readonly clients: AwsInventoryClients) {}

  async listHostedZones(): Promise<InventoryHostedZone[]> {
    const pages = await allPages({
      service: 'Route 53',
      operation: 'ListHostedZones',
      resource: 'the account',
      fetch: (marker: string | undefined) =>
        this.clients.route53.send(
          new ListHostedZonesCommand({
            MaxItems: PAGE.hostedZones,
            ...(marker !== undefined ? { Marker: marker } : {}),
          }),
        ),
      next: (page) => (page.IsTruncated ? page.NextMarker : undefined),
    });
    return pages.flatMap((p) =>
      (p.HostedZones ?? []).map((z) => ({
        id: (z.Id ?? '').replace(/^\/hostedzone\//, ''),
        name: normaliseDnsName(z.Name ?? ''),
        privateZone: z.Config?.PrivateZone ?? false,
      })),
    );
  }

  async listRecordSets(zoneId: string): Promise<RecordSet[]> {
    type Start = { name: string; type: string; identifier?: string };
    const pages = await allPages({
      service: 'Route 53',
      operation: 'ListResourceRecordSets',
      resource: zoneId,
      fetch: (start: Start | undefined) =>
        this.clients.route53.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            MaxItems: PAGE.recordSets,
            ...(start
              ? {
                  StartRecordName: start.name,
                  StartRecordType: start.type as RRType,
                  ...(start.identifier !== undefined ? { StartRecordIdentifier: start.identifier } : {}),
                }
              : {}),
          }),
        ),
      next: (page): Start | undefined =>
        page.IsTruncated && page.NextRecordName !== undefined && page.NextRecordType !== undefined
          ? {
              name: page.NextRecordName,
              type: page.NextRecordType,
              ...(page.NextRecordIdentifier !== undefined ? { identifier: page.NextRecordIdentifier } : {}),
            }
          : undefined,
    });
    return pages.flatMap((p) => (p.ResourceRecordSets ?? []).map(fromAws));
  }

  async listLoadBalancers(region: string): Promise<InventoryLoadBalancer[]> {
    const elb = this.clients.elb.get(region);
    const service = 'Elastic Load Balancing';
    const lbPages = await allPages({
      service,
      operation: 'DescribeLoadBalancers',
      resource: region,
      fetch: (marker: string | undefined) =>
        elb.send(new DescribeLoadBalancersCommand({ PageSize: PAGE.elb, ...(marker ? { Marker: marker } : {}) })),
      next: (page) => page.NextMarker,
    });
    const loadBalancers = lbPages.flatMap((p) => p.LoadBalancers ?? []);
    if (loadBalancers.length === 0) return [];
    const groupPages = await allPages({
      service,
      operation: 'DescribeTargetGroups',
      resource: region,
      fetch: (marker: string | undefined) =>
        elb.send(new DescribeTargetGroupsCommand({ PageSize: PAGE.elb, ...(marker ? { Marker: marker } : {}) })),
      next: (page) => page.NextMarker,
    });
    const groups = groupPages.flatMap((p) => p.TargetGroups ?? []).filter((g) => (g.LoadBalancerArns ?? []).length > 0);
    const readGroups = new Map<string, InventoryTargetGroup>();
    for (const group of groups) readGroups.set(group.TargetGroupArn ?? '', await this.targetGroup(elb, group));
    const result: InventoryLoadBalancer[] = [];
    for (const lb of loadBalancers) {
      const arn = lb.LoadBalancerArn ?? '';
      const listenerPages = await allPages({
        service,
        operation: 'DescribeListeners',
        resource: arn,
        fetch: (marker: string | undefined) =>
          elb.send(
            new DescribeListenersCommand({
              LoadBalancerArn: arn,
              PageSize: PAGE.elb,
              ...(marker ? { Marker: marker } : {}),
            }),
          ),
        next: (page) => page.NextMarker,
      });
      result.push({
        ...loadBalancerFields(lb),
        listeners: listenerPages
          .flatMap((p) => p.Listeners ?? [])
          .map((l) => ({ port: l.Port ?? 0, protocol: l.Protocol ?? 'TCP' })),
        targetGroups: groups
          .filter((g) => (g.LoadBalancerArns ?? []).includes(arn))
          .flatMap((g) => readGroups.get(g.TargetGroupArn ?? '') ?? []),
      });
    }
    return result;
  }

  private async targetGroup(elb: ElasticLoadBalancingV2Client, group: TargetGroup): Promise<InventoryTargetGroup> {
    const arn = group.TargetGroupArn ?? '';
    const health = await callAws('Elastic Load Balancing', 'DescribeTargetHealth', arn, () =>
      elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
    );
    return {
      arn,
      name: group.TargetGroupName ?? '',
      targetType: group.TargetType ?? 'instance',
      ...(group.Protocol !== undefined ? { protocol: group.Protocol } : {}),
      ...(group.Port !== undefined ? { port: group.Port } : {}),
      healthCheck: {
        ...(group.HealthCheckProtocol !== undefined ? { protocol: group.HealthCheckProtocol } : {}),
        ...(group.HealthCheckPort !== undefined ? { port: group.HealthCheckPort } : {}),
        ...(group.HealthCheckPath !== undefined ? { path: group.HealthCheckPath } : {}),
        ...(group.Matcher?.HttpCode !== undefined ? { matcher: group.Matcher.HttpCode } : {}),
      },
      targets: (health.TargetHealthDescriptions ?? []).map((d) => ({
        id: d.Target?.Id ?? '',
        ...(d.Target?.Port !== undefined ? { port: d.Target.Port } : {}),
        state: d.TargetHealth?.State ?? 'unavailable',
      })),
    };
  }

  async listInstances(region: string): Promise<InventoryInstance[]> {
    return this.describeInstances(region, [{ Name: 'instance-state-name', Values: LIVE_INSTANCE_STATES }]);
  }

  /** By an instance-id filter, not InstanceIds: an id that no longer exists is left out instead of failing the call. */
  async listInstancesById(region: string, ids: readonly string[]): Promise<InventoryInstance[]> {
    const found: InventoryInstance[] = [];
    for (let i = 0; i < ids.length; i += FILTER_VALUES) {
      found.push(
        ...(await this.describeInstances(region, [
          { Name: 'instance-id', Values: ids.slice(i, i + FILTER_VALUES) },
          { Name: 'instance-state-name', Values: LIVE_INSTANCE_STATES },
        ])),
      );
    }
    return found;
  }

  private async describeInstances(region: string, filters: Filter[]): Promise<InventoryInstance[]> {
    const ec2 = this.clients.ec2.get(region);
    const pages = await allPages({
      service: 'EC2',
      operation: 'DescribeInstances',
      resource: region,
      fetch: (token: string | undefined) =>
        ec2.send(
          new DescribeInstancesCommand({
            Filters: filters,
            MaxResults: PAGE.ec2,
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      next: (page) => page.NextToken || undefined,
    });
    return pages.flatMap((p) => (p.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map(instanceFields)));
  }

  async listDbInstances(region: string): Promise<InventoryDbInstance[]> {
    const rds = this.clients.rds.get(region);
    const pages = await allPages({
      service: 'RDS',
      operation: 'DescribeDBInstances',
      resource: region,
      fetch: (marker: string | undefined) =>
        rds.send(new DescribeDBInstancesCommand({ MaxRecords: PAGE.rds, ...(marker ? { Marker: marker } : {}) })),
      next: (page) => page.Marker || undefined,
    });
    return pages.flatMap((p) =>
      (p.DBInstances ?? []).map((i) => ({
        identifier: i.DBInstanceIdentifier ?? '',
        arn: i.DBInstanceArn ?? '',
        engine: i.Engine ?? '',
        status: i.DBInstanceStatus ?? 'unknown',
        ...(i.Endpoint?.Address && i.Endpoint.Port
          ? { endpoint: { host: normaliseDnsName(i.Endpoint.Address), port: i.Endpoint.Port } }
          : {}),
        ...(i.ReadReplicaSourceDBInstanceIdentifier ? { replicaOf: i.ReadReplicaSourceDBInstanceIdentifier } : {}),
        ...(i.DBClusterIdentifier ? { clusterIdentifier: i.DBClusterIdentifier } : {}),
      })),
    );
  }

  async listDbClusters(region: string): Promise<InventoryDbCluster[]> {
    const rds = this.clients.rds.get(region);
    const pages = await allPages({
      service: 'RDS',
      operation: 'DescribeDBClusters',
      resource: region,
      fetch: (marker: string | undefined) =>
        rds.send(new DescribeDBClustersCommand({ MaxRecords: PAGE.rds, ...(marker ? { Marker: marker } : {}) })),
      next: (page) => page.Marker || undefined,
    });
    return pages.flatMap((p) =>
      (p.DBClusters ?? []).map((c) => ({
        identifier: c.DBClusterIdentifier ?? '',
        arn: c.DBClusterArn ?? '',
        engine: c.Engine ?? '',
        status: c.Status ?? 'unknown',
        ...(c.Endpoint && c.Port ? { endpoint: { host: normaliseDnsName(c.Endpoint), port: c.Port } } : {}),
        members: (c.DBClusterMembers ?? []).map((m) => ({
          instanceIdentifier: m.DBInstanceIdentifier ?? '',
          isWriter: m.IsClusterWriter ?? false,
          ...(m.PromotionTier !== undefined ? { promotionTier: m.PromotionTier } : {}),
        })),
      })),
    );
  }

  async listGlobalClusters(region: string): Promise<InventoryGlobalCluster[]> {
    const rds = this.clients.rds.get(region);
    const pages = await allPages({
      service: 'RDS',
      operation: 'DescribeGlobalClusters',
      resource: region,
      fetch: (marker: string | undefined) =>
        rds.send(new DescribeGlobalClustersCommand({ MaxRecords: PAGE.rds, ...(marker ? { Marker: marker } : {}) })),
      next: (page) => page.Marker || undefined,
    });
    return pages.flatMap((p) =>
      (p.GlobalClusters ?? []).map((g) => ({
        identifier: g.GlobalClusterIdentifier ?? '',
        members: (g.GlobalClusterMembers ?? []).map((m) => ({
          clusterArn: m.DBClusterArn ?? '',
          isWriter: m.IsWriter ?? false,
        })),
      })),
    );
  }
}

function loadBalancerFields(lb: LoadBalancer): Omit<InventoryLoadBalancer, 'listeners' | 'targetGroups'> {
  const addresses = (lb.AvailabilityZones ?? []).flatMap((zone) =>
    (zone.LoadBalancerAddresses ?? []).flatMap((a) =>
      [a.IpAddress ?? a.PrivateIPv4Address, a.IPv6Address].filter((ip): ip is string => ip !== undefined),
    ),
  );
  return {
    arn: lb.LoadBalancerArn ?? '',
    name: lb.LoadBalancerName ?? '',
    type: lb.Type ?? 'application',
    scheme: lb.Scheme ?? 'internet-facing',
    dnsName: normaliseDnsName(lb.DNSName ?? ''),
    addresses,
  };
}

function instanceFields(instance: Instance): InventoryInstance {
  const interfaces = instance.NetworkInterfaces ?? [];
  const unique = (ips: (string | undefined)[]) => [...new Set(ips.filter((ip): ip is string => !!ip))];
  const name = instance.Tags?.find((t) => t.Key === 'Name')?.Value;
  return {
    id: instance.InstanceId ?? '',
    state: instance.State?.Name ?? 'unknown',
    ...(name ? { name } : {}),
    privateIps: unique([
      instance.PrivateIpAddress,
      ...interfaces.flatMap((n) => (n.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress)),
    ]),
    publicIps: unique([
      instance.PublicIpAddress,
      ...interfaces.flatMap((n) => (n.PrivateIpAddresses ?? []).map((a) => a.Association?.PublicIp)),
    ]),
    ipv6: unique(interfaces.flatMap((n) => (n.Ipv6Addresses ?? []).map((a) => a.Ipv6Address))),
  };
}
