// Data-plane failover: which records carry the region health checks, which region each of their sets
// belongs to, and whose health check a region's sets carry.
import type { ConfigIssue } from '../errors';
import type { DnsRecord, Topology } from './schema';
import { guardRegions } from './targets';

/** Routing policies whose sets Route 53 leaves out of its answers while their health check is unhealthy. */
const DATA_PLANE_ROUTING: readonly DnsRecord['routing'][] = ['failover', 'weighted'];

/** The records marked `dataPlaneFailover`, in config order. */
export function dataPlaneRecords(topology: Pick<Topology, 'dns'>): DnsRecord[] {
  return topology.dns.filter((record) => record.dataPlaneFailover);
}

/** One record set of a marked record: its set identifier and the region of the endpoint it serves. */
export interface RegionalSet {
  readonly setIdentifier: string;
  readonly endpoint: string;
  /** Undefined when the endpoint is not a server or load balancer of the topology (validation reports it). */
  readonly region: string | undefined;
}

/** The record's sets with their regions, in target order (targets without a set identifier are left out). */
export function regionalSets(topology: Pick<Topology, 'servers' | 'loadBalancers'>, record: DnsRecord): RegionalSet[] {
  const regionOf = new Map<string, string>([
    ...topology.servers.map((s) => [s.id, s.region] as const),
    ...topology.loadBalancers.map((lb) => [lb.id, lb.region] as const),
  ]);
  return record.targets.flatMap((target) =>
    target.setIdentifier === undefined
      ? []
      : [{ setIdentifier: target.setIdentifier, endpoint: target.endpoint, region: regionOf.get(target.endpoint) }],
  );
}

/**
 * The guard region whose stack holds the health check that goes on `region`'s sets: the first guard region
 * judging it from outside (the one that acts for it, see region failover), or the only guard region. Each
 * region's sets carry exactly one check, so two stacks never fight over a set.
 */
export function healthCheckOwnerRegion(topology: Topology, region: string): string | undefined {
  const guards = guardRegions(topology);
  return guards.length < 2 ? guards[0] : guards.find((g) => g !== region);
}

/** The regions whose health checks the stack in `guardRegion` puts on record sets (its share of the attachments). */
export function healthChecksOwnedBy(topology: Topology, guardRegion: string): string[] {
  return topology.regions.map((r) => r.name).filter((r) => healthCheckOwnerRegion(topology, r) === guardRegion);
}

/**
 * The regions whose health checks the stack in `guardRegion` creates and keeps on record sets: its share
 * (healthChecksOwnedBy) of the regions a marked record has sets in. Nothing follows a check no marked
 * record carries, so none is made for it (each costs $0.50 a month).
 */
export function healthChecksKeptBy(topology: Topology, guardRegion: string): string[] {
  const carried = new Set(
    dataPlaneRecords(topology).flatMap((record) => regionalSets(topology, record).flatMap((s) => s.region ?? [])),
  );
  return healthChecksOwnedBy(topology, guardRegion).filter((region) => carried.has(region));
}

/** A marked record must be failover or weighted, with sets in at least two regions. */
export function dataPlaneIssues(topology: Topology): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  topology.dns.forEach((record, i) => {
    if (!record.dataPlaneFailover) return;
    if (!DATA_PLANE_ROUTING.includes(record.routing)) {
      issues.push({
        path: `dns[${i}].dataPlaneFailover`,
        message: `needs routing "failover" or "weighted" (one record set per target, each carrying its region's health check); record "${record.name}" is "${record.routing}"`,
      });
      return;
    }
    const regions = new Set(regionalSets(topology, record).flatMap((s) => (s.region ? [s.region] : [])));
    if (regions.size < 2) {
      issues.push({
        path: `dns[${i}].targets`,
        message: `data-plane failover needs record sets in at least two regions, so traffic has somewhere to go; record "${record.name}" has sets in ${regions.size === 0 ? 'no region' : `${[...regions].join(', ')} only`}`,
      });
    }
  });
  return issues;
}
