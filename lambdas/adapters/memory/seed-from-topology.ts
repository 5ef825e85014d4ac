// Seeds an in-memory cloud with what a topology describes, as it looks before any failure:
// record sets serving the active targets, databases replicating, writer names, healthy targets.
import { createHash } from 'node:crypto';
import type { Database, DnsRecord, DnsTarget, LoadBalancer, Probe, Server, Topology } from '../../domain/config/schema';
import { primaryRegion } from '../../domain/config/targets';
import type { RecordSet } from '../../ports/dns.port';
import type { MemoryDatabase } from './memory-database';
import type { MemoryDns } from './memory-dns';
import type { MemoryInventory } from './memory-inventory';
import type { MemoryLoadBalancer } from './memory-load-balancer';

/** The parts of an in-memory cloud a topology seeds. */
interface SeedableCloud {
  readonly dns: Pick<MemoryDns, 'seed'>;
  readonly database: Pick<MemoryDatabase, 'addInstance' | 'addCluster' | 'addGlobalCluster'>;
  readonly loadBalancer: Pick<MemoryLoadBalancer, 'addTargets'>;
  readonly inventory: Pick<MemoryInventory, 'addLoadBalancer' | 'addInstance'>;
}

/** Weight of a weighted target that has no weight in the config. */
const DEFAULT_WEIGHT = 100;

