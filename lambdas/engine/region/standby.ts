// Which standby region takes over: the first in config order that can really carry the traffic.
// Moving users into a region that is unhealthy too would make things worse, so an unfit standby is
// rejected with every reason, and no standby at all means abort.
import type { Database, DatabaseMember, Topology } from '../../domain/config/schema';
import { probeTargets, standbyRegions } from '../../domain/config/targets';
import type { HealthStatus, Verdict } from '../../domain/health/types';
import { lagProblem, replicaSourceProblem } from '../planners/promotion-state';
import type { DatabaseSnapshot } from '../types';
import { type DatabaseMove } from '../state/runbook-kinds';

export interface StandbyFitness {
  readonly region: string;
  readonly fit: boolean;
  readonly problems: readonly string[];
  readonly databases: readonly DatabaseMove[];
}

export interface StandbyChoice {
  /** The chosen standby; undefined → abort. */
  readonly target?: StandbyFitness;
  /** Every candidate considered, in order, with its problems. */
  readonly candidates: readonly StandbyFitness[];
}

export interface StandbyInput {
  readonly topology: Topology;
  readonly darkRegion: string;
  /** Verdicts of the trusted checkers (outside the dark region). */
  readonly verdicts: ReadonlyMap<string, Verdict>;
  /** Current writer member id of each database (the engine may have failed one over already). */
  readonly writers: ReadonlyMap<string, string>;
  /** Databases a database-failover runbook is already moving: left to it. */
  readonly busyDatabases: ReadonlySet<string>;
  /** Members never to be used as writer again. */
  readonly fenced: ReadonlySet<string>;
  /** What the database API says, by database id (read by the engine before planning). */
  readonly databases: Readonly<Record<string, DatabaseSnapshot>>;
}

const statusOf = (verdicts: ReadonlyMap<string, Verdict>, id: string): HealthStatus | 'UNKNOWN' =>
  verdicts.get(id)?.status ?? 'UNKNOWN';

function memberById(db: Database, id: string): DatabaseMember | undefined {
  return [db.primary, ...db.replicas].find((m) => m.id === id);
}

/** Why a replica cannot take the writer role; empty when it can. */
function replicaProblems(db: Database, member: DatabaseMember, writer: DatabaseMember, input: StandbyInput): string[] {
  const problems: string[] = [];
  const probe = statusOf(input.verdicts, member.id);
  if (probe !== 'HEALTHY') problems.push(`replica ${member.id} of ${db.id} is ${probe} by probe`);
  const snapshot = input.databases[db.id];
  const read = snapshot?.members[member.id];
  const what = db.engine === 'aurora-global' ? 'cluster' : 'replica';
  if (!read) problems.push(`${what} ${member.identifier} of ${db.id} was not read`);
  else if (!read.ok) problems.push(`${what} ${member.identifier} of ${db.id} could not be read: ${read.error}`);
  else if (!read.value.exists) problems.push(`${what} ${member.identifier} of ${db.id} not found in ${member.region}`);
  else if (read.value.status !== 'available')
    problems.push(`${what} ${member.identifier} of ${db.id} is ${read.value.status ?? 'in an unknown state'}`);
  const sourceProblem = read?.ok ? replicaSourceProblem(db, read.value, writer) : undefined;
  if (sourceProblem) problems.push(`replica ${member.id} of ${db.id} ${sourceProblem}`);
  const lag = db.allowDataLoss ? undefined : lagProblem(db, snapshot?.lags[member.id]);
  if (lag) problems.push(`replica ${member.id} of ${db.id}: ${lag} (allowDataLoss is off)`);
  return problems;
}

