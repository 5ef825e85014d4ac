// Database failover: confirm the primary is down (its probe AND the RDS API), choose the best
// replica, promote it, wait across cycles until the promotion is complete, then repoint the
// writer CNAME and fence the old primary. The runbook in the state store says where it stands.
import { databaseMembers, guardRegions } from '../../domain/config/targets';
import type { Database, DatabaseMember } from '../../domain/config/schema';
import { HealthStatus } from '../../domain/health/types';
import type { StoredDocument } from '../../ports/state-store.port';
import { openRegionRunbookFor } from '../region/region-runbook';
import type { GuardState } from '../state/guard-state';
import { isOpen, isStepDone, stepOf } from '../state/runbook';
import type { DatabaseSnapshot, MemberState, PlanAlert, PlannedAction, PlannerInput, SubPlanner } from '../types';
import { redundancyAfter } from './database-redundancy';
import { describeVerdict, verdictStatus } from './evidence';
import {
  lagProblem,
  replicaSourceProblem,
  stillChanging,
  TRANSIENT_STATUSES,
  untouchedReplica,
} from './promotion-state';
import {
  DATABASE_RUNBOOK_KIND,
  databaseRunbookOf,
  type DatabaseRunbook,
  type PromotionMethod,
  type Runbook,
} from '../state/runbook-kinds';

export const DATABASE_RUNBOOK_STEPS = ['promote', 'repoint-writer'] as const;

/** The member acting as primary: the last one the guard promoted, else the configured primary. */
export function effectivePrimary(db: Database, state: GuardState): DatabaseMember {
  const id = state.databasePrimaries[db.id];
  return databaseMembers(db).find((m) => m.id === id) ?? db.primary;
}

/** The checker that acts on databases: the first live checker in the configured region order. */
export function designatedActor(input: PlannerInput): string | undefined {
  const live = new Set(input.liveCheckers);
  return guardRegions(input.topology).find((r) => live.has(r)) ?? [...input.liveCheckers].sort()[0];
}

function methodFor(db: Database): PromotionMethod {
  if (db.engine === 'aurora-cluster') return 'failover-cluster';
  if (db.engine === 'aurora-global') return 'failover-global-cluster';
  return 'promote-read-replica';
}

interface Candidate {
  readonly member: DatabaseMember;
  readonly lag: number | undefined;
  readonly state: MemberState;
}

/** Why a replica cannot be promoted; `lagOnly` when only its lag stands in the way (allowDataLoss overrides). */
function rejection(
  input: PlannerInput,
  db: Database,
  snap: DatabaseSnapshot,
  member: DatabaseMember,
  primary: DatabaseMember,
): { why?: string; lagOnly?: boolean; candidate?: Candidate } {
  const fenced = input.guardState.fencedMembers[member.id];
  if (fenced) return { why: `fenced since ${fenced.at} (${fenced.reason})` };
  const read = snap.members[member.id];
  if (!read || !read.ok) return { why: `RDS state unreadable${read && !read.ok ? `: ${read.error}` : ''}` };
  const state = read.value;
  if (!state.exists) return { why: 'does not exist' };
  if (state.status !== 'available') return { why: `status is ${state.status}` };
  if (db.engine === 'rds-instance' && !state.isReplica) return { why: 'is not a read replica' };
  const sourceProblem = replicaSourceProblem(db, state, primary);
  if (sourceProblem) return { why: sourceProblem };
  if (db.engine === 'aurora-global' && !state.arn) return { why: 'cluster ARN unknown' };
  const health = verdictStatus(input, member.id);
  if (health !== HealthStatus.HEALTHY)
    return {
      why: `its own probe is ${health ? describeVerdict(input, member.id) : 'not reported by any live checker'}`,
    };
  const lagRead = snap.lags[member.id];
  const candidate = { member, lag: lagRead?.ok ? lagRead.value : undefined, state };
  const lagWhy = lagProblem(db, lagRead);
  return lagWhy ? { why: lagWhy, lagOnly: true, candidate } : { candidate };
}

/** Best first: promotion priority, then the least lag (unknown last), then the primary's region, then config order. */
function compareCandidates(primaryRegion: string) {
  return (a: Candidate, b: Candidate) =>
    a.member.promotionPriority - b.member.promotionPriority ||
    (a.lag ?? Number.POSITIVE_INFINITY) - (b.lag ?? Number.POSITIVE_INFINITY) ||
    Number(b.member.region === primaryRegion) - Number(a.member.region === primaryRegion);
}

