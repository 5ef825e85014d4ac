// Tells people: an audit entry for every action result, and an SNS notification for every action,
// failure to act and critical condition. Repeats (a held action, an open alert) are published
// once for all checkers, then again only after noticeRepeatSeconds: a checker first claims the
// notice with a compare-and-swap write of the guard state, and only the winner publishes. A failed
// publish releases the claim (so the next cycle tells it again) — or, for an applied action's
// notification, keeps it in the guard state for the next execution to publish — is logged at error
// and counted (the NotificationsFailed metric), and never blocks the actions.
import { randomUUID } from 'node:crypto';
import { buildNotification } from '../../domain/notifications/notification-builder';
import type { Notification, Severity } from '../../ports/notifier.port';
import { alertNoticeKey, type GuardState, type NoticeRecord, type UnsentNotification } from '../state/guard-state';
import { RegionActionKind, type ActionResult, type PlanAlert, type PlannedAction } from '../types';
import { actionHeadline, alertHeadline } from './notification-subjects';
import { sessionTime, updateSessionGuard, type ExecutionSession } from './session';
import { errorMessage } from '../../domain/errors';

function appliedSeverity(action: PlannedAction): Severity {
  if (action.kind === 'database.abandon' || action.kind === RegionActionKind.ABORT) return 'critical';
  // Good news: something is back.
  if (
    action.kind === 'dns.restore' ||
    (action.kind === 'database.fence' && action.step === 'lift') ||
    action.kind === 'load-balancer.targets-recovered' ||
    action.kind === 'readiness.restored' ||
    action.kind === RegionActionKind.HEARTBEAT_RESTORED
  )
    return 'info';
  return 'warning';
}

const outcomeSeverity = (result: ActionResult): Severity =>
  result.outcome === 'failed'
    ? 'critical'
    : result.outcome === 'applied'
      ? appliedSeverity(result.action)
      : result.outcome === 'skipped'
        ? 'warning'
        : 'info';

/** Applied actions are always told; repeats of the same hold, plan or failure only after the repeat interval. */
function noticeKey(result: ActionResult): string | undefined {
  if (result.outcome === 'applied') return undefined;
  const cause = result.outcome === 'failed' ? result.detail : result.detail.split(':')[0];
  return `${result.outcome}:${result.action.kind}:${result.action.key}:${cause}`;
}

/** At most this many unsent notifications are kept in the guard state; past it the oldest is dropped, logged at error. */
const MAX_UNSENT_NOTIFICATIONS = 20;

/** After a failed publish: what the log says about the retry, and what makes the retry happen. */
interface IfFailed {
  readonly retry: string;
  readonly recover: () => Promise<void>;
}

/** A notice this checker claimed in the guard state, with what was there before (to give it back). */
interface Claim {
  readonly key: string;
  readonly at: string;
  readonly previous: NoticeRecord | undefined;
}

export class Notices {
  /** Notice keys this execution raised, told or not. */
  private readonly raised = new Set<string>();
  published = 0;
  /** Publishes that failed; their claims were released so the next cycle tries again. */
  failed = 0;

  /** What earlier executions left unsent; this execution's own failures wait for the next one. */
  private readonly unsentBefore: readonly UnsentNotification[];

  constructor(private readonly session: ExecutionSession) {
    this.unsentBefore = session.guard.unsentNotifications ?? [];
  }

  private toldRecently(notice: NoticeRecord | undefined, at: string): boolean {
    return (
      notice !== undefined &&
      Date.parse(at) - Date.parse(notice.publishedAt) < this.session.options.noticeRepeatSeconds * 1000
    );
  }

  /**
   * True when this checker won the right to publish `key`: it was not told within the repeat
   * interval, and this checker's compare-and-swap claim got in before any other checker's.
   */
  private async claim(key: string): Promise<Claim | undefined> {
    const { session } = this;
    const at = sessionTime(session);
    const checker = session.ctx.checker;
    this.raised.add(key);
    if (this.toldRecently(session.guard.notices[key], at)) return undefined;
    let claim: Claim | undefined;
    await updateSessionGuard(session, (state) => {
      const current = state.notices[key];
      claim = this.toldRecently(current, at) ? undefined : { key, at, previous: current };
      if (!claim) return state;
      const raisedBy = [...new Set([...(current?.raisedBy ?? []), checker])];
      return { ...state, notices: { ...state.notices, [key]: { publishedAt: at, raisedBy } } };
    });
    return claim;
  }

  /** Gives a notice back as it was before this claim (unless another checker has told it since). */
  private async release(claim: Claim): Promise<void> {
    await updateSessionGuard(this.session, (state) => {
      if (state.notices[claim.key]?.publishedAt !== claim.at) return state;
      const { [claim.key]: _claimed, ...others } = state.notices;
      return { ...state, notices: claim.previous ? { ...others, [claim.key]: claim.previous } : others };
    });
  }

  /** Publishes; a failure is counted, logged at error and recovered from (claim released, or notification kept). */
  private async publish(notification: Notification, ifFailed: IfFailed): Promise<void> {
    const logError = (event: string, error: unknown, extra: Record<string, string> = {}) =>
      this.session.ctx.log?.({
        event,
        level: 'error',
        eventType: notification.eventType,
        resource: notification.resource,
        error: errorMessage(error),
        ...extra,
      });
    try {
      await this.session.ctx.ports.notifier.publish(notification);
      this.published += 1;
    } catch (error) {
      this.failed += 1;
      logError('notify.failed', error, { retry: ifFailed.retry });
      await ifFailed.recover().catch((recoverError: unknown) => logError('notify.recover-failed', recoverError));
    }
  }

  private releasing(claim: Claim): IfFailed {
    return { retry: 'next cycle (claim released)', recover: () => this.release(claim) };
  }

