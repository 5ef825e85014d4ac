// executePlan: under the actor lease, run each planned action through the safety rails (dry run,
// pause, cooldown, DNS rate cap) and its idempotent handler; audit and notify every result.
import { randomUUID } from 'node:crypto';
import { executeDnsRecordActions } from './executors/dns.executor';
import { handlerFor } from './executors/handlers';
import { Notices } from './executors/notices';
import { railFor, updateSessionGuard, type ExecutionSession } from './executors/session';
import { engineOptions } from './plan-cycle';
import { readGuardState } from './state/guard-state';
import type { ActionResult, DnsAction, ExecutionReport, GuardContext, Plan, PlannedAction } from './types';
import { errorMessage } from '../domain/errors';

/** The lease that keeps two overlapping invocations of one checker from acting together. */
function actorLeaseName(checker: string): string {
  return `actor:${checker}`;
}

/** Actions in plan order, with each record's DNS actions gathered where its first one stands. */
function executionGroups(plan: Plan): (PlannedAction | DnsAction[])[] {
  const groups: (PlannedAction | DnsAction[])[] = [];
  const byRecord = new Map<string, DnsAction[]>();
  for (const action of plan.actions) {
    if (action.kind !== 'dns.pull' && action.kind !== 'dns.restore') {
      groups.push(action);
      continue;
    }
    const group = byRecord.get(action.recordId);
    if (group) group.push(action);
    else {
      const fresh = [action];
      byRecord.set(action.recordId, fresh);
      groups.push(fresh);
    }
  }
  return groups;
}

async function executeOne(
  session: ExecutionSession,
  action: PlannedAction,
  report: (r: ActionResult, details?: Readonly<Record<string, unknown>>) => Promise<void>,
): Promise<void> {
  const rail = railFor(session, action);
  if (rail) return report({ action, ...rail });
  const handler = handlerFor(action);
  if (!handler) return report({ action, outcome: 'failed', detail: `no handler for action kind "${action.kind}"` });
  try {
    const result = await handler(session, action);
    await report(
      { action, outcome: result.outcome, detail: result.detail, ...(result.superseded ? { superseded: true } : {}) },
      result.details,
    );
  } catch (error) {
    await report({ action, outcome: 'failed', detail: `${errorMessage(error)}; retried next cycle` });
  }
}

export async function executePlan(ctx: GuardContext, plan: Plan): Promise<ExecutionReport> {
  const options = engineOptions(ctx);
  const store = ctx.ports.store;
  const leaseName = actorLeaseName(ctx.checker);
  // A unique owner per invocation: two overlapping invocations of one checker must not share the lease.
  const owner = `${ctx.checker}/${randomUUID()}`;
  if (!(await store.acquireLease(leaseName, owner, options.leaseTtlMs))) {
    ctx.log?.({ event: 'execute.lease-busy', checker: ctx.checker, planId: plan.id });
    return {
      planId: plan.id,
      dryRun: plan.dryRun,
      leaseHeld: false,
      paused: ctx.topology.guard.paused,
      results: [],
      notificationsPublished: 0,
      notificationsFailed: 0,
    };
  }
  const { state } = await readGuardState(store);
  const paused = ctx.topology.guard.paused || state.paused;
  const results: ActionResult[] = [];
  const session: ExecutionSession = { ctx, plan, options, dryRun: plan.dryRun, paused, guard: state };
  const notices = new Notices(session);
  const report = async (result: ActionResult, details?: Readonly<Record<string, unknown>>) => {
    results.push(result);
    await notices.actionResult(result, details);
  };
  try {
    for (const group of executionGroups(plan)) {
      if (!Array.isArray(group)) {
        await executeOne(session, group, report);
        continue;
      }
      const record = ctx.topology.dns.find((r) => r.id === group[0]?.recordId);
      if (record) await executeDnsRecordActions(session, record, group, report);
      else
        for (const action of group)
          await report({
            action,
            outcome: 'failed',
            detail: `DNS record "${action.recordId}" is not in the topology config this actor runs with; nothing changed`,
          });
    }
    await notices.publishUnsent();
    for (const alert of plan.alerts) await notices.alert(alert);
    await updateSessionGuard(session, (s) => notices.settle(s));
  } finally {
    await store
      .releaseLease(leaseName, owner)
      .catch((error: unknown) =>
        ctx.log?.({ event: 'lease.release-failed', level: 'warn', error: errorMessage(error) }),
      );
  }
  const applied = results.filter((r) => r.outcome === 'applied').length;
  ctx.log?.({
    event: 'execute.summary',
    checker: ctx.checker,
    planId: plan.id,
    actions: results.length,
    applied,
    failed: results.filter((r) => r.outcome === 'failed').length,
    dryRun: plan.dryRun,
    paused,
  });
  return {
    planId: plan.id,
    dryRun: plan.dryRun,
    leaseHeld: true,
    paused,
    results,
    notificationsPublished: notices.published,
    notificationsFailed: notices.failed,
  };
}
