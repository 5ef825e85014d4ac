// Load balancer target health reports: remember the set reported, so the next change is told once.
// The report is claimed with a compare-and-swap of the guard state: of several checkers that saw
// the same change, only the one whose claim lands first tells it.
import type { LoadBalancerReportAction } from '../types';
import { updateSessionGuard, type ExecutionSession, type HandlerResult } from './session';

const sameTargets = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((t, i) => t === b[i]);

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
  if (!claimed)
    return {
      outcome: 'skipped',
      detail: 'another checker reported this change of target health first; not told twice',
      superseded: true,
    };
  return { outcome: 'applied', detail: action.reason, details: { unhealthy: action.unhealthy } };
}
