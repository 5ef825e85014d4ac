// Reports of a change (load balancer target health, readiness): remember what was reported, so the
// next change is told once. The report is claimed with a compare-and-swap of the guard state: of
// several checkers (or invocations) that saw the same change, only the one whose claim lands first tells it.
import { sameFailures } from '../../domain/readiness/readiness-report';
import type { LoadBalancerReportAction, ReadinessReportAction } from '../types';
import { updateSessionGuard, type ExecutionSession, type HandlerResult } from './session';

const sameTargets = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((t, i) => t === b[i]);

const toldFirst = {
  outcome: 'skipped',
  detail: 'another checker reported this change first; not told twice',
  superseded: true,
} as const;

export async function executeTargetHealthReport(
  session: ExecutionSession,
  action: LoadBalancerReportAction,
): Promise<HandlerResult> {
  const arn = action.targetGroupArn;
  let claimed = false;
  await updateSessionGuard(session, (s) => {
    claimed = sameTargets(s.reportedTargetHealth[arn] ?? [], action.reported);
    return claimed ? { ...s, reportedTargetHealth: { ...s.reportedTargetHealth, [arn]: action.unhealthy } } : s;
  });
  if (!claimed) return toldFirst;
  return { outcome: 'applied', detail: action.reason, details: { unhealthy: action.unhealthy } };
}

export async function executeReadinessReport(
  session: ExecutionSession,
  action: ReadinessReportAction,
): Promise<HandlerResult> {
  let claimed = false;
  const since = session.ctx.now().toISOString();
  await updateSessionGuard(session, (s) => {
    claimed = sameFailures(s.readiness.notReady, action.reported);
    return claimed ? { ...s, readiness: { notReady: action.notReady, since } } : s;
  });
  if (!claimed) return toldFirst;
  return { outcome: 'applied', detail: action.reason, details: { notReady: action.notReady } };
}
