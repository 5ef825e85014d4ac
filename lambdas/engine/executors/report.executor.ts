// Load balancer target health reports: remember the set reported, so the next change is told once.
import type { LoadBalancerReportAction } from '../types';
import { updateSessionGuard, type ExecutionSession, type HandlerResult } from './session';

export async function executeTargetHealthReport(session: ExecutionSession, action: LoadBalancerReportAction): Promise<HandlerResult> {
  await updateSessionGuard(session, (s) => ({ ...s, reportedTargetHealth: { ...s.reportedTargetHealth, [action.targetGroupArn]: action.unhealthy } }));
  return { outcome: 'applied', detail: action.reason, details: { unhealthy: action.unhealthy } };
}
