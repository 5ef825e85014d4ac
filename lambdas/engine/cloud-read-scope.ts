// Which cloud state a cycle reads. Route 53 record sets and RDS state are read when the plan could
// act on them, replica lag (CloudWatch GetMetricData, billed per metric) only when a promotion could
// follow; everything else waits for the drift read, once per `guard.driftCheckSeconds`. Nothing read
// is kept between cycles, so a decision only ever sees values read in its own cycle.
import type { Database, DatabaseMember, Topology } from '../domain/config/schema';
import { liveCheckers } from '../domain/health/quorum';
import { HealthStatus, type CheckerView } from '../domain/health/types';
import type { StoredDocument } from '../ports/state-store.port';
import { databaseMembers } from '../domain/config/targets';
import { effectivePrimary } from './planners/database-failover.planner';
import type { GuardState } from './state/guard-state';
import { isOpen } from './state/runbook';
import { type Runbook } from './state/runbook-kinds';

/** Why a cycle reads what it reads (logged with the cycle). */
export type CloudReadReason = 'drift' | 'readiness' | 'runbook' | 'suspect' | 'idle' | 'everything' | 'replan';

export interface CloudReadScope {
  readonly reason: CloudReadReason;
  /** Record ids whose record sets are read. */
  readonly records: ReadonlySet<string>;
  /** Database ids whose members, cluster and writer record are read. */
  readonly databases: ReadonlySet<string>;
  /** Database id → the members whose replica lag is read (never the acting primary: no decision uses its lag). */
  readonly lags: ReadonlyMap<string, readonly DatabaseMember[]>;
}

export interface ReadScopeInput {
  readonly topology: Topology;
  readonly views: readonly CheckerView[];
  readonly guardState: GuardState;
  readonly runbooks: readonly StoredDocument<Runbook>[];
  readonly now: Date;
}

/** Replicas of the acting primary: the members a promotion could choose, whose lag it needs. */
function lagCandidates(db: Database, state: GuardState): DatabaseMember[] {
  const primary = effectivePrimary(db, state);
  return databaseMembers(db).filter((m) => m.id !== primary.id);
}

/** Every record, database and replica lag of the topology. */
export function everythingScope(
  topology: Topology,
  state: GuardState,
  reason: CloudReadReason = 'everything',
): CloudReadScope {
  return {
    reason,
    records: new Set(topology.dns.map((r) => r.id)),
    databases: new Set(topology.databases.map((db) => db.id)),
    lags: new Map(topology.databases.map((db) => [db.id, lagCandidates(db, state)])),
  };
}

/** One record only: a re-plan of that record after a lost compare-and-swap. */
export function recordScope(recordId: string): CloudReadScope {
  return { reason: 'replan', records: new Set([recordId]), databases: new Set(), lags: new Map() };
}

/**
 * True for the first cycle of each drift period (clock-aligned, so no read time has to be stored
 * and written): a cycle starting within one interval after a multiple of driftCheckSeconds.
 */
export function driftReadDue(now: Date, driftCheckSeconds: number, intervalSeconds: number): boolean {
  if (intervalSeconds >= driftCheckSeconds) return true;
  return now.getTime() % (driftCheckSeconds * 1000) < intervalSeconds * 1000;
}

/**
 * Endpoints that some live checker does not see HEALTHY, or that no live checker reports yet:
 * anything the planners could act on this cycle starts here (a quorum verdict, a dark region and a
 * blind checker are all made of these views).
 */
function notHealthyEverywhere(
  topology: Topology,
  views: readonly CheckerView[],
  now: Date,
): (endpoint: string) => boolean {
  const live = liveCheckers(views, now, topology.guard.heartbeatStaleSeconds);
  return (endpoint) => {
    const seen = live.map((v) => v.health[endpoint]?.status).filter((s) => s !== undefined);
    return seen.length === 0 || seen.some((s) => s !== HealthStatus.HEALTHY);
  };
}

/** What this cycle reads: everything when the drift read is due or a runbook is open, else only what the plan could act on. */
export function cloudReadScope(input: ReadScopeInput): CloudReadScope {
  const { topology, guardState, now } = input;
  if (driftReadDue(now, topology.guard.driftCheckSeconds, topology.checks.intervalSeconds))
    return everythingScope(topology, guardState, 'drift');
  if (input.runbooks.some((r) => isOpen(r.value))) return everythingScope(topology, guardState, 'runbook');
  const suspect = notHealthyEverywhere(topology, input.views, now);
  const pulledRecords = new Set(Object.values(guardState.pulledTargets).map((p) => p.recordId));
  const records = topology.dns
    .filter((r) => pulledRecords.has(r.id) || r.targets.some((t) => suspect(t.endpoint)))
    .map((r) => r.id);
  const databases = topology.databases.filter((db) => databaseMembers(db).some((m) => suspect(m.id)));
  const promotable = databases.filter((db) => suspect(effectivePrimary(db, guardState).id));
  const any = records.length > 0 || databases.length > 0;
  return {
    reason: any ? 'suspect' : 'idle',
    records: new Set(records),
    databases: new Set(databases.map((db) => db.id)),
    lags: new Map(promotable.map((db) => [db.id, lagCandidates(db, guardState)])),
  };
}
