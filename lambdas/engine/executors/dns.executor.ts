// Executes the DNS actions of one record: each change is one compare-and-swap batch over the whole
// record, built from a fresh read. When the record is not the one planned against (or a batch loses
// the CAS), the record is re-read and re-planned, a bounded number of times, never overwritten blindly.
import type { DnsRecord } from '../../domain/config/schema';
import type { RecordSet } from '../../ports/dns.port';
import { DnsConflictError } from '../../ports/errors';
import { recordScope } from '../cloud-read-scope';
import { applyDnsEdit, casChanges, sameRecord, setsAfter, type EditResult } from '../dns-edit';
import { gatherPlannerInput } from '../plan-cycle';
import { planDnsRecord, servedAnswers } from '../planners/dns-healing.planner';
import { pulledTargetKey, without, type GuardState, type PulledTarget } from '../state/guard-state';
import type { ActionResult, DnsAction } from '../types';
import {
  railFor,
  sessionTime,
  updateSessionGuard,
  withCooldown,
  withDnsChange,
  type ExecutionSession,
} from './session';
import { errorMessage } from '../../domain/errors';

type Report = (result: ActionResult) => Promise<void>;

/** Writes of the bookkeeping of an applied change before it is given up (the change itself stands). */
const BOOKKEEPING_ATTEMPTS = 3;

function pulledEntry(session: ExecutionSession, action: DnsAction, result: EditResult): PulledTarget {
  const before = result.before;
  const base = {
    recordId: action.recordId,
    endpoint: action.endpoint,
    at: sessionTime(session),
    planId: session.plan.id,
  };
  if (action.edit.shape === 'ip-set')
    return { ...base, values: action.edit.values.filter((v) => before?.values.includes(v)) };
  if (action.edit.op === 'weight')
    return { ...base, ...(before?.weight !== undefined ? { weight: before.weight } : {}) };
  return { ...base, ...(before ? { recordSet: before } : {}) };
}

async function readSets(session: ExecutionSession, record: DnsRecord): Promise<RecordSet[]> {
  return session.ctx.ports.dns.listRecordSets(record.hostedZoneId, record.name, record.type);
}

/** A fresh plan for this record alone, from a fresh read of everything the planner needs. */
async function replan(
  session: ExecutionSession,
  record: DnsRecord,
): Promise<{ sets: RecordSet[]; actions: DnsAction[] }> {
  const input = await gatherPlannerInput(session.ctx, session.plan.id, recordScope(record.id));
  const read = input.records[record.id];
  if (!read?.ok)
    throw new Error(
      `cannot re-read ${record.name} ${record.type} to re-plan it${read && !read.ok ? `: ${read.error}` : ''}`,
    );
  session.guard = input.guardState;
  return { sets: read.value, actions: planDnsRecord(input, record, read.value).actions };
}

/**
 * After a pull's batch failed: take back its write-ahead record only while the record, read again,
 * still serves the target, and only if the record is still this execution's. Another checker may
 * have won the race and pulled it: its record of the pull must survive. Unknown (the read fails): kept.
 * Taking back puts the record it replaced: a pull re-planned on a listing that predates an earlier
 * pull of the same target (Route 53 lagging) must not forget that earlier pull.
 */
async function forgetFailedPull(
  session: ExecutionSession,
  record: DnsRecord,
  action: DnsAction,
  key: string,
  replaced: PulledTarget | undefined,
): Promise<void> {
  let sets: RecordSet[];
  try {
    sets = await readSets(session, record);
  } catch {
    return;
  }
  let pulled: boolean;
  try {
    pulled = applyDnsEdit(record, sets, action.edit) === undefined;
  } catch {
    pulled = false;
  }
  if (pulled) return;
  await updateSessionGuard(session, (s) => {
    if (s.pulledTargets[key]?.planId !== session.plan.id) return s;
    return {
      ...s,
      pulledTargets: replaced ? { ...s.pulledTargets, [key]: replaced } : without(s.pulledTargets, key),
    };
  });
}

/**
 * Records an applied change: counted against the DNS rate cap and the cooldown, and the pull
 * record written again (a losing checker's clean-up may have removed it) or, for a restore,
 * forgotten. Retried; when the state store still fails, this execution counts it all the same and
 * the reason is returned, for the change is made and must be reported as applied.
 */
async function recordAppliedChange(
  session: ExecutionSession,
  action: DnsAction,
  entry: PulledTarget | undefined,
  after: readonly RecordSet[],
): Promise<string | undefined> {
  const at = sessionTime(session);
  const key = pulledTargetKey(action.recordId, action.endpoint);
  const windowSeconds = session.ctx.topology.guard.maxDnsChanges.windowSeconds;
  const written = { recordId: action.recordId, sets: after };
  const mutate = (s: GuardState): GuardState => {
    const counted = withCooldown(withDnsChange(s, at, windowSeconds, written), action.key, at);
    return {
      ...counted,
      pulledTargets: entry ? { ...counted.pulledTargets, [key]: entry } : without(counted.pulledTargets, key),
    };
  };
  let lastError: unknown;
  for (let attempt = 1; attempt <= BOOKKEEPING_ATTEMPTS; attempt += 1) {
    try {
      await updateSessionGuard(session, mutate);
      return undefined;
    } catch (error) {
      lastError = error;
    }
  }
  session.guard = mutate(session.guard);
  const problem = `the guard state could not record it after ${BOOKKEEPING_ATTEMPTS} attempts (${errorMessage(lastError)}); this execution still counts it against the rate cap and cooldown`;
  session.ctx.log?.({
    event: 'dns.bookkeeping-failed',
    level: 'error',
    kind: action.kind,
    resource: action.resource,
    planId: session.plan.id,
    error: errorMessage(lastError),
  });
  return problem;
}

