// Which standby region takes over: the first in config order that can really carry the traffic.
// Moving users into a region that is unhealthy too would make things worse, so an unfit standby is
// rejected with every reason, and no standby at all means abort.
import type { Database, DatabaseMember, Topology } from '../../domain/config/schema';
import { probeTargets, standbyRegions } from '../../domain/config/targets';
import type { HealthStatus, Verdict } from '../../domain/health/types';
import type { DbClusterState, DbInstanceState } from '../../ports/database.port';

/** What the database API says about a standby replica (read by the engine before planning). */
export interface ReplicaCloudState {
  readonly instance?: DbInstanceState;
  readonly cluster?: DbClusterState;
  /** Latest replica lag in seconds; undefined when unknown (a dark source often leaves it unknown). */
  readonly lagSeconds?: number;
}

/** One database that moves with the region: its writer leaves the dark region for a replica in the standby. */
export interface DatabaseMove {
  readonly databaseId: string;
  readonly engine: Database['engine'];
  readonly fromMemberId: string;
  readonly toMemberId: string;
  readonly toIdentifier: string;
  readonly toRegion: string;
  readonly toEndpoint: { readonly host: string; readonly port: number };
  /** aurora-global: the global cluster to fail over and the target cluster's ARN. */
  readonly globalClusterIdentifier?: string;
  readonly targetClusterArn?: string;
  readonly allowDataLoss: boolean;
  readonly lagSeconds?: number;
}

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
  /** Members never to be used as writer again. */
  readonly fenced: ReadonlySet<string>;
  /** API state of each replica, by member id. */
  readonly replicas: ReadonlyMap<string, ReplicaCloudState>;
}

const BROKEN_REPLICATION = new Set(['error', 'stopped', 'terminated']);

const statusOf = (verdicts: ReadonlyMap<string, Verdict>, id: string): HealthStatus | 'UNKNOWN' => verdicts.get(id)?.status ?? 'UNKNOWN';

function memberById(db: Database, id: string): DatabaseMember | undefined {
  return [db.primary, ...db.replicas].find((m) => m.id === id);
}

/** Why a replica cannot take the writer role; empty when it can. */
function replicaProblems(db: Database, member: DatabaseMember, input: StandbyInput): string[] {
  const problems: string[] = [];
  const probe = statusOf(input.verdicts, member.id);
  if (probe !== 'HEALTHY') problems.push(`replica ${member.id} of ${db.id} is ${probe} by probe`);
  const state = input.replicas.get(member.id);
  if (db.engine === 'aurora-global') {
    if (!state?.cluster) problems.push(`cluster ${member.identifier} of ${db.id} not found in ${member.region}`);
    else if (state.cluster.status !== 'available') problems.push(`cluster ${member.identifier} of ${db.id} is ${state.cluster.status}`);
  } else if (!state?.instance) {
    problems.push(`replica ${member.identifier} of ${db.id} not found in ${member.region}`);
  } else if (state.instance.status !== 'available') {
    problems.push(`replica ${member.identifier} of ${db.id} is ${state.instance.status}`);
  } else if (state.instance.replicationStatus && BROKEN_REPLICATION.has(state.instance.replicationStatus)) {
    problems.push(`replication to ${member.identifier} of ${db.id} is ${state.instance.replicationStatus}`);
  }
  const lag = state?.lagSeconds;
  if (lag !== undefined && lag > db.maxLagSeconds && !db.allowDataLoss) {
    problems.push(`replica ${member.id} of ${db.id} lags ${lag} s, over maxLagSeconds ${db.maxLagSeconds} (allowDataLoss is off)`);
  }
  return problems;
}

/** Databases whose writer sits in the dark region, and how each moves to `region`. */
function databaseMoves(region: string, input: StandbyInput): { moves: DatabaseMove[]; problems: string[] } {
  const moves: DatabaseMove[] = [];
  const problems: string[] = [];
  for (const db of input.topology.databases) {
    const writerId = input.writers.get(db.id) ?? db.primary.id;
    const writer = memberById(db, writerId) ?? db.primary;
    if (writer.region !== input.darkRegion) continue;
    const candidates = db.replicas
      .filter((m) => m.region === region && !input.fenced.has(m.id) && m.id !== writer.id)
      .sort((a, b) => a.promotionPriority - b.promotionPriority);
    if (db.engine === 'aurora-cluster') {
      problems.push(`${db.id} is an aurora-cluster: its writer cannot move across regions (configure it as aurora-global)`);
      continue;
    }
    if (candidates.length === 0) {
      problems.push(`${db.id} has no replica in ${region} to take over its writer`);
      continue;
    }
    const rejected: string[] = [];
    const chosen = candidates.find((m) => {
      const why = replicaProblems(db, m, input);
      rejected.push(...why);
      return why.length === 0;
    });
    if (!chosen) {
      problems.push(...rejected);
      continue;
    }
    const state = input.replicas.get(chosen.id);
    moves.push({
      databaseId: db.id,
      engine: db.engine,
      fromMemberId: writer.id,
      toMemberId: chosen.id,
      toIdentifier: chosen.identifier,
      toRegion: chosen.region,
      toEndpoint: chosen.endpoint,
      ...(db.engine === 'aurora-global' && db.clusterIdentifier ? { globalClusterIdentifier: db.clusterIdentifier } : {}),
      ...(state?.cluster ? { targetClusterArn: state.cluster.arn } : {}),
      allowDataLoss: db.allowDataLoss,
      ...(state?.lagSeconds !== undefined ? { lagSeconds: state.lagSeconds } : {}),
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
      problems.push(`${record.name} would serve ${healthy.length} HEALTHY targets in ${region}, under minHealthy ${record.minHealthy} (${states})`);
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
