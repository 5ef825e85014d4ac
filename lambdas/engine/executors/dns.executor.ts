// Executes the DNS actions of one record: each change is one compare-and-swap batch built from a
// fresh read. When the record changed since it was planned (or a batch loses the CAS), the record
// is re-read and re-planned, a bounded number of times, never overwritten blindly.
import type { DnsRecord } from '../../domain/config/schema';
import { sameRecordSet } from '../../adapters/record-sets';
import type { RecordSet } from '../../ports/dns.port';
import { DnsConflictError } from '../../ports/errors';
import { applyDnsEdit, casChanges, setsAfter, type EditResult } from '../dns-edit';
import { recordScope } from '../cloud-read-scope';
import { gatherPlannerInput } from '../plan-cycle';
import { planDnsRecord } from '../planners/dns-healing.planner';
import { pulledTargetKey, without, type PulledTarget } from '../state/guard-state';
import type { ActionResult, DnsAction } from '../types';
import { railFor, sessionTime, updateSessionGuard, withCooldown, withDnsChange, type ExecutionSession } from './session';

type Report = (result: ActionResult) => Promise<void>;

function pulledEntry(session: ExecutionSession, action: DnsAction, result: EditResult): PulledTarget {
  const before = result.before;
  const base = { recordId: action.recordId, endpoint: action.endpoint, at: sessionTime(session), planId: session.plan.id };
  if (action.edit.shape === 'ip-set') return { ...base, values: action.edit.values.filter((v) => before?.values.includes(v)) };
  if (action.edit.op === 'weight') return { ...base, ...(before?.weight !== undefined ? { weight: before.weight } : {}) };
  return { ...base, ...(before ? { recordSet: before } : {}) };
}

async function readSets(session: ExecutionSession, record: DnsRecord): Promise<RecordSet[]> {
  return session.ctx.ports.dns.listRecordSets(record.hostedZoneId, record.name, record.type);
}

/** A fresh plan for this record alone, from a fresh read of everything the planner needs. */
async function replan(session: ExecutionSession, record: DnsRecord): Promise<{ sets: RecordSet[]; actions: DnsAction[] }> {
  const input = await gatherPlannerInput(session.ctx, session.plan.id, recordScope(record.id));
  const read = input.records[record.id];
  if (!read?.ok) throw new Error(`cannot re-read ${record.name} ${record.type} to re-plan it${read && !read.ok ? `: ${read.error}` : ''}`);
  session.guard = input.guardState;
  return { sets: read.value, actions: planDnsRecord(input, record, read.value).actions };
}

/** Applies one change: write-ahead of what is pulled (so it can be restored exactly), the CAS batch, then the bookkeeping. */
async function applyChange(session: ExecutionSession, record: DnsRecord, action: DnsAction, result: EditResult): Promise<void> {
  const key = pulledTargetKey(action.recordId, action.endpoint);
  if (action.kind === 'dns.pull') {
    await updateSessionGuard(session, (s) => ({ ...s, pulledTargets: { ...s.pulledTargets, [key]: pulledEntry(session, action, result) } }));
  }
  try {
    await session.ctx.ports.dns.changeRecordSets(record.hostedZoneId, casChanges(result), `failover-guard ${session.plan.id}: ${action.kind} ${action.endpoint}`);
  } catch (error) {
    if (action.kind === 'dns.pull') await updateSessionGuard(session, (s) => ({ ...s, pulledTargets: without(s.pulledTargets, key) }));
    throw error;
  }
  const at = sessionTime(session);
  const windowSeconds = session.ctx.topology.guard.maxDnsChanges.windowSeconds;
  await updateSessionGuard(session, (s) => {
    const counted = withCooldown(withDnsChange(s, at, windowSeconds), action.key, at);
    return action.kind === 'dns.restore' ? { ...counted, pulledTargets: without(counted.pulledTargets, key) } : counted;
  });
}

function matchesPlan(action: DnsAction, result: EditResult | undefined): boolean {
  const planned = action.before as RecordSet | undefined;
  if (!result) return false;
  if (!planned || !result.before) return planned === result.before;
  return sameRecordSet(planned, result.before);
}

export async function executeDnsRecordActions(session: ExecutionSession, record: DnsRecord, planned: readonly DnsAction[], tell: Report): Promise<void> {
  // The pulls were planned counting an urgent restore as served: once it fails, they wait for the next cycle's plan.
  let failedRestore: DnsAction | undefined;
  const report: Report = async (result) => {
    if (result.outcome === 'failed' && result.action.kind === 'dns.restore' && result.action.urgent) failedRestore ??= result.action;
    await tell(result);
  };
  let queue = [...planned];
  let sets: RecordSet[];
  try {
    sets = await readSets(session, record);
  } catch (error) {
    for (const action of queue) await report({ action, outcome: 'failed', detail: `cannot read ${record.name} ${record.type}: ${(error as Error).message}` });
    return;
  }
  let replans = 0;
  let first = true;
  while (queue.length > 0) {
    const action = queue.shift() as DnsAction;
    // Only the first action is compared with the plan: later ones follow our own writes (or a rail's hold).
    const checkPlanned = first;
    first = false;
    if (action.kind === 'dns.pull' && failedRestore) {
      await report({ action, outcome: 'skipped', detail: `held, the urgent restore of ${failedRestore.endpoint} to ${record.name} ${record.type} failed in this execution; pulling now could leave fewer than minHealthy (${record.minHealthy}) answers (re-planned next cycle)` });
      continue;
    }
    const rail = railFor(session, action);
    if (rail) {
      await report({ action, ...rail });
      continue;
    }
    let result: EditResult | undefined;
    try {
      result = applyDnsEdit(record, sets, action.edit);
    } catch (error) {
      await report({ action, outcome: 'failed', detail: (error as Error).message });
      continue;
    }
    const changedSincePlanned = checkPlanned && !matchesPlan(action, result);
    try {
      if (changedSincePlanned) throw new DnsConflictError(`${record.name} ${record.type} changed between planning and execution`);
      if (!result) {
        await report({ action, outcome: 'skipped', detail: 'record already as wanted; nothing to change' });
        continue;
      }
      await applyChange(session, record, action, result);
      sets = setsAfter(sets, result);
      await report({ action, outcome: 'applied', detail: `${record.name} ${record.type}: ${action.kind === 'dns.pull' ? 'pulled' : 'restored'} ${action.endpoint} (compare-and-swap batch)` });
    } catch (error) {
      if (!(error instanceof DnsConflictError)) {
        await report({ action, outcome: 'failed', detail: (error as Error).message });
        continue;
      }
      replans += 1;
      if (replans > session.options.dnsConflictRetries) {
        await report({ action, outcome: 'failed', detail: `${record.name} ${record.type} kept changing under the guard; gave up after ${session.options.dnsConflictRetries} re-plans (${error.message})` });
        return;
      }
      await report({ action, outcome: 'skipped', detail: `record changed since it was read (${error.message}); re-read and re-planned`, superseded: true });
      try {
        ({ sets, actions: queue } = await replan(session, record));
      } catch (replanError) {
        await report({ action, outcome: 'failed', detail: (replanError as Error).message });
        return;
      }
    }
  }
}
