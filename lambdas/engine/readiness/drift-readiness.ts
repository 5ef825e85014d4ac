// Readiness of the topology the guard works from: no drift between it and the account, either way.
// Deleted: a record, or a database member, the topology names and the account lacks. Added outside the
// topology: a record set or record value the guard never pulls, a read replica or cluster member it never
// promotes, a target registered behind its load balancers it never probes. Judged from the readiness
// cycle's reads: the records, databases and target groups the topology names, and the addresses of the
// instances registered in those target groups (the account inventory, readiness-reads.ts).
import { isIP } from 'node:net';
import type { Database, DnsRecord, LoadBalancer } from '../../domain/config/schema';
import { databaseMembers } from '../../domain/config/targets';
import { ReadinessRule, type ReadinessEvidence, type ReadinessRow } from '../../domain/readiness/readiness-report';
import type { RecordSet } from '../../ports/dns.port';
import { targetValues } from '../planners/dns-healing.planner';
import type { DatabaseSnapshot, PlannerInput } from '../types';
import type { Rule } from './readiness';
import { isInstanceId } from './readiness-reads';

function drifted(resource: string, region: string | undefined, why: string, fix: string): ReadinessRow {
  return { rule: ReadinessRule.drift, resource, ...(region ? { region } : {}), ready: false, why, fix };
}

const ADD_VALUE_FIX =
  "add the endpoint serving it to the topology and to the record's targets (failover-guard discover <config> merges it in), or remove the value from the record";

/** Values of `set` that none of `known` is: served by something the guard never probes or pulls. */
function valueDrift(set: RecordSet, known: ReadonlySet<string>, label: string): ReadinessRow[] {
  return set.values
    .filter((value) => !known.has(value))
    .map((value) =>
      drifted(
        `${label} ${value}`,
        undefined,
        `${value} is served by ${label} but is in no target of the topology: the guard never probes or pulls it`,
        ADD_VALUE_FIX,
      ),
    );
}

/** A record deleted from its zone; record sets and record values the account holds that the topology does not name. */
function recordDrift(planner: PlannerInput, record: DnsRecord): ReadinessRow[] {
  const { topology } = planner;
  const read = planner.records[record.id];
  if (!read?.ok) return [];
  if (read.value.length === 0)
    return [
      drifted(
        record.name,
        undefined,
        `${record.name} ${record.type} is in the topology but not in zone ${record.hostedZoneId}`,
        'recreate the record, or remove it from the topology',
      ),
    ];
  if (record.routing === 'ip-set') {
    const set = read.value.find((s) => s.setIdentifier === undefined);
    const known = new Set(record.targets.flatMap((t) => targetValues(topology, t, record.type)));
    return set ? valueDrift(set, known, record.name) : [];
  }
  return read.value.flatMap((set) => {
    const target = record.targets.find((t) => (t.setIdentifier ?? t.endpoint) === set.setIdentifier);
    if (set.setIdentifier === undefined) return [];
    if (!target)
      return [
        drifted(
          `${record.name} [${set.setIdentifier}]`,
          undefined,
          `record set ${set.setIdentifier} is in the zone but not in the topology: the guard never pulls or moves it`,
          "add it to the record's targets, or delete it from the zone",
        ),
      ];
    // An alias set, or a target whose addresses the topology does not give, has no values to compare.
    const known = new Set(targetValues(topology, target, record.type));
    return known.size === 0 ? [] : valueDrift(set, known, `${record.name} [${set.setIdentifier}]`);
  });
}

/** `identifier@region` of an Aurora DB cluster ARN (arn:partition:rds:region:account:cluster:identifier). */
function clusterOfArn(arn: string): { region: string; identifier: string } | undefined {
  const match = /^arn:[^:]+:rds:([^:]+):[^:]*:cluster:(.+)$/.exec(arn);
  return match ? { region: match[1] as string, identifier: match[2] as string } : undefined;
}

/** Members of `db`'s Aurora cluster or global database (as RDS lists them) that the topology does not name. */
function auroraMembersAdded(db: Database, snapshot: DatabaseSnapshot): { region: string; identifier: string }[] {
  if (db.engine === 'aurora-cluster' && snapshot.cluster?.ok)
    return (snapshot.cluster.value?.members ?? []).map((m) => ({
      region: db.primary.region,
      identifier: m.instanceIdentifier,
    }));
  if (db.engine === 'aurora-global' && snapshot.globalCluster?.ok)
    return (snapshot.globalCluster.value?.members ?? []).flatMap((m) => clusterOfArn(m.clusterArn) ?? []);
  return [];
}