  /** An applied action is told once: a failed publish keeps its notification for the next execution. */
  private keeping(notification: Notification, previous?: UnsentNotification): IfFailed {
    return {
      retry: 'next cycle (kept in the guard state)',
      recover: () => this.keepUnsent(notification, previous),
    };
  }

  private async keepUnsent(notification: Notification, previous: UnsentNotification | undefined): Promise<void> {
    const kept: UnsentNotification = {
      id: previous?.id ?? randomUUID(),
      notification,
      failedAt: sessionTime(this.session),
      attempts: (previous?.attempts ?? 0) + 1,
    };
    let dropped: readonly UnsentNotification[] = [];
    await updateSessionGuard(this.session, (s) => {
      const all = [...(s.unsentNotifications ?? []), kept];
      dropped = all.slice(0, Math.max(0, all.length - MAX_UNSENT_NOTIFICATIONS));
      return { ...s, unsentNotifications: all.slice(dropped.length) };
    });
    for (const lost of dropped)
      this.session.ctx.log?.({
        event: 'notify.dropped',
        level: 'error',
        eventType: lost.notification.eventType,
        resource: lost.notification.resource,
        reason: `more than ${MAX_UNSENT_NOTIFICATIONS} notifications unsent; the oldest is dropped after ${lost.attempts} attempt(s)`,
      });
  }

  /**
   * Publishes the applied actions' notifications earlier executions could not, oldest first. Each is
   * taken out of the guard state by a compare-and-swap write before it is published, so two checkers
   * never both publish it; a failed publish puts it back.
   */
  async publishUnsent(): Promise<void> {
    for (const unsent of this.unsentBefore) {
      let taken = false;
      await updateSessionGuard(this.session, (s) => {
        const left = (s.unsentNotifications ?? []).filter((u) => u.id !== unsent.id);
        taken = left.length < (s.unsentNotifications ?? []).length;
        return taken ? { ...s, unsentNotifications: left } : s;
      });
      if (taken) await this.publish(unsent.notification, this.keeping(unsent.notification, unsent));
    }
  }

  private async audit(entry: Parameters<ExecutionSession['ctx']['ports']['store']['appendAudit']>[0]): Promise<void> {
    try {
      await this.session.ctx.ports.store.appendAudit(entry);
    } catch (error) {
      this.session.ctx.log?.({
        event: 'audit.failed',
        level: 'error',
        action: entry.action,
        resource: entry.resource,
        error: errorMessage(error),
      });
    }
  }

  async actionResult(result: ActionResult, details?: Readonly<Record<string, unknown>>): Promise<void> {
    const { session } = this;
    const { action } = result;
    const at = sessionTime(session);
    session.ctx.log?.({
      event: 'action',
      kind: action.kind,
      resource: action.resource,
      outcome: result.outcome,
      detail: result.detail,
      planId: session.plan.id,
    });
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
    if (result.superseded) return;
    const key = noticeKey(result);
    const claim = key ? await this.claim(key) : undefined;
    if (key && !claim) return;
    const suffix = result.outcome === 'applied' ? '' : `.${result.outcome}`;
    const notification = buildNotification({
      eventType: `${action.kind}${suffix}`,
      severity: outcomeSeverity(result),
      system: session.ctx.topology.name,
      headline: actionHeadline(action, result.outcome),
      resource: action.resource,
      region: action.region,
      reason: `${action.reason}. ${result.detail}`,
      before: action.before,
      after: action.after,
      planId: session.plan.id,
      dryRun: session.dryRun,
      at,
      details: { outcome: result.outcome, ...details },
    });
    await this.publish(notification, claim ? this.releasing(claim) : this.keeping(notification));
  }

  async alert(alert: PlanAlert): Promise<void> {
    const { session } = this;
    const claim = await this.claim(alertNoticeKey(alert.key));
    if (!claim) return;
    const at = sessionTime(session);
    session.ctx.log?.({ event: 'alert', key: alert.key, severity: alert.severity, reason: alert.reason });
    await this.audit({
      id: randomUUID(),
      at,
      checker: session.ctx.checker,
      planId: session.plan.id,
      action: alert.eventType,
      resource: alert.resource,
      outcome: 'skipped',
      reason: alert.reason,
      ...(alert.details ? { details: alert.details } : {}),
    });
    await this.publish(
      buildNotification({
        eventType: alert.eventType,
        severity: alert.severity,
        system: session.ctx.topology.name,
        headline: alertHeadline(alert),
        resource: alert.resource,
        ...(alert.region ? { region: alert.region } : {}),
        reason: alert.reason,
        planId: session.plan.id,
        dryRun: session.dryRun,
        at,
        ...(alert.details ? { details: alert.details } : {}),
      }),
      this.releasing(claim),
    );
  }

  /**
   * The guard state with this checker counted among the raisers of exactly the notices it raised
   * this time; a notice no checker raises any more is forgotten, so it is told anew if it comes
   * back. The same state object when nothing changes (then nothing is written).
   */
  settle(state: GuardState): GuardState {
    const checker = this.session.ctx.checker;
    let changed = false;
    const notices: Record<string, NoticeRecord> = {};
    for (const [key, notice] of Object.entries(state.notices)) {
      const raises = this.raised.has(key);
      const listed = notice.raisedBy.includes(checker);
      if (raises === listed) {
        notices[key] = notice;
        continue;
      }
      changed = true;
      const raisedBy = raises ? [...notice.raisedBy, checker] : notice.raisedBy.filter((c) => c !== checker);
      if (raisedBy.length > 0) notices[key] = { ...notice, raisedBy };
    }
    return changed ? { ...state, notices } : state;
  }
}
