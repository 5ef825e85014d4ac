// One cycle of the guard: observe, plan, execute. What the CLI `run --once`, the drill and the
// scenario tests call. Everything after the probes runs under the cycle's deadline.
import { cycleDeadlineMs, withinDeadline } from './cycle-deadline';
import { executePlan } from './executor';
import { observe } from './observe';
import { planCycle } from './plan-cycle';
import type { CycleReport, GuardContext } from './types';

export async function runCycle(ctx: GuardContext): Promise<CycleReport> {
  const at = ctx.now().toISOString();
  const observations = await ctx.probe(ctx.topology);
  return withinDeadline(ctx, cycleDeadlineMs(ctx), "cycle's deadline", async () => {
    const observed = await observe(ctx, { observations });
    const plan = await planCycle(ctx);
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