/** Applies one change: write-ahead of what is pulled (so it can be restored exactly), the CAS batch, then the bookkeeping. */
async function applyChange(
  session: ExecutionSession,
  record: DnsRecord,
  action: DnsAction,
  result: EditResult,
): Promise<string | undefined> {
  const key = pulledTargetKey(action.recordId, action.endpoint);
  const entry = action.kind === 'dns.pull' ? pulledEntry(session, action, result) : undefined;
  let replaced: PulledTarget | undefined;
  if (entry)
    await updateSessionGuard(session, (s) => {
      replaced = s.pulledTargets[key];
      return { ...s, pulledTargets: { ...s.pulledTargets, [key]: entry } };
    });
  try {
    await session.ctx.ports.dns.changeRecordSets(
      record.hostedZoneId,
      casChanges(result),
      `failover-guard ${session.plan.id}: ${action.kind} ${action.endpoint}`,
    );
  } catch (error) {
    // A clean-up that fails keeps the record, which is the safe side; the batch's error is the one reported.
    if (entry) await forgetFailedPull(session, record, action, key, replaced).catch(() => undefined);
    throw error;
  }
  return recordAppliedChange(session, action, entry, setsAfter(result));
}

/** Why a pull must wait: it would leave fewer than minHealthy answers (an earlier action of the plan was not applied). */
function minHealthyHold(
  session: ExecutionSession,
  record: DnsRecord,
  result: EditResult,
  notApplied: readonly DnsAction[],
): string | undefined {
  const left = servedAnswers(session.ctx.topology, session.guard, record, setsAfter(result));
  if (left >= record.minHealthy) return undefined;
  const why =
    notApplied.length > 0
      ? `; the restore of ${notApplied.map((a) => a.endpoint).join(', ')} planned before it was not applied`
      : '';
  return `held: pulling now would leave ${left} answer(s) in ${record.name} ${record.type}, fewer than minHealthy (${record.minHealthy})${why}; re-planned next cycle`;
}

export async function executeDnsRecordActions(
  session: ExecutionSession,
  record: DnsRecord,
  planned: readonly DnsAction[],
  tell: Report,
): Promise<void> {
  // Restores not applied in this execution: the pulls were planned counting them as served.
  const notApplied: DnsAction[] = [];
  const report: Report = async (result) => {
    if (
      result.action.kind === 'dns.restore' &&
      (result.outcome === 'failed' || (result.outcome === 'skipped' && !result.superseded))
    )
      notApplied.push(result.action);
    await tell(result);
  };
  let queue = [...planned];
  let sets: RecordSet[];
  try {
    sets = await readSets(session, record);
  } catch (error) {
    for (const action of queue)
      await report({
        action,
        outcome: 'failed',
        detail: `cannot read ${record.name} ${record.type}: ${errorMessage(error)}`,
      });
    return;
  }
  // The whole record, every set of it, must be the one planned against; checked before the first change.
  let stale = queue.length > 0 && !sameRecord(queue[0]?.planned ?? [], sets);
  let replans = 0;
  for (let action = queue.shift(); action !== undefined; action = queue.shift()) {
    const rail = railFor(session, action);
    if (rail) {
      await report({ action, ...rail });
      continue;
    }
    try {
      if (stale) {
        stale = false;
        throw new DnsConflictError(`${record.name} ${record.type} changed between planning and execution`);
      }
      const result = applyDnsEdit(record, sets, action.edit);
      if (!result) {
        await report({ action, outcome: 'skipped', detail: 'record already as wanted; nothing to change' });
        continue;
      }
      const hold = action.kind === 'dns.pull' ? minHealthyHold(session, record, result, notApplied) : undefined;
      if (hold) {
        await report({ action, outcome: 'skipped', detail: hold });
        continue;
      }
      const problem = await applyChange(session, record, action, result);
      sets = setsAfter(result);
      const done = `${record.name} ${record.type}: ${action.kind === 'dns.pull' ? 'pulled' : 'restored'} ${action.endpoint} (compare-and-swap batch)`;
      await report({ action, outcome: 'applied', detail: problem ? `${done}; ${problem}` : done });
    } catch (error) {
      if (!(error instanceof DnsConflictError)) {
        await report({ action, outcome: 'failed', detail: errorMessage(error) });
        continue;
      }
      replans += 1;
      if (replans > session.options.dnsConflictRetries) {
        await report({
          action,
          outcome: 'failed',
          detail: `${record.name} ${record.type} kept changing under the guard; gave up after ${session.options.dnsConflictRetries} re-plans (${error.message})`,
        });
        return;
      }
      await report({
        action,
        outcome: 'skipped',
        detail: `record changed since it was read (${error.message}); re-read and re-planned`,
        superseded: true,
      });
      try {
        ({ sets, actions: queue } = await replan(session, record));
      } catch (replanError) {
        await report({ action, outcome: 'failed', detail: errorMessage(replanError) });
        return;
      }
    }
  }
}
