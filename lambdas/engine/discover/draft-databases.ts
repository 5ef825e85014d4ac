// The databases of a draft: RDS instances with their read replicas, Aurora clusters with their readers,
// Aurora global databases with their secondary clusters; the writer name is the CNAME pointing at the writer.
import type { TopologyInput } from '../../domain/config/schema';
import type {
  InventoryDbCluster,
  InventoryDbInstance,
  InventoryGlobalCluster,
} from '../../ports/account-inventory.port';
import { normaliseDnsName } from '../../ports/record-sets';
import type { DraftIds, DraftNotes } from './draft-endpoints';
import type { AccountInventory } from './read-inventory';

type DatabaseInput = NonNullable<TopologyInput['databases']>[number];
type MemberInput = DatabaseInput['primary'];
type WriterDns = DatabaseInput['writerDns'];

/** Engines the guard fails over; DocumentDB and Neptune also answer RDS's Describe calls. */
const RELATIONAL = /^(aurora|mysql|mariadb|postgres|oracle|sqlserver|db2)/;

interface Located<T> {
  readonly region: string;
  readonly item: T;
}

export interface WriterName {
  readonly name: string;
  readonly writerDns: WriterDns;
}

/** The CNAMEs of the zones read, by the host they point at. */
export function writerNames(
  zones: AccountInventory['zones'],
  inScope: (name: string) => boolean,
): Map<string, WriterName> {
  const names = new Map<string, WriterName>();
  for (const { zone, recordSets } of zones ?? []) {
    for (const set of recordSets) {
      const value = set.values[0];
      if (set.type !== 'CNAME' || value === undefined || !inScope(set.name)) continue;
      names.set(normaliseDnsName(value), {
        name: set.name,
        writerDns: { hostedZoneId: zone.id, name: set.name, ...(set.ttl !== undefined ? { ttl: set.ttl } : {}) },
      });
    }
  }
  return names;
}

export function draftDatabases(
  inventory: AccountInventory,
  writers: ReadonlyMap<string, WriterName>,
  ids: DraftIds,
  notes: DraftNotes,
): DatabaseInput[] {
  const instances = inventory.regions.flatMap((r) =>
    (r.dbInstances ?? []).filter((i) => RELATIONAL.test(i.engine)).map((item) => ({ region: r.region, item })),
  );
  const clusters = inventory.regions.flatMap((r) =>
    (r.dbClusters ?? []).filter((c) => RELATIONAL.test(c.engine)).map((item) => ({ region: r.region, item })),
  );
  const member = (region: string, identifier: string, endpoint: MemberInput['endpoint'], priority?: number) => ({
    id: ids.claim(`${identifier}.${region}`),
    region,
    identifier,
    endpoint,
    ...(priority !== undefined ? { promotionPriority: Math.min(15, priority) } : {}),
  });
  const context: DraftContext = { writers, notes, ids, member };
  const drafted: DatabaseInput[] = [];
  const inGlobal = new Set<string>();
  for (const global of inventory.globalClusters) {
    const database = globalDatabase(global, clusters, context);
    for (const m of global.members) inGlobal.add(m.clusterArn);
    if (database) drafted.push(database);
  }
  for (const cluster of clusters) {
    if (inGlobal.has(cluster.item.arn)) continue;
    const database = clusterDatabase(cluster, instances, context);
    if (database) drafted.push(database);
  }
  for (const primary of instances) {
    if (primary.item.replicaOf !== undefined || primary.item.clusterIdentifier !== undefined) continue;
    const database = instanceDatabase(primary, instances, context);
    if (database) drafted.push(database);
  }
  return drafted;
}

/** What every database drafter shares: the writer names, the notes, and member and id factories. */
interface DraftContext {
  readonly writers: ReadonlyMap<string, WriterName>;
  readonly notes: DraftNotes;
  readonly ids: DraftIds;
  readonly member: (
    region: string,
    identifier: string,
    endpoint: MemberInput['endpoint'],
    priority?: number,
  ) => MemberInput;
}

/** The writer name pointing at one of these hosts, or a note saying there is none. */
function writerFor(
  what: string,
  hosts: readonly (string | undefined)[],
  writers: ReadonlyMap<string, WriterName>,
  notes: DraftNotes,
): WriterDns | undefined {
  const writer = hosts.flatMap((h) => (h === undefined ? [] : (writers.get(normaliseDnsName(h)) ?? []))).at(0);
  if (!writer)
    notes.unmapped.push(
      `${what}: no CNAME in the zones read points at its writer (${hosts.filter(Boolean).join(' or ')}); the guard repoints one on failover: create it, then run discover again`,
    );
  return writer?.writerDns;
}

