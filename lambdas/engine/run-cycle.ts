// One cycle of the guard: observe, plan, execute. What the CLI `run --once`, the drill and the
// scenario tests call. Everything after the probes runs under the cycle's deadline.
import { cycleDeadlineMs, planWithinDeadline, withinDeadline } from './cycle-deadline';
import { executePlan } from './executor';
import { observe } from './observe';
import { cycleReadinessEvidence } from './readiness/readiness';
import type { CycleReport, GuardContext } from './types';

export async function runCycle(ctx: GuardContext): Promise<CycleReport> {
  const started = ctx.now();
  const at = started.toISOString();
  const observations = await ctx.probe(ctx.topology);
  const deadlineMs = cycleDeadlineMs(ctx);
  return withinDeadline(ctx, deadlineMs, "cycle's deadline", async () => {
    const observed = await observe(ctx, { observations });
    const evidence = cycleReadinessEvidence(ctx.topology, started, observed.observations);
    const plan = await planWithinDeadline(ctx, deadlineMs, evidence);
    const execution = await executePlan(ctx, plan);
    return {
      checker: ctx.checker,
      at,
      observations: { total: observed.observations.length, failed: observed.observations.filter((o) => !o.ok).length },
      transitions: observed.transitions,
      plan,
      execution,
    };
  });
}