/** Databases whose writer sits in the dark region, and how each moves to `region`. */
function databaseMoves(region: string, input: StandbyInput): { moves: DatabaseMove[]; problems: string[] } {
  const moves: DatabaseMove[] = [];
  const problems: string[] = [];
  for (const db of input.topology.databases.filter((d) => !input.busyDatabases.has(d.id))) {
    const writerId = input.writers.get(db.id) ?? db.primary.id;
    const writer = memberById(db, writerId) ?? db.primary;
    if (writer.region !== input.darkRegion) continue;
    const candidates = db.replicas
      .filter((m) => m.region === region && !input.fenced.has(m.id) && m.id !== writer.id)
      .sort((a, b) => a.promotionPriority - b.promotionPriority);
    if (db.engine === 'aurora-cluster') {
      problems.push(
        `${db.id} is an aurora-cluster: its writer cannot move across regions (configure it as aurora-global)`,
      );
      continue;
    }
    if (candidates.length === 0) {
      problems.push(`${db.id} has no replica in ${region} to take over its writer`);
      continue;
    }
    if (db.engine === 'aurora-global' && !db.allowDataLoss) {
      // Without AllowDataLoss FailoverGlobalCluster is a switchover, which RDS refuses while the writer cluster is unreachable.
      problems.push(
        `${db.id} is an aurora-global database with allowDataLoss off: moving its writer to ${candidates.map((m) => m.identifier).join(' or ')} takes a switchover, which needs the writer cluster ${writer.identifier} in the dark ${input.darkRegion}; set allowDataLoss: true on ${db.id} to fail over without it (writes not yet replicated may be lost)`,
      );
      continue;
    }
    const rejected: string[] = [];
    const chosen = candidates.find((m) => {
      const why = replicaProblems(db, m, writer, input);
      rejected.push(...why);
      return why.length === 0;
    });
    if (!chosen) {
      problems.push(...rejected);
      continue;
    }
    const read = input.databases[db.id]?.members[chosen.id];
    const arn = read?.ok ? read.value.arn : undefined;
    const lag = input.databases[db.id]?.lags[chosen.id];
    const lagSeconds = lag?.ok ? lag.value : undefined;
    moves.push({
      databaseId: db.id,
      engine: db.engine,
      fromMemberId: writer.id,
      toMemberId: chosen.id,
      toIdentifier: chosen.identifier,
      toRegion: chosen.region,
      toEndpoint: chosen.endpoint,
      ...(db.engine === 'aurora-global' && db.clusterIdentifier
        ? { globalClusterIdentifier: db.clusterIdentifier }
        : {}),
      ...(arn ? { targetClusterArn: arn } : {}),
      allowDataLoss: db.allowDataLoss,
      ...(lagSeconds !== undefined ? { lagSeconds } : {}),
    });
  }
  return { moves, problems };
}

/** DNS records that serve the standby must have at least minHealthy HEALTHY targets there. */
function dnsProblems(region: string, input: StandbyInput): string[] {
  const regionOf = new Map(probeTargets(input.topology).map((t) => [t.id, t.region]));
  const problems: string[] = [];
  for (const record of input.topology.dns) {
    const there = record.targets.filter((t) => regionOf.get(t.endpoint) === region);
    if (there.length === 0) continue;
    const healthy = there.filter((t) => statusOf(input.verdicts, t.endpoint) === 'HEALTHY');
    if (healthy.length < record.minHealthy) {
      const states = there.map((t) => `${t.endpoint}: ${statusOf(input.verdicts, t.endpoint)}`).join(', ');
      problems.push(
        `${record.name} would serve ${healthy.length} HEALTHY targets in ${region}, under minHealthy ${record.minHealthy} (${states})`,
      );
    }
  }
  return problems;
}

export function assessStandby(region: string, input: StandbyInput): StandbyFitness {
  const hasEndpoints = probeTargets(input.topology).some((t) => t.region === region);
  const dns = dnsProblems(region, input);
  const { moves, problems: dbProblems } = databaseMoves(region, input);
  const problems = [...(hasEndpoints ? [] : [`${region} has no probed endpoints`]), ...dns, ...dbProblems];
  return { region, fit: problems.length === 0, problems, databases: moves };
}

/** The first standby region in config order (other than the dark one) that is fit to take over. */
export function chooseStandby(input: StandbyInput): StandbyChoice {
  const candidates = standbyRegions(input.topology)
    .filter((r) => r !== input.darkRegion)
    .map((r) => assessStandby(r, input));
  const target = candidates.find((c) => c.fit);
  return target ? { target, candidates } : { candidates };
}
