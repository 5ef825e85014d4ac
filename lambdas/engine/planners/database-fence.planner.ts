// Real fencing, level-triggered: every cycle, each fenced old primary of a database whose fence is
// "stop" or "isolate" is compared with what RDS shows. Not fenced → call (again); fenced since the
// last call → record and tell; RDS busy with it, or its region not answering → wait. A stopped
// instance RDS restarts after 7 days, or a security group put back by hand, is fenced again.
import { fenceMode } from '../../domain/config/fencing';
import type { Database } from '../../domain/config/schema';
import type { FencedMember } from '../state/guard-state';
import type { DatabaseFenceAction, MemberState, PlannerInput, SubPlanner } from '../types';
import { effectivePrimary } from './database-failover.planner';

/**
 * How long after a stop or isolate call RDS may still describe the instance as before it (its
 * describes lag the call): the call is not repeated meanwhile, for RDS refuses a second stop.
 */
const FENCE_CALL_SETTLE_SECONDS = 120;

type FenceSituation =
  | { readonly is: 'in-effect' }
  | { readonly is: 'needed' }
  | { readonly is: 'waiting'; readonly why: string };

/** isolate: only the isolation group left (groups being removed do not count), every one active. */
function isolationSituation(state: MemberState, securityGroupId: string): FenceSituation {
  const groups = (state.securityGroups ?? []).filter((g) => g.status !== 'removing');
  const onlyIsolation = groups.length > 0 && groups.every((g) => g.id === securityGroupId);
  if (onlyIsolation && groups.every((g) => g.status === 'active')) return { is: 'in-effect' };
  if (onlyIsolation || state.status === 'modifying')
    return { is: 'waiting', why: `RDS is applying its security groups (${state.status})` };
  return { is: 'needed' };
}

/** stop: "stopped" is fenced; only an available instance can be stopped; anything else is waited out. */
function stopSituation(state: MemberState): FenceSituation {
  if (state.status === 'stopped') return { is: 'in-effect' };
  if (state.status === 'available') return { is: 'needed' };
  return { is: 'waiting', why: `it is ${state.status ?? 'in an unknown state'}; StopDBInstance needs it available` };
}

function situation(
  input: PlannerInput,
  db: Database,
  memberId: string,
  mode: 'stop' | 'isolate',
  securityGroupId: string | undefined,
): FenceSituation {
  const read = input.databases[db.id]?.members[memberId];
  if (!read) return { is: 'waiting', why: 'its state was not read' };
  if (!read.ok) return { is: 'waiting', why: `its region does not answer (${read.error})` };
  if (!read.value.exists) return { is: 'in-effect' };
  return mode === 'stop' ? stopSituation(read.value) : isolationSituation(read.value, securityGroupId ?? '');
}

/** What every fence action of a member says: where, which instance, and its key (one fence step per member a plan). */
function fenceActionBase(db: Database, memberId: string) {
  const member = [db.primary, ...db.replicas].find((m) => m.id === memberId);
  return {
    kind: 'database.fence' as const,
    resource: db.id,
    region: member?.region ?? db.primary.region,
    key: `database:${db.id}:fence:${memberId}`,
    // A fence keeps writes from diverging: no cooldown holds it.
    urgent: true,
    databaseId: db.id,
    member: memberId,
    identifier: member?.identifier ?? memberId,
  };
}

function fenceAction(
  db: Database,
  memberId: string,
  fenced: FencedMember,
  mode: 'stop' | 'isolate',
  step: 'apply' | 'confirm',
  securityGroupId: string | undefined,
): DatabaseFenceAction {
  const base = fenceActionBase(db, memberId);
  const identifier = base.identifier;
  const how =
    mode === 'stop'
      ? `StopDBInstance ${identifier}`
      : `ModifyDBInstance ${identifier} VpcSecurityGroupIds=[${securityGroupId}]`;
  return {
    ...base,
    mode,
    step,
    ...(securityGroupId ? { securityGroupId } : {}),
    reason:
      step === 'confirm'
        ? `RDS shows ${memberId} ${mode === 'stop' ? 'stopped' : `isolated in ${securityGroupId}`}: fenced since ${fenced.reason}`
        : `${memberId} was fenced (${fenced.reason}) and RDS shows it still ${mode === 'stop' ? 'running' : 'in its own security groups'}: ${how}`,
  };
}