function promotionComplete(db: Database, state: MemberState | undefined): boolean {
  if (!state?.exists || state.status !== 'available') return false;
  return db.engine === 'rds-instance' ? !state.isReplica : state.isWriter === true;
}

/**
 * Deterministic per database and failed primary (`database-failover-<db>-<primary>-<n>`, n counting
 * earlier runbooks of that prefix), so two actors reading the same store name the same runbook and one
 * compare-and-swap create wins; a given-up runbook, or a later failure of the new primary, gets a new id.
 */
function databaseRunbookId(
  db: Database,
  failedPrimary: DatabaseMember,
  existing: readonly StoredDocument<Runbook>[],
): string {
  const prefix = `${DATABASE_RUNBOOK_KIND}-${db.id}-${failedPrimary.id}-`;
  return `${prefix}${existing.filter((r) => r.value.id.startsWith(prefix)).length + 1}`;
}

function startFailover(
  input: PlannerInput,
  db: Database,
  snap: DatabaseSnapshot,
  alerts: PlanAlert[],
  notes: string[],
): PlannedAction[] {
  const primary = effectivePrimary(db, input.guardState);
  if (verdictStatus(input, primary.id) !== HealthStatus.UNHEALTHY) return [];
  const probe = describeVerdict(input, primary.id);
  const read = snap.members[primary.id];
  const base = { resource: db.id, region: primary.region, about: primary.id };
  if (!read || !read.ok) {
    alerts.push({
      ...base,
      key: `database.unconfirmed:${db.id}`,
      eventType: 'database.unconfirmed',
      severity: 'critical',
      reason: `primary ${primary.id} probe ${probe}, but its RDS state cannot be read${read && !read.ok ? `: ${read.error}` : ''}; no promotion until the API confirms`,
    });
    return [];
  }
  const state = read.value;
  if (state.exists && state.status === 'available') {
    alerts.push({
      ...base,
      key: `database.probe-disagrees:${db.id}`,
      eventType: 'database.probe-disagrees',
      severity: 'critical',
      reason: `primary ${primary.id} probe failing (${probe}) but RDS reports available; no promotion (check network paths and security groups)`,
    });
    return [];
  }
  if (state.exists && state.status && TRANSIENT_STATUSES.has(state.status)) {
    alerts.push({
      ...base,
      key: `database.primary-transient:${db.id}`,
      eventType: 'database.primary-busy',
      severity: 'warning',
      reason: `primary ${primary.id} probe failing (${probe}); RDS reports ${state.status}, so RDS is at work on it: waiting`,
    });
    return [];
  }
  const confirmation = state.exists ? `RDS reports ${state.status}` : 'RDS no longer knows the instance';
  if (db.engine === 'aurora-global' && !db.allowDataLoss) {
    // Without AllowDataLoss FailoverGlobalCluster is a switchover, which RDS refuses while the writer cluster is down.
    const others =
      databaseMembers(db)
        .filter((m) => m.id !== primary.id)
        .map((m) => m.id)
        .join(' or ') || 'another cluster';
    alerts.push({
      ...base,
      key: `database.no-candidate:${db.id}`,
      eventType: 'database.no-candidate',
      severity: 'critical',
      reason: `primary ${primary.id} is down (${confirmation}) and allowDataLoss is off: a switchover to ${others} needs the writer cluster ${primary.identifier}, which is down; set allowDataLoss: true on ${db.id} to fail over without it (writes not yet replicated may be lost), or fail over by hand`,
    });
    return [];
  }
  const rejected: { member: string; why: string }[] = [];
  const qualified: Candidate[] = [];
  const lagOnly: Candidate[] = [];
  for (const member of databaseMembers(db).filter((m) => m.id !== primary.id)) {
    const verdict = rejection(input, db, snap, member, primary);
    if (!verdict.why && verdict.candidate) qualified.push(verdict.candidate);
    else {
      rejected.push({ member: member.id, why: verdict.why ?? 'not eligible' });
      if (verdict.lagOnly && verdict.candidate) lagOnly.push(verdict.candidate);
    }
  }
  const order = compareCandidates(primary.region);
  let chosen = qualified.sort(order)[0];
  let dataLossNote = '';
  if (!chosen && db.allowDataLoss && lagOnly.length > 0) {
    chosen = lagOnly.sort(order)[0];
    dataLossNote = `; allowDataLoss: promoting ${chosen?.member.id} despite ${rejected.find((r) => r.member === chosen?.member.id)?.why}, unreplicated writes may be lost`;
  }
  if (!chosen) {
    const whys = rejected.map((r) => `${r.member}: ${r.why}`).join('; ');
    alerts.push({
      ...base,
      key: `database.no-candidate:${db.id}`,
      eventType: 'database.no-candidate',
      severity: 'critical',
      reason: `primary ${primary.id} is down (${confirmation}) and no replica can be promoted: ${whys || 'no replicas configured'}`,
      details: { rejected },
    });
    return [];
  }
  const actor = designatedActor(input);
  if (actor !== input.checker) {
    notes.push(`database ${db.id}: promotion of ${chosen.member.id} is left to checker ${actor}`);
    return [];
  }
  const lagText = chosen.lag === undefined ? 'lag unknown' : `lag ${chosen.lag}s`;
  return [
    {
      ...base,
      kind: 'database.promote',
      databaseId: db.id,
      runbookId: databaseRunbookId(db, primary, input.runbooks),
      startsRunbook: true,
      oldPrimary: primary.id,
      candidate: chosen.member.id,
      method: methodFor(db),
      allowDataLoss: db.allowDataLoss,
      ...(chosen.state.arn ? { targetArn: chosen.state.arn } : {}),
      rejected: rejected.filter((r) => r.member !== chosen?.member.id),
      region: chosen.member.region,
      reason: `primary ${primary.id} ${probe}; ${confirmation}. Chose ${chosen.member.id} (priority ${chosen.member.promotionPriority}, ${lagText})${dataLossNote}`,
      before: { primary: primary.id },
      after: { primary: chosen.member.id },
      key: `database:${db.id}`,
      urgent: true,
    },
  ];
}

