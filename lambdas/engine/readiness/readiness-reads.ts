// The reads a readiness cycle makes beyond the cycle's own (once per guard.readinessCheckSeconds, never
// every cycle): the addresses of the instances registered in the topology's target groups (EC2, by id:
// only those instances, never the region's whole fleet; where an inventory is given: the CLI, the
// in-memory cloud), and the guard's own region health checks (by their tags). A failed read is evidence
// too ("could not check"), never the cycle's failure.
import { dataPlaneRecords } from '../../domain/config/data-plane';
import { instanceIdPattern } from '../../domain/config/instance-id';
import type { Topology } from '../../domain/config/schema';
import { errorMessage } from '../../domain/errors';
import type { GuardHealthCheckIds, ReadinessEvidence, TargetInstances } from '../../domain/readiness/readiness-report';
import type { LbTargetHealth } from '../../ports/load-balancer.port';
import { regionHealthCheckIds } from '../health-check-attachments';
import type { Read, ReadinessReadPorts } from '../types';

/** Whether a target is an EC2 instance (target type "instance"), not an IP address or an ARN. */
export function isInstanceId(targetId: string): boolean {
  return instanceIdPattern.test(targetId);
}

/** Region → the instance ids registered in the topology's target groups there (read ones only). */
function registeredInstances(
  topology: Topology,
  targetGroups: Readonly<Record<string, Read<LbTargetHealth[]>>>,
): Map<string, string[]> {
  const byRegion = new Map<string, Set<string>>();
  for (const lb of topology.loadBalancers) {
    for (const arn of lb.targetGroups) {
      const read = targetGroups[arn];
      if (!read?.ok) continue;
      const ids = byRegion.get(lb.region) ?? new Set<string>();
      for (const target of read.value) if (isInstanceId(target.targetId)) ids.add(target.targetId);
      byRegion.set(lb.region, ids);
    }
  }
  return new Map([...byRegion].filter(([, ids]) => ids.size > 0).map(([region, ids]) => [region, [...ids].sort()]));
}

async function readTargetInstances(
  inventory: NonNullable<ReadinessReadPorts['inventory']>,
  topology: Topology,
  targetGroups: Readonly<Record<string, Read<LbTargetHealth[]>>>,
): Promise<TargetInstances> {
  const addresses: Record<string, Record<string, readonly string[]>> = {};
  const unread: { region: string; reason: string }[] = [];
  await Promise.all(
    [...registeredInstances(topology, targetGroups)].map(async ([region, ids]) => {
      try {
        const instances = await inventory.listInstancesById(region, ids);
        addresses[region] = Object.fromEntries(
          instances.map((i) => [i.id, [...i.privateIps, ...i.publicIps, ...i.ipv6]]),
        );
      } catch (error) {
        unread.push({ region, reason: errorMessage(error) });
      }
    }),
  );
  return { addresses, unread: unread.sort((a, b) => a.region.localeCompare(b.region)) };
}

async function readGuardHealthChecks(ports: ReadinessReadPorts, topology: Topology): Promise<GuardHealthCheckIds> {
  try {
    const { ids, problems } = regionHealthCheckIds(topology, await ports.healthChecks.guardHealthChecks(topology.name));
    return { ok: true, ids, problems };
  } catch (error) {
    return { ok: false, error: errorMessage(error) };
  }
}

/**
 * The evidence with the readiness reads added, those it does not carry yet: the actor's re-plan gets the
 * checker's (handed over with the plan) and reads nothing again. Health checks are read only when some
 * record is marked dataPlaneFailover (no other record is held to the guard's own check).
 */
export async function withReadinessReads(
  ports: ReadinessReadPorts | undefined,
  topology: Topology,
  evidence: ReadinessEvidence,
  targetGroups: Readonly<Record<string, Read<LbTargetHealth[]>>>,
): Promise<ReadinessEvidence> {
  if (!ports) return evidence;
  const [targetInstances, guardHealthChecks] = await Promise.all([
    evidence.targetInstances ??
      (ports.inventory ? readTargetInstances(ports.inventory, topology, targetGroups) : undefined),
    evidence.guardHealthChecks ??
      (dataPlaneRecords(topology).length > 0 ? readGuardHealthChecks(ports, topology) : undefined),
  ]);
  return {
    ...evidence,
    ...(targetInstances ? { targetInstances } : {}),
    ...(guardHealthChecks ? { guardHealthChecks } : {}),
  };
}
