// A cycle's deadline: every port call made inside `work` fails once it passes (ports/deadline.ts), so a
// hung control plane ends the cycle with a failed read instead of holding it past the function's timeout.
import type { ReadinessEvidence } from '../domain/readiness/readiness-report';
import { deadlineAfter, withDeadline } from '../ports/deadline';
import { planCycle } from './plan-cycle';
import type { GuardContext, Plan } from './types';

/** How long a cycle's cloud calls may take after its probes (guard.aws.cycleDeadlineSeconds). */
export function cycleDeadlineMs(ctx: Pick<GuardContext, 'topology'>): number {
  return ctx.topology.guard.aws.cycleDeadlineSeconds * 1000;
}

/** Runs `work` under a deadline of `ms` from now (on the context's deadline clock when it has one). */
export function withinDeadline<T>(
  ctx: Pick<GuardContext, 'startDeadline'>,
  ms: number,
  what: string,
  work: () => Promise<T>,
): Promise<T> {
  return withDeadline((ctx.startDeadline ?? deadlineAfter)(ms, what), work);
}

/**
 * Plans with its cloud reads bounded by half of `ms`: a read that hangs becomes a failed read in time
 * for the rest of the cycle to act on what it could read and to tell what it could not.
 */
export function planWithinDeadline(ctx: GuardContext, ms: number, evidence?: ReadinessEvidence): Promise<Plan> {
  return withinDeadline(ctx, ms / 2, "plan's reads deadline", () => planCycle(ctx, evidence));
}
