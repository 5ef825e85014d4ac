// Reads the cloud state the planner needs through the ports, in parallel: what the cycle's read
// scope names (./cloud-read-scope), nothing else. A failed read becomes { ok: false } so the planner
// can say what it could not check instead of acting blind; a record or database not read is absent.
import type { Database, DatabaseMember, Topology } from '../domain/config/schema';
import type { DbClusterState, GlobalClusterState } from '../ports/database.port';
import type { RecordSet } from '../ports/dns.port';
import type { LbTargetHealth } from '../ports/load-balancer.port';
import { databaseMembers } from '../domain/config/targets';
import type { DatabaseSnapshot, GuardPorts, MemberState, Read } from './types';
import { errorMessage } from '../domain/errors';

async function readSafely<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, error: errorMessage(error) };
  }
}

/** The record sets of the records whose ids are given (every record by default). */
export async function readRecords(
  ports: Pick<GuardPorts, 'dns'>,
  topology: Topology,
  recordIds?: ReadonlySet<string>,
): Promise<Record<string, Read<RecordSet[]>>> {
  const entries = await Promise.all(
    topology.dns
      .filter((r) => !recordIds || recordIds.has(r.id))
      .map(
        async (r) => [r.id, await readSafely(() => ports.dns.listRecordSets(r.hostedZoneId, r.name, r.type))] as const,
      ),
  );
  return Object.fromEntries(entries);
}

async function memberState(
  ports: GuardPorts,
  db: Database,
  member: DatabaseMember,
  cluster: Read<DbClusterState | undefined> | undefined,
  global: Read<GlobalClusterState | undefined> | undefined,
): Promise<MemberState> {
  if (db.engine === 'aurora-global') {
    const state = await ports.database.describeCluster(member.region, member.identifier);
    if (!state) return { exists: false };
    if (!global?.ok)
      throw new Error(
        `global cluster ${db.clusterIdentifier} unreadable${global && !global.ok ? `: ${global.error}` : ''}`,
      );
    const isWriter =
      global.value?.members.some((m) => m.clusterArn === state.arn && m.isWriter) === true &&
      !global.value?.failoverStatus;
    return { exists: true, status: state.status, arn: state.arn, isWriter };
  }
  const state = await ports.database.describeInstance(member.region, member.identifier);
  if (!state) return { exists: false };
  if (db.engine === 'aurora-cluster') {
    if (!cluster?.ok)
      throw new Error(
        `cluster ${db.clusterIdentifier} unreadable${cluster && !cluster.ok ? `: ${cluster.error}` : ''}`,
      );
    const isWriter =
      cluster.value?.members.some((m) => m.instanceIdentifier === member.identifier && m.isWriter) === true;
    return { exists: true, status: state.status, isWriter };
  }
  const source = state.replicaSourceIdentifier;
  return {
    exists: true,
    status: state.status,
    isReplica: source !== undefined,
    ...(source !== undefined ? { replicaOf: replicaSource(source, member.region) } : {}),
    replicas: state.replicaIdentifiers.map((r) => replicaSource(r, member.region)),
    ...(state.securityGroups ? { securityGroups: state.securityGroups } : {}),
  };
}

/** ReadReplicaSourceDBInstanceIdentifier as region and identifier: an identifier in the same region, an ARN across regions. */
function replicaSource(source: string, region: string): { region: string; identifier: string } {
  const arn = /^arn:[^:]+:rds:([^:]+):[^:]*:db:(.+)$/.exec(source);
  return arn ? { region: arn[1] as string, identifier: arn[2] as string } : { region, identifier: source };
}

/**
 * The global cluster as the first member region that answers tells it (primary first): RDS describes
 * a global database in each of its regions, and the primary's region may be the one that is dark.
 */
async function readGlobalCluster(ports: GuardPorts, db: Database): Promise<Read<GlobalClusterState | undefined>> {
  const regions = [...new Set(databaseMembers(db).map((m) => m.region))];
  let first: Read<GlobalClusterState | undefined> | undefined;
  for (const region of regions) {
    const read = await readSafely(() => ports.database.describeGlobalCluster(region, db.clusterIdentifier ?? ''));
    if (read.ok) return read;
    first ??= read;
  }
  return first ?? { ok: false, error: `global cluster ${db.clusterIdentifier} has no member region to read it in` };
}

/** Members, cluster and writer record of `db`, and the replica lag of `lagMembers` only (GetMetricData is billed per metric). */
export async function readDatabase(
  ports: GuardPorts,
  db: Database,
  lagMembers: readonly DatabaseMember[] = [],
): Promise<DatabaseSnapshot> {
  const clusterId = db.clusterIdentifier ?? '';
  const [cluster, globalCluster, writerRecord] = await Promise.all([
    db.engine === 'aurora-cluster'
      ? readSafely(() => ports.database.describeCluster(db.primary.region, clusterId))
      : undefined,
    db.engine === 'aurora-global' ? readGlobalCluster(ports, db) : undefined,
    readSafely(() => ports.dns.listRecordSets(db.writerDns.hostedZoneId, db.writerDns.name, 'CNAME')),
  ]);
  const members = databaseMembers(db);
  const [states, lags] = await Promise.all([
    Promise.all(members.map((m) => readSafely(() => memberState(ports, db, m, cluster, globalCluster)))),
    Promise.all(
      lagMembers.map((m) => readSafely(() => ports.database.replicaLagSeconds(m.region, m.identifier, db.engine))),
    ),
  ]);
  return {
    members: Object.fromEntries(members.map((m, i) => [m.id, states[i] as Read<MemberState>])),
    lags: Object.fromEntries(lagMembers.map((m, i) => [m.id, lags[i] as Read<number | undefined>])),
    writerRecord,
    ...(cluster ? { cluster } : {}),
    ...(globalCluster ? { globalCluster } : {}),
  };
}

export async function readTargetGroups(
  ports: GuardPorts,
  topology: Topology,
): Promise<Record<string, Read<LbTargetHealth[]>>> {
  const entries = await Promise.all(
    topology.loadBalancers.flatMap((lb) =>
      lb.targetGroups.map(
        async (arn) => [arn, await readSafely(() => ports.loadBalancer.describeTargetHealth(lb.region, arn))] as const,
      ),
    ),
  );
  return Object.fromEntries(entries);
}
