// What the guard may touch, worked out from the topology: the hosted zones and record names it may
// change, the databases it may promote. IAM statements are built from these lists, nothing wider.
import { fenceMode } from '../lambdas/domain/config/fencing';
import type { Topology } from '../lambdas/domain/config/schema';

/** The record names and types the guard may change in one hosted zone. */
export interface ZoneChangeScope {
  readonly hostedZoneId: string;
  /** Lowercase, without the trailing dot, octal escapes: the form IAM's NormalizedRecordNames condition compares. */
  readonly recordNames: readonly string[];
  readonly recordTypes: readonly string[];
}

type RegionalResource = { readonly region: string; readonly identifier: string };

/** RDS resources grouped by the IAM resource type and action that authorizes them. */
export interface DatabaseScope {
  /** `db` resources the guard describes: the members of rds-instance and aurora-cluster databases. */
  readonly instances: readonly RegionalResource[];
  /** `db` resources PromoteReadReplica may target: the replicas of rds-instance databases only. */
  readonly promotableInstances: readonly RegionalResource[];
  /** `db` resources StopDBInstance may fence: every member of rds-instance databases whose fence is "stop" (any may be an old primary). */
  readonly stoppableInstances: readonly RegionalResource[];
  /** `db` resources ModifyDBInstance may isolate: every member of rds-instance databases whose fence is "isolate". */
  readonly isolatableInstances: readonly RegionalResource[];
  /** `cluster` resources FailoverDBCluster may target: aurora-cluster databases. */
  readonly failoverClusters: readonly RegionalResource[];
  /** aurora-global databases: the global cluster and its member clusters (FailoverGlobalCluster needs both). */
  readonly globalClusters: readonly {
    readonly identifier: string;
    readonly memberClusters: readonly RegionalResource[];
  }[];
}

/**
 * A record name as IAM's route53:ChangeResourceRecordSetsNormalizedRecordNames holds it: lowercase,
 * no trailing dot, and every character but a-z, 0-9, '-', '_' and '.' as a \ooo octal escape
 * (a wildcard "*" is "\052"). Escapes already in the name are kept, not escaped twice.
 */
export function normalizeRecordName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/\\[0-7]{3}|[^a-z0-9\-_.]/gu, (token) =>
      token.startsWith('\\') && token.length === 4
        ? token
        : [...Buffer.from(token, 'utf8')].map((byte) => `\\${byte.toString(8).padStart(3, '0')}`).join(''),
    );
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** One scope per hosted zone: the zone's DNS records (their own type) and writer CNAMEs. */
export function zoneChangeScopes(topology: Topology): ZoneChangeScope[] {
  const byZone = new Map<string, { names: string[]; types: string[] }>();
  const add = (zoneId: string, name: string, type: string) => {
    const scope = byZone.get(zoneId) ?? { names: [], types: [] };
    scope.names.push(normalizeRecordName(name));
    scope.types.push(type);
    byZone.set(zoneId, scope);
  };
  for (const record of topology.dns) add(record.hostedZoneId, record.name, record.type);
  for (const db of topology.databases) add(db.writerDns.hostedZoneId, db.writerDns.name, 'CNAME');
  return [...byZone.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([hostedZoneId, scope]) => ({
      hostedZoneId,
      recordNames: sortedUnique(scope.names),
      recordTypes: sortedUnique(scope.types),
    }));
}

/** Every RDS resource of the topology, grouped by the IAM resource type that authorizes it. */
export function databaseScope(topology: Topology): DatabaseScope {
  const instances: RegionalResource[] = [];
  const promotableInstances: RegionalResource[] = [];
  const stoppableInstances: RegionalResource[] = [];
  const isolatableInstances: RegionalResource[] = [];
  const failoverClusters: RegionalResource[] = [];
  const globalClusters: { identifier: string; memberClusters: RegionalResource[] }[] = [];
  const located = ({ region, identifier }: RegionalResource): RegionalResource => ({ region, identifier });
  for (const db of topology.databases) {
    const members = [db.primary, ...db.replicas].map(located);
    // Validation guarantees clusterIdentifier for the Aurora engines.
    const clusterIdentifier = db.clusterIdentifier ?? '';
    if (db.engine === 'rds-instance') {
      instances.push(...members);
      promotableInstances.push(...db.replicas.map(located));
      if (fenceMode(db) === 'stop') stoppableInstances.push(...members);
      if (fenceMode(db) === 'isolate') isolatableInstances.push(...members);
    } else if (db.engine === 'aurora-cluster') {
      instances.push(...members);
      failoverClusters.push({ region: db.primary.region, identifier: clusterIdentifier });
    } else {
      globalClusters.push({ identifier: clusterIdentifier, memberClusters: members });
    }
  }
  return { instances, promotableInstances, stoppableInstances, isolatableInstances, failoverClusters, globalClusters };
}

/** Every hosted zone the guard reads or changes. */
export function hostedZoneIds(topology: Topology): string[] {
  return zoneChangeScopes(topology).map((scope) => scope.hostedZoneId);
}