/** Why a fence RDS shows not in effect is not called again yet: the last call is too recent for RDS to show it. */
function callSettling(input: PlannerInput, fenced: FencedMember): string | undefined {
  const fence = fenced.fence;
  if (!fence || fence.confirmedAt !== undefined) return undefined;
  const ageSeconds = Math.round((Date.parse(input.now) - Date.parse(fence.requestedAt)) / 1000);
  if (ageSeconds >= FENCE_CALL_SETTLE_SECONDS) return undefined;
  return `RDS does not show the call made ${ageSeconds}s ago yet (its describes lag a call); not called again for ${FENCE_CALL_SETTLE_SECONDS - ageSeconds}s`;
}

/**
 * The fenced member is a replica of the current writer again: it was rebuilt (RDS cannot make the
 * diverged instance itself a replica; a new instance took its identifier), so it holds no diverged
 * writes and may take writes again only by a promotion. rds-instance only: Aurora rejoins by itself.
 */
function rejoinedAsReplica(input: PlannerInput, db: Database, memberId: string): string | undefined {
  if (db.engine !== 'rds-instance') return undefined;
  const read = input.databases[db.id]?.members[memberId];
  if (!read?.ok || !read.value.exists || read.value.status !== 'available') return undefined;
  const writer = effectivePrimary(db, input.guardState);
  const source = read.value.replicaOf;
  if (writer.id === memberId || source?.identifier !== writer.identifier || source.region !== writer.region)
    return undefined;
  return writer.id;
}

function liftAction(db: Database, memberId: string, fenced: FencedMember, writer: string): DatabaseFenceAction {
  return {
    ...fenceActionBase(db, memberId),
    mode: fenceMode(db),
    step: 'lift',
    reason: `RDS shows ${memberId} available and replicating from the writer ${writer}: it was rebuilt as a replica, so the fence (since ${fenced.reason}) is lifted; it takes writes again only if promoted (failback, or a failover)`,
  };
}

export const databaseFencePlanner: SubPlanner = (input) => {
  const actions: DatabaseFenceAction[] = [];
  const notes: string[] = [];
  for (const [memberId, fenced] of Object.entries(input.guardState.fencedMembers)) {
    const db = input.topology.databases.find((d) => d.id === fenced.databaseId);
    if (!db) continue;
    const writer = rejoinedAsReplica(input, db, memberId);
    if (writer) {
      actions.push(liftAction(db, memberId, fenced, writer));
      continue;
    }
    const mode = fenceMode(db);
    if (mode === 'none') continue;
    const member = [db.primary, ...db.replicas].find((m) => m.id === memberId);
    const securityGroupId = mode === 'isolate' && member ? db.isolationSecurityGroups?.[member.region] : undefined;
    const now = situation(input, db, memberId, mode, securityGroupId);
    const settling = now.is === 'needed' ? callSettling(input, fenced) : undefined;
    if (settling) notes.push(`fence (${mode}) of ${memberId} (${db.id}) waits: ${settling}`);
    else if (now.is === 'needed') actions.push(fenceAction(db, memberId, fenced, mode, 'apply', securityGroupId));
    else if (now.is === 'in-effect' && fenced.fence?.confirmedAt === undefined)
      actions.push(fenceAction(db, memberId, fenced, mode, 'confirm', securityGroupId));
    else if (now.is === 'waiting') notes.push(`fence (${mode}) of ${memberId} (${db.id}) waits: ${now.why}`);
  }
  return { actions, alerts: [], notes };
};