/** Database members deleted in RDS; read replicas and Aurora members RDS lists that the topology does not name. */
function databaseDrift(planner: PlannerInput, db: Database): ReadinessRow[] {
  const snapshot = planner.databases[db.id];
  if (!snapshot) return [];
  const members = databaseMembers(db);
  const known = new Set(members.map((m) => `${m.region}/${m.identifier}`));
  const unknown = (r: { region: string; identifier: string }) => !known.has(`${r.region}/${r.identifier}`);
  const added = (r: { region: string; identifier: string }, how: string) =>
    drifted(
      `${r.identifier}@${r.region}`,
      r.region,
      `${r.identifier} ${how} but is not in the topology: the guard never promotes it`,
      `add it to ${db.id}'s replicas (failover-guard discover <config> merges it in), or delete it`,
    );
  const rows = members.flatMap((m) => {
    const read = snapshot.members[m.id];
    if (!read?.ok) return [];
    if (!read.value.exists)
      return [
        drifted(
          m.id,
          m.region,
          `${m.identifier} is in the topology (${db.id}) but not in RDS in ${m.region}`,
          `remove ${m.id} from ${db.id}, or recreate it`,
        ),
      ];
    return (read.value.replicas ?? []).filter(unknown).map((r) => added(r, `replicates from ${m.identifier}`));
  });
  const how = db.engine === 'aurora-global' ? 'is a cluster of global database' : 'is an instance of cluster';
  return [
    ...rows,
    ...auroraMembersAdded(db, snapshot)
      .filter(unknown)
      .map((r) => added(r, `${how} ${db.clusterIdentifier}`)),
  ];
}

/** The target group's name, from its ARN (…:targetgroup/<name>/<id>). */
const groupName = (arn: string) => arn.split(':targetgroup/')[1]?.split('/')[0] ?? arn;

/**
 * Targets registered in a target group of `lb` that are no server of the topology: an IP target by its address,
 * an instance by its instance id (a server's instanceId, as discover drafts it) or by its addresses where EC2 was
 * read. A group is judged only when the topology names at least one of its targets as a server (it models that
 * group's servers): a topology that lists a load balancer alone is not told every target it never meant to list.
 * An instance whose addresses were not read is judged by instance id alone, and only in a group some of whose
 * targets the topology names by instance id.
 */
function targetDrift(planner: PlannerInput, lb: LoadBalancer, evidence: ReadinessEvidence): ReadinessRow[] {
  const servers = planner.topology.servers.filter((s) => s.region === lb.region);
  const knownIps = new Set(servers.flatMap((s) => (s.ip ? [s.ip] : [])));
  const knownInstances = new Set(servers.flatMap((s) => (s.instanceId ? [s.instanceId] : [])));
  const instances = evidence.targetInstances?.addresses[lb.region] ?? {};
  return lb.targetGroups.flatMap((arn) => {
    const read = planner.targetGroups[arn];
    if (!read?.ok) return [];
    const targets = read.value.map(({ targetId: id }) => {
      const instance = isInstanceId(id);
      const addresses = instance ? (instances[id] ?? []) : isIP(id) !== 0 ? [id] : [];
      const named = (instance && knownInstances.has(id)) || addresses.some((a) => knownIps.has(a));
      return { id, instance, addresses, named };
    });
    const byInstanceId = targets.some((t) => t.instance && knownInstances.has(t.id));
    if (!targets.some((t) => t.named)) return [];
    return targets
      .filter((t) => !t.named && (t.addresses.length > 0 || (t.instance && byInstanceId)))
      .map((t) =>
        drifted(
          `${lb.id} ${t.id}`,
          lb.region,
          `${t.id}${t.instance && t.addresses.length > 0 ? ` (${t.addresses.join(', ')})` : ''} is registered in target group ${groupName(arn)} of ${lb.id} but is no server of the topology: the guard never probes it`,
          `add it to the topology's servers (failover-guard discover <config> --region ${lb.region} merges it in), or deregister it`,
        ),
      );
  });
}

/** A region whose instances could not be read: its targets' drift is unknown, and said so. */
function uncheckedTargets(evidence: ReadinessEvidence): ReadinessRow[] {
  return (evidence.targetInstances?.unread ?? []).map(({ region, reason }) =>
    drifted(
      `instances@${region}`,
      region,
      `could not check the instances registered behind the topology's load balancers in ${region}: ${reason}`,
      `let the guard call ec2:DescribeInstances in ${region} (the construct grants it: look for an SCP or permission boundary denying it; from a workstation, your own role)`,
    ),
  );
}

export const driftReadiness: Rule = ({ planner, evidence }) => {
  const { topology } = planner;
  const rows = [
    ...topology.dns.flatMap((record) => recordDrift(planner, record)),
    ...topology.databases.flatMap((db) => databaseDrift(planner, db)),
    ...topology.loadBalancers.flatMap((lb) => targetDrift(planner, lb, evidence)),
    ...uncheckedTargets(evidence),
  ];
  if (rows.length > 0) return rows;
  return [
    {
      rule: ReadinessRule.drift,
      resource: topology.name,
      ready: true,
      why: 'every record, record set and value, database member, replica and load balancer target is in both the topology and the account',
    },
  ];
};