export function seedFromTopology(cloud: SeedableCloud, topology: Topology): void {
  for (const record of topology.dns) cloud.dns.seed(record.hostedZoneId, recordSetsFor(topology, record));
  for (const database of topology.databases) {
    seedDatabase(cloud, database);
    cloud.dns.seed(database.writerDns.hostedZoneId, [
      {
        name: database.writerDns.name,
        type: 'CNAME',
        ttl: database.writerDns.ttl,
        values: [database.primary.endpoint.host],
      },
    ]);
  }
  for (const lb of topology.loadBalancers) {
    const servers = topology.servers.filter((s) => s.region === lb.region);
    const targets = servers.map((s) => ({ targetId: s.ip ?? s.id, port: probePort(s.probe) }));
    const groups = lb.targetGroups.length > 0 ? lb.targetGroups : [madeUpArn(topology, lb, 'targetgroup')];
    for (const arn of groups) cloud.loadBalancer.addTargets(arn, targets);
    cloud.inventory.addLoadBalancer(loadBalancerSpec(topology, lb, groups, servers));
  }
  for (const server of topology.servers) {
    cloud.inventory.addInstance(server.region, {
      id: server.instanceId ?? `i-${digest(server.id).slice(0, 17)}`,
      state: 'running',
      name: server.id,
      privateIps: server.ip && !server.ip.includes(':') ? [server.ip] : [],
      publicIps: [],
      ipv6: server.ip?.includes(':') ? [server.ip] : [],
    });
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** An ARN for a load balancer or target group the topology names without one, stable for its id. */
function madeUpArn(topology: Topology, lb: LoadBalancer, kind: 'loadbalancer' | 'targetgroup'): string {
  const path = kind === 'loadbalancer' ? `loadbalancer/net/${lb.id}` : `targetgroup/${lb.id}`;
  return `arn:aws:elasticloadbalancing:${lb.region}:${topology.account}:${path}/${digest(`${kind}/${lb.id}`).slice(0, 16)}`;
}

/**
 * A load balancer as ELBv2 would list it: a network load balancer on its static IPs (an application one
 * without), listening on its probe's port, its target groups checking the region's servers as their probes do.
 */
function loadBalancerSpec(topology: Topology, lb: LoadBalancer, groups: readonly string[], servers: readonly Server[]) {
  const arn = lb.arn ?? madeUpArn(topology, lb, 'loadbalancer');
  const network = lb.ips.length > 0;
  const checked = servers[0]?.probe;
  const healthCheck =
    checked?.type === 'tcp' || checked === undefined
      ? { protocol: 'TCP', port: 'traffic-port' }
      : { protocol: checked.type.toUpperCase(), port: 'traffic-port', path: new URL(checked.url).pathname };
  return {
    region: lb.region,
    arn,
    name: lb.id,
    type: network ? 'network' : 'application',
    scheme: 'internet-facing',
    dnsName: `${lb.id}-${digest(arn).slice(0, 10)}.elb.${lb.region}.amazonaws.com`,
    addresses: [...lb.ips],
    listeners: [{ port: probePort(lb.probe), protocol: network ? 'TCP' : lb.probe.type.toUpperCase() }],
    targetGroups: groups.map((groupArn) => ({
      arn: groupArn,
      name: groupArn.split('/')[1] ?? lb.id,
      targetType: 'ip',
      ...(checked ? { port: probePort(checked) } : {}),
      healthCheck,
    })),
  };
}

/**
 * The record sets of one DNS record before any failure. ip-set: one set with the served targets'
 * IPs (active-passive: the primary region's; every target's if it has none); weighted: one set per
 * target, weight 0 in a passive region; multivalue: one set per served target; failover: PRIMARY
 * for the primary region's targets, SECONDARY for the others.
 */
function recordSetsFor(topology: Topology, record: DnsRecord): RecordSet[] {
  const primary = primaryRegion(topology);
  const base = { name: record.name, type: record.type, ttl: record.ttl };
  const targets = record.targets.map((t) => ({
    target: t,
    region: endpointRegion(topology, t.endpoint),
    ips: targetIps(topology, t),
  }));
  const active = record.regionMode === 'active-active' ? targets : targets.filter((t) => t.region === primary);
  const served = active.length > 0 ? active : targets;
  const setId = (t: DnsTarget) => t.setIdentifier ?? t.endpoint;
  switch (record.routing) {
    case 'ip-set':
      return [{ ...base, values: [...new Set(served.flatMap((t) => t.ips))] }];
    case 'weighted':
      return targets.map((t) => ({
        ...base,
        values: t.ips,
        setIdentifier: setId(t.target),
        weight: served.includes(t) ? (t.target.weight ?? DEFAULT_WEIGHT) : 0,
      }));
    case 'multivalue':
      return served.map((t) => ({ ...base, values: t.ips, setIdentifier: setId(t.target), multiValueAnswer: true }));
    case 'failover':
      return targets.map((t) => ({
        ...base,
        values: t.ips,
        setIdentifier: setId(t.target),
        failover: t.region === primary ? ('PRIMARY' as const) : ('SECONDARY' as const),
      }));
  }
}

function seedDatabase(cloud: SeedableCloud, database: Database): void {
  const { primary, replicas } = database;
  switch (database.engine) {
    case 'rds-instance':
      cloud.database.addInstance({
        region: primary.region,
        identifier: primary.identifier,
        endpoint: primary.endpoint,
      });
      for (const r of replicas) {
        cloud.database.addInstance({
          region: r.region,
          identifier: r.identifier,
          endpoint: r.endpoint,
          replicaOf: primary,
        });
      }
      return;
    case 'aurora-cluster':
      cloud.database.addCluster({
        region: primary.region,
        identifier: database.clusterIdentifier ?? database.id,
        members: [primary, ...replicas].map((m) => ({
          instanceIdentifier: m.identifier,
          isWriter: m === primary,
          promotionTier: m.promotionPriority,
          endpoint: m.endpoint,
        })),
      });
      return;
    case 'aurora-global':
      // Members are DB clusters; each gets one instance, named <cluster>-1, serving the member's endpoint.
      for (const m of [primary, ...replicas]) {
        cloud.database.addCluster({
          region: m.region,
          identifier: m.identifier,
          members: [
            {
              instanceIdentifier: `${m.identifier}-1`,
              isWriter: m === primary,
              promotionTier: m.promotionPriority,
              endpoint: m.endpoint,
            },
          ],
        });
      }
      cloud.database.addGlobalCluster({
        identifier: database.clusterIdentifier ?? database.id,
        members: [primary, ...replicas].map((m) => ({
          region: m.region,
          clusterIdentifier: m.identifier,
          isWriter: m === primary,
        })),
      });
      return;
  }
}

function endpointRegion(topology: Topology, endpointId: string): string | undefined {
  return (topology.servers.find((s) => s.id === endpointId) ?? topology.loadBalancers.find((l) => l.id === endpointId))
    ?.region;
}

/** The addresses a target puts in the record: its own ip, else its server's ip or its load balancer's ips. */
export function targetIps(topology: Topology, target: DnsTarget): string[] {
  if (target.ip) return [target.ip];
  const server = topology.servers.find((s) => s.id === target.endpoint);
  if (server?.ip) return [server.ip];
  return [...(topology.loadBalancers.find((l) => l.id === target.endpoint)?.ips ?? [])];
}

function probePort(probe: Probe): number {
  if (probe.type === 'tcp') return probe.port;
  const url = new URL(probe.url);
  return url.port ? Number(url.port) : probe.type === 'https' ? 443 : 80;
}
