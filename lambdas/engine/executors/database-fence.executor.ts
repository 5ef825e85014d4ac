// The fence step: stop or isolate the old primary (the call RDS acts on in the background), or
// record that RDS shows it done. Either way the guard state says where the fence stands.
import { without, type FenceRecord } from '../state/guard-state';
import type { DatabaseFenceAction } from '../types';
import { sessionTime, updateSessionGuard, type ExecutionSession, type HandlerResult } from './session';

async function recordFence(
  session: ExecutionSession,
  action: DatabaseFenceAction,
  fence: (previous: FenceRecord | undefined) => FenceRecord,
): Promise<boolean> {
  let recorded = false;
  await updateSessionGuard(session, (s) => {
    const fenced = s.fencedMembers[action.member];
    // Failback may have lifted the fence since the plan was made: nothing to record then.
    if (!fenced) return s;
    recorded = true;
    return { ...s, fencedMembers: { ...s.fencedMembers, [action.member]: { ...fenced, fence: fence(fenced.fence) } } };
  });
  return recorded;
}

export async function executeFence(session: ExecutionSession, action: DatabaseFenceAction): Promise<HandlerResult> {
  const at = sessionTime(session);
  const stillFenced = session.guard.fencedMembers[action.member] !== undefined;
  if (!stillFenced)
    return { outcome: 'skipped', detail: `${action.member} is no longer fenced (failback lifted it); nothing to do` };
  if (action.step === 'lift') return liftFence(session, action);
  const mode = action.mode;
  if (mode === 'none') return { outcome: 'skipped', detail: `fence "none" of ${action.member}: nothing to call` };
  if (action.step === 'confirm') {
    await recordFence(session, action, (previous) => ({
      mode,
      requestedAt: previous?.requestedAt ?? at,
      confirmedAt: at,
    }));
    return {
      outcome: 'applied',
      detail: `${action.member} is ${action.mode === 'stop' ? 'stopped' : `isolated in ${action.securityGroupId}`}; fence confirmed`,
      details: { member: action.member, mode: action.mode },
    };
  }
  const database = session.ctx.ports.database;
  if (action.mode === 'stop') await database.stopInstance(action.region, action.identifier);
  else await database.isolateInstance(action.region, action.identifier, [action.securityGroupId ?? '']);
  await recordFence(session, action, () => ({ mode, requestedAt: at }));
  const call =
    action.mode === 'stop'
      ? `StopDBInstance ${action.identifier}`
      : `ModifyDBInstance ${action.identifier} VpcSecurityGroupIds=[${action.securityGroupId}]`;
  return {
    outcome: 'applied',
    detail: `${call} in ${action.region}; confirmed once RDS shows it`,
    details: { member: action.member, mode: action.mode },
  };
}

/** Forgets the fence of a member rebuilt as a replica of the writer: it may be promoted (failback) again. */
async function liftFence(session: ExecutionSession, action: DatabaseFenceAction): Promise<HandlerResult> {
  let lifted = false;
  await updateSessionGuard(session, (s) => {
    if (!s.fencedMembers[action.member]) return s;
    lifted = true;
    return { ...s, fencedMembers: without(s.fencedMembers, action.member) };
  });
  if (!lifted) return { outcome: 'skipped', detail: `${action.member} is no longer fenced; nothing to lift` };
  return {
    outcome: 'applied',
    detail: `fence of ${action.member} lifted: a replica of the writer again; failback may now make it the writer once it is promoted`,
    details: { member: action.member, mode: action.mode },
  };
}
