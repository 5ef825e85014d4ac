// Derived views of a topology that every stage needs: what to probe, with which settings, where.
import type { CheckSettings, Database, DatabaseMember, Probe, Topology } from './schema';

export type EndpointRole = 'server' | 'load-balancer' | 'database';

/** One endpoint to probe: a server, a load balancer or a database member. */
export interface ProbeTarget {
  readonly id: string;
  readonly region: string;
  readonly role: EndpointRole;
  readonly probe: Probe;
  readonly checks: CheckSettings;
}

/** The topology's check settings with one target's overrides applied. */
export function checkSettingsFor(topology: Topology, overrides?: Partial<CheckSettings>): CheckSettings {
  return { ...topology.checks, ...overrides };
}

/** Every endpoint the guard probes, in config order (servers, load balancers, database members). */
export function probeTargets(topology: Topology): ProbeTarget[] {
  const targets: ProbeTarget[] = [];
  for (const s of topology.servers) {
    targets.push({
      id: s.id,
      region: s.region,
      role: 'server',
      probe: s.probe,
      checks: checkSettingsFor(topology, s.checks),
    });
  }
  for (const lb of topology.loadBalancers) {
    targets.push({
      id: lb.id,
      region: lb.region,
      role: 'load-balancer',
      probe: lb.probe,
      checks: checkSettingsFor(topology, lb.checks),
    });
  }
  for (const db of topology.databases) {
    for (const m of [db.primary, ...db.replicas]) {
      targets.push({
        id: m.id,
        region: m.region,
        role: 'database',
        probe: { type: 'tcp', host: m.endpoint.host, port: m.endpoint.port },
        checks: checkSettingsFor(topology, m.checks),
      });
    }
  }
  return targets;
}

export function primaryRegion(topology: Topology): string {
  const primary = topology.regions.find((r) => r.role === 'primary');
  if (!primary) throw new Error(`topology "${topology.name}" has no primary region`);
  return primary.name;
}

export function standbyRegions(topology: Topology): string[] {
  return topology.regions.filter((r) => r.role === 'standby').map((r) => r.name);
}

/** A database's members, the configured primary first. */
export function databaseMembers(db: Database): DatabaseMember[] {
  return [db.primary, ...db.replicas];
}

/** Regions the guard runs in, in failover-actor order (the first live one acts). */
export function guardRegions(topology: Topology): string[] {
  return topology.guard.regions ?? topology.regions.map((r) => r.name);
}

/**
 * The regions a checker in `checkerRegion` publishes RegionHealthy for: every topology region but
 * its own (a region is judged from outside), or all of them when the guard runs in one region only.
 */
export function judgedRegions(topology: Topology, checkerRegion: string): string[] {
  const all = topology.regions.map((r) => r.name);
  if (guardRegions(topology).length < 2) return all;
  return all.filter((region) => region !== checkerRegion);
}

/** The state table's name when the deployment does not set one; the CLI finds the deployed table by it. */
export function defaultStateTableName(topology: Pick<Topology, 'name'>): string {
  return `failover-guard-${topology.name}`;
}