function continueFailover(
  input: PlannerInput,
  db: Database,
  snap: DatabaseSnapshot,
  runbook: DatabaseRunbook,
  alerts: PlanAlert[],
  notes: string[],
): PlannedAction[] {
  const data = runbook.data;
  const candidate = databaseMembers(db).find((m) => m.id === data.candidate);
  const common = { resource: db.id, databaseId: db.id, runbookId: runbook.id, key: `database:${db.id}`, urgent: true };
  if (!candidate) {
    return [
      {
        ...common,
        kind: 'database.abandon',
        region: db.primary.region,
        reason: `candidate ${data.candidate} is no longer in the config`,
      },
    ];
  }
  const read = snap.members[candidate.id];
  if (!read || !read.ok) {
    notes.push(
      `database ${db.id}: waiting, state of ${candidate.id} unreadable${read && !read.ok ? `: ${read.error}` : ''}`,
    );
    return [];
  }
  if (promotionComplete(db, read.value)) {
    const fenced = new Set([...Object.keys(input.guardState.fencedMembers), data.oldPrimary]);
    const redundancy = redundancyAfter(db, candidate.id, fenced, snap.members);
    return [
      {
        ...common,
        kind: 'database.repoint-writer',
        region: candidate.region,
        oldPrimary: data.oldPrimary,
        newPrimary: candidate.id,
        host: candidate.endpoint.host,
        redundancy,
        reason: `${candidate.id} is promoted and available; point ${db.writerDns.name} at it and fence ${data.oldPrimary}`,
        before: snap.writerRecord.ok ? snap.writerRecord.value.find((s) => s.type === 'CNAME')?.values : undefined,
        after: [candidate.endpoint.host],
      },
    ];
  }
  if (!read.value.exists) {
    return [
      {
        ...common,
        kind: 'database.abandon',
        region: candidate.region,
        reason: `candidate ${candidate.id} disappeared before its promotion completed`,
      },
    ];
  }
  const promoteStep = stepOf(runbook, 'promote');
  const called = isStepDone(runbook, 'promote') || (db.engine === 'rds-instance' && read.value.isReplica === false);
  // Timed from the runbook's start until the call is recorded: a candidate that never becomes promotable is given up too.
  const since = Date.parse(called ? (promoteStep?.at ?? runbook.startedAt) : runbook.startedAt);
  const waited = Math.round((Date.parse(input.now) - since) / 1000);
  const status = read.value.status ?? 'in an unknown state';
  if (waited > input.options.promotionTimeoutSeconds) {
    if (!stillChanging(db, snap, read.value)) {
      // Past the limit and RDS is done with it: give up, fencing a candidate a promotion may have reached.
      const fence = untouchedReplica(db, read.value) ? {} : { fence: candidate.id };
      return [
        {
          ...common,
          ...fence,
          kind: 'database.abandon',
          region: candidate.region,
          reason: `promotion of ${candidate.id} not complete after ${waited}s (limit ${input.options.promotionTimeoutSeconds}s); status ${status}`,
        },
      ];
    }
    // A promotion in progress is never abandoned: another replica promoted now would make two writers.
    alerts.push({
      key: `database.promotion-slow:${runbook.id}`,
      eventType: 'database.promotion-slow',
      severity: 'critical',
      resource: db.id,
      region: candidate.region,
      about: candidate.id,
      reason: `${candidate.id} is still ${status} ${waited}s into its promotion (promotionTimeoutSeconds ${input.options.promotionTimeoutSeconds}); runbook ${runbook.id} waits for RDS to finish or fail, it never promotes another replica meanwhile. Check ${candidate.identifier} in the RDS console (${candidate.region})`,
    });
  }
  if (called) {
    notes.push(`database ${db.id}: waiting for ${candidate.id} to finish its promotion (status ${status}, ${waited}s)`);
    return [];
  }
  if (read.value.status !== 'available') {
    // An accepted call whose step was never recorded (the invocation died) leaves the candidate 'modifying':
    // calling again would only be refused, so wait for RDS to finish or for the timeout.
    notes.push(
      `database ${db.id}: waiting, ${candidate.id} is ${status} (a promotion may be under way; not called again), ${waited}s`,
    );
    return [];
  }
  const lagWhy = db.allowDataLoss ? undefined : lagProblem(db, snap.lags[candidate.id]);
  if (lagWhy) {
    notes.push(`database ${db.id}: promotion of ${candidate.id} held: ${lagWhy}, ${waited}s`);
    return [];
  }
  return [
    {
      ...common,
      kind: 'database.promote',
      startsRunbook: false,
      oldPrimary: data.oldPrimary,
      candidate: candidate.id,
      method: data.method,
      allowDataLoss: data.allowDataLoss,
      ...(data.targetArn ? { targetArn: data.targetArn } : {}),
      rejected: data.rejected,
      region: candidate.region,
      reason: `resuming runbook ${runbook.id}: promote ${candidate.id} (attempt ${(promoteStep?.attempts ?? 0) + 1}${promoteStep?.error ? `; last error: ${promoteStep.error}` : ''})`,
      before: { primary: data.oldPrimary },
      after: { primary: candidate.id },
    },
  ];
}

