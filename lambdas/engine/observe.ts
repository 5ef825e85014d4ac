// Observe: probe every endpoint, fold the observations into this checker's health, and save the
// view (the checker's heartbeat). Logs each state change and one summary, never every probe.
import { probeTargets } from '../domain/config/targets';
import { advanceAll } from '../domain/health/state-machine';
import type { CheckerView, Thresholds } from '../domain/health/types';
import type { Topology } from '../domain/config/schema';
import { StateConflictError } from '../ports/errors';
import { readView, saveView } from './state/views';
import type { GuardContext, ObserveResult } from './types';

/** Thresholds per probed target id; DNS observations (`<record>@<ns>`) use the topology's defaults. */
export function thresholdsLookup(topology: Topology): (targetId: string) => Thresholds {
  const byId = new Map(probeTargets(topology).map((t) => [t.id, t.checks] as const));
  return (targetId) => byId.get(targetId) ?? topology.checks;
}

export async function observe(ctx: GuardContext): Promise<ObserveResult> {
  const observations = await ctx.probe(ctx.topology);
  const stored = await readView(ctx.ports.store, ctx.checker);
  const { health, transitions } = advanceAll(stored?.value.health ?? {}, observations, thresholdsLookup(ctx.topology));
  const view: CheckerView = { checker: ctx.checker, at: ctx.now().toISOString(), health };
  try {
    await saveView(ctx.ports.store, view, stored?.version ?? 0);
  } catch (error) {
    // An overlapping invocation of this checker wrote a fresher view: its heartbeat counts, ours is dropped.
    if (!(error instanceof StateConflictError)) throw error;
    ctx.log?.({ event: 'view.write-skipped', checker: ctx.checker, reason: error.message });
  }
  for (const t of transitions) {
    const last = t.evidence.at(-1);
    ctx.log?.({ event: 'health.transition', checker: ctx.checker, targetId: t.targetId, from: t.from, to: t.to, at: t.at, error: last?.error, detail: last?.detail });
  }
  const failed = observations.filter((o) => !o.ok).length;
  ctx.log?.({ event: 'observe.summary', checker: ctx.checker, probes: observations.length, failed, transitions: transitions.length });
  return { observations, transitions, view };
}
