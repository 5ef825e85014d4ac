// Reasons a person can read: why the planner thinks a target is down or back, from the quorum
// verdict and this checker's own evidence ("3 consecutive ETIMEDOUT; 2 of 2 checkers agree").
import { HealthStatus } from '../../domain/health/types';
import type { PlannerInput } from '../types';

export function verdictStatus(input: PlannerInput, targetId: string): HealthStatus | undefined {
  return input.verdicts.get(targetId)?.status;
}

/** "UNHEALTHY: 3 consecutive ETIMEDOUT; 2 of 3 checkers agree", or "no verdict (not probed by a live checker)". */
export function describeVerdict(input: PlannerInput, targetId: string): string {
  const verdict = input.verdicts.get(targetId);
  if (!verdict) return 'no verdict (not probed by a live checker)';
  const own = input.views.find((v) => v.checker === input.checker)?.health[targetId];
  const parts: string[] = [];
  if (own && verdict.status === HealthStatus.UNHEALTHY && own.consecutiveFailures > 0) {
    const last = own.recent.at(-1);
    parts.push(`${own.consecutiveFailures} consecutive ${last?.error ?? 'failures'}`);
  } else if (own && verdict.status === HealthStatus.HEALTHY && own.consecutiveSuccesses > 0) {
    parts.push(`${own.consecutiveSuccesses} consecutive successes`);
  }
  const voters = verdict.unhealthyVotes.length + verdict.healthyVotes.length;
  if (voters > 1) {
    const agreeing =
      verdict.status === HealthStatus.UNHEALTHY ? verdict.unhealthyVotes.length : verdict.healthyVotes.length;
    parts.push(`${agreeing} of ${voters} checkers agree`);
  }
  return parts.length > 0 ? `${verdict.status}: ${parts.join('; ')}` : verdict.status;
}