export function openDatabaseRunbook(
  runbooks: readonly StoredDocument<Runbook>[],
  databaseId: string,
): DatabaseRunbook | undefined {
  return runbooks
    .map((r) => databaseRunbookOf(r.value))
    .find((r) => r !== undefined && isOpen(r) && r.data.databaseId === databaseId);
}

export const databaseFailoverPlanner: SubPlanner = (input) => {
  const actions: PlannedAction[] = [];
  const alerts: PlanAlert[] = [];
  const notes: string[] = [];
  for (const db of input.topology.databases) {
    const snap = input.databases[db.id];
    if (!snap) continue;
    const open = openDatabaseRunbook(input.runbooks, db.id);
    const region = open
      ? undefined
      : openRegionRunbookFor(
          input.runbooks.map((r) => r.value),
          db.id,
        );
    if (region) {
      // One owner per database: the region runbook moves this writer (or waits for approval to).
      notes.push(`database ${db.id}: left to region runbook ${region.id} (${region.status})`);
      continue;
    }
    if (!open) {
      actions.push(...startFailover(input, db, snap, alerts, notes));
      continue;
    }
    // One checker resumes, retries or gives up a runbook: the others would repeat its steps and notices.
    const actor = designatedActor(input);
    if (actor === input.checker) actions.push(...continueFailover(input, db, snap, open, alerts, notes));
    else notes.push(`database ${db.id}: runbook ${open.id} is left to checker ${actor}`);
  }
  return { actions, alerts, notes };
};
