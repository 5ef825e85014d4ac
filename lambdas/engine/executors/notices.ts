// Tells people: an audit entry for every action result, and an SNS notification for every action,
// failure to act and critical condition. Repeats (a held action, an open alert) are published
// once, then again only after noticeRepeatSeconds. A failed publish is logged and never blocks.
import { randomUUID } from 'node:crypto';
import { buildNotification } from '../../domain/notifications/notification-builder';
import type { Notification, Severity } from '../../ports/notifier.port';
import type { ActionResult, PlanAlert, PlannedAction } from '../types';
import { sessionTime, type ExecutionSession } from './session';

function headline(action: PlannedAction): string {
  switch (action.kind) {
    case 'dns.pull':
      return `pull ${action.endpoint} from ${action.resource}`;
    case 'dns.restore':
      return `restore ${action.endpoint} to ${action.resource}`;
    case 'database.promote':
      return `promote ${action.candidate} for database ${action.databaseId}`;
    case 'database.repoint-writer':
      return `${action.databaseId} writer -> ${action.newPrimary}; ${action.replicasLeft} replica(s) left`;
    case 'database.abandon':
      return `give up failover of database ${action.databaseId}`;
    case 'load-balancer.targets-unhealthy':
      return `${action.unhealthy.length} unhealthy target(s) in ${action.resource.split('/').slice(-2, -1)[0] ?? action.resource}`;
    case 'load-balancer.targets-recovered':
      return `targets healthy again in ${action.resource.split('/').slice(-2, -1)[0] ?? action.resource}`;
    default:
      return `${action.kind} ${action.resource}`;
  }
}

function appliedSeverity(action: PlannedAction): Severity {
  if (action.kind === 'database.abandon') return 'critical';
  if (action.kind === 'dns.restore' || action.kind === 'load-balancer.targets-recovered') return 'info';
  return 'warning';
}

const outcomeSeverity = (result: ActionResult): Severity =>
  result.outcome === 'failed' ? 'critical' : result.outcome === 'applied' ? appliedSeverity(result.action) : result.outcome === 'skipped' ? 'warning' : 'info';

const outcomePrefix: Record<ActionResult['outcome'], string> = { applied: '', planned: 'plan: ', skipped: 'held: ', failed: 'FAILED: ' };

/** Applied actions are always told; repeats of the same hold, plan or failure only after the repeat interval. */
function noticeKey(session: ExecutionSession, result: ActionResult): string | undefined {
  if (result.outcome === 'applied') return undefined;
  const cause = result.outcome === 'failed' ? result.detail : result.detail.split(':')[0];
  return `${session.ctx.checker}:${result.outcome}:${result.action.kind}:${result.action.key}:${cause}`;
}

export class Notices {
  private readonly touched = new Map<string, string>();
  published = 0;

  constructor(private readonly session: ExecutionSession) {}

  /** True when `key` is new or was last told longer ago than the repeat interval; remembers it either way. */
  private due(key: string): boolean {
    const at = sessionTime(this.session);
    const last = this.session.guard.notices[key];
    const repeatMs = this.session.options.noticeRepeatSeconds * 1000;
    const due = !last || Date.parse(at) - Date.parse(last) >= repeatMs;
    this.touched.set(key, due ? at : (last as string));
    return due;
  }

  private async publish(notification: Notification): Promise<void> {
    try {
      await this.session.ctx.ports.notifier.publish(notification);
      this.published += 1;
    } catch (error) {
      this.session.ctx.log?.({ event: 'notify.failed', eventType: notification.eventType, resource: notification.resource, error: (error as Error).message });
    }
  }

  private async audit(entry: Parameters<ExecutionSession['ctx']['ports']['store']['appendAudit']>[0]): Promise<void> {
    try {
      await this.session.ctx.ports.store.appendAudit(entry);
    } catch (error) {
      this.session.ctx.log?.({ event: 'audit.failed', action: entry.action, resource: entry.resource, error: (error as Error).message });
    }
  }

  async actionResult(result: ActionResult, details?: Readonly<Record<string, unknown>>): Promise<void> {
    const { session } = this;
    const { action } = result;
    const at = sessionTime(session);
    session.ctx.log?.({ event: 'action', kind: action.kind, resource: action.resource, outcome: result.outcome, detail: result.detail, planId: session.plan.id });
    await this.audit({
      id: randomUUID(),
      at,
      checker: session.ctx.checker,
      planId: session.plan.id,
      action: action.kind,
      resource: action.resource,
      outcome: result.outcome,
      reason: `${action.reason} => ${result.detail}`,
      ...(details ? { details } : {}),
    });
    const key = noticeKey(session, result);
    if (key && !this.due(key)) return;
    const suffix = result.outcome === 'applied' ? '' : `.${result.outcome}`;
    await this.publish(
      buildNotification({
        eventType: `${action.kind}${suffix}`,
        severity: outcomeSeverity(result),
        system: session.ctx.topology.name,
        headline: `${outcomePrefix[result.outcome]}${headline(action)}`,
        resource: action.resource,
        region: action.region,
        reason: `${action.reason}. ${result.detail}`,
        before: action.before,
        after: action.after,
        planId: session.plan.id,
        dryRun: session.dryRun,
        at,
        details: { outcome: result.outcome, ...details },
      }),
    );
  }

  async alert(alert: PlanAlert): Promise<void> {
    const { session } = this;
    if (!this.due(`${session.ctx.checker}:alert:${alert.key}`)) return;
    const at = sessionTime(session);
    session.ctx.log?.({ event: 'alert', key: alert.key, severity: alert.severity, reason: alert.reason });
    await this.audit({ id: randomUUID(), at, checker: session.ctx.checker, planId: session.plan.id, action: alert.eventType, resource: alert.resource, outcome: 'skipped', reason: alert.reason, ...(alert.details ? { details: alert.details } : {}) });
    await this.publish(
      buildNotification({
        eventType: alert.eventType,
        severity: alert.severity,
        system: session.ctx.topology.name,
        headline: `${alert.eventType} ${alert.resource}`,
        resource: alert.resource,
        ...(alert.region ? { region: alert.region } : {}),
        reason: alert.reason,
        planId: session.plan.id,
        dryRun: session.dryRun,
        at,
        ...(alert.details ? { details: alert.details } : {}),
      }),
    );
  }

  /** This checker's notices as they stand after the cycle: those not raised again are forgotten, so they are told anew if they come back. */
  merge(all: Readonly<Record<string, string>>): Record<string, string> {
    const mine = `${this.session.ctx.checker}:`;
    const others = Object.fromEntries(Object.entries(all).filter(([key]) => !key.startsWith(mine)));
    return { ...others, ...Object.fromEntries(this.touched) };
  }
}