function instanceDatabase(
  { region, item: primary }: Located<InventoryDbInstance>,
  instances: readonly Located<InventoryDbInstance>[],
  { writers, notes, member, ids }: DraftContext,
): DatabaseInput | undefined {
  if (!primary.endpoint) {
    notes.unmapped.push(`DB instance ${primary.identifier} (${region}): no endpoint yet (${primary.status})`);
    return undefined;
  }
  const replicas = instances.filter(
    (r) => (r.region === region && r.item.replicaOf === primary.identifier) || r.item.replicaOf === primary.arn,
  );
  const writerDns = writerFor(`DB instance ${primary.identifier} (${region})`, [primary.endpoint.host], writers, notes);
  if (!writerDns) return undefined;
  for (const chained of instances.filter((r) =>
    replicas.some((p) => r.item.replicaOf === p.item.identifier || r.item.replicaOf === p.item.arn),
  ))
    notes.unmapped.push(
      `DB instance ${chained.item.identifier} (${chained.region}): a replica of a replica, which the guard does not promote`,
    );
  return {
    id: ids.claim(primary.identifier),
    engine: 'rds-instance',
    primary: member(region, primary.identifier, primary.endpoint),
    replicas: replicas.flatMap((r) => (r.item.endpoint ? [member(r.region, r.item.identifier, r.item.endpoint)] : [])),
    writerDns,
  };
}

function clusterDatabase(
  { region, item: cluster }: Located<InventoryDbCluster>,
  instances: readonly Located<InventoryDbInstance>[],
  { writers, notes, member, ids }: DraftContext,
): DatabaseInput | undefined {
  const instanceOf = (identifier: string) =>
    instances.find((i) => i.region === region && i.item.identifier === identifier)?.item;
  const writer = cluster.members.find((m) => m.isWriter);
  const writerInstance = writer && instanceOf(writer.instanceIdentifier);
  if (!writer || !writerInstance?.endpoint) {
    notes.unmapped.push(`Aurora cluster ${cluster.identifier} (${region}): no writer instance with an endpoint`);
    return undefined;
  }
  const what = `Aurora cluster ${cluster.identifier} (${region})`;
  const writerDns = writerFor(what, [cluster.endpoint?.host, writerInstance.endpoint.host], writers, notes);
  if (!writerDns) return undefined;
  const readers = cluster.members.filter((m) => !m.isWriter);
  return {
    id: ids.claim(cluster.identifier),
    engine: 'aurora-cluster',
    clusterIdentifier: cluster.identifier,
    primary: member(region, writer.instanceIdentifier, writerInstance.endpoint, writer.promotionTier),
    replicas: readers.flatMap((m) => {
      const endpoint = instanceOf(m.instanceIdentifier)?.endpoint;
      return endpoint ? [member(region, m.instanceIdentifier, endpoint, m.promotionTier)] : [];
    }),
    writerDns,
  };
}

function globalDatabase(
  global: InventoryGlobalCluster,
  clusters: readonly Located<InventoryDbCluster>[],
  { writers, notes, member, ids }: DraftContext,
): DatabaseInput | undefined {
  const what = `Aurora global database ${global.identifier}`;
  const found = global.members.flatMap((m) => {
    const cluster = clusters.find((c) => c.item.arn === m.clusterArn);
    if (!cluster?.item.endpoint) {
      notes.unmapped.push(`${what}: member ${m.clusterArn} is in no region read (add it with --region)`);
      return [];
    }
    return [{ ...cluster, isWriter: m.isWriter, endpoint: cluster.item.endpoint }];
  });
  const primary = found.find((m) => m.isWriter);
  if (!primary) {
    notes.unmapped.push(`${what}: its writer cluster is in no region read`);
    return undefined;
  }
  const writerDns = writerFor(what, [primary.endpoint.host], writers, notes);
  if (!writerDns) return undefined;
  return {
    id: ids.claim(global.identifier),
    engine: 'aurora-global',
    clusterIdentifier: global.identifier,
    primary: member(primary.region, primary.item.identifier, primary.endpoint),
    replicas: found.filter((m) => !m.isWriter).map((m) => member(m.region, m.item.identifier, m.endpoint)),
    writerDns,
  };
}
