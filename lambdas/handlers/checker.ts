// The checker's work, independent of how it is wired: each cycle observes (probe, health, view =
// heartbeat), plans, hands a non-empty plan to the actor, and publishes per-region aggregates.
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Topology } from '../domain/config/schema';
import { HealthStatus } from '../domain/health/types';
import { observe, planCycle, type GuardContext, type GuardPorts, type Plan } from '../engine';
import { repeatWithinWindow, loopWindow, type LoopClock } from './checker-loop';
import { cycleFigures, type CycleFigures } from './cycle-figures';
import { GuardMetric, JUDGED_REGION_DIMENSION, LogMessage } from './telemetry-names';

/** What the checker sends the actor: a hint only; the actor re-plans from the stored evidence. */
export interface ActorRequest {
  readonly checkerPlanId: string;
  readonly checker: string;
  readonly actions: number;
  readonly alerts: number;
}

export interface CheckerDeps {
  readonly topology: Topology;
  /** This checker's region. */
  readonly region: string;
  readonly ports: GuardPorts;
  readonly probe: GuardContext['probe'];
  readonly invokeActor: (request: ActorRequest) => Promise<void>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: LoopClock;
  /** Seconds after which no cycle starts. */
  readonly loopSeconds: number;
}

export interface CheckerResult {
  readonly cycles: number;
  readonly actorInvocations: number;
}

/** Time kept free after the last cycle starts: its probes' timeout plus the state reads and writes. */
export function cycleAllowanceMs(topology: Topology): number {
  return topology.checks.timeoutMs + 10_000;
}

function notHealthySummary(view: { health: Readonly<Record<string, { status: string }>> }): string {
  return Object.entries(view.health)
    .filter(([, h]) => h.status !== HealthStatus.HEALTHY)
    .map(([id, h]) => `${id}:${h.status}`)
    .sort()
    .join(', ');
}

function publishFigures(metrics: Metrics, figures: CycleFigures, plan: Plan | undefined): void {
  metrics.addMetric(GuardMetric.heartbeat, MetricUnit.Count, 1);
  metrics.addMetric(GuardMetric.probeFailures, MetricUnit.Count, figures.probeFailures);
  metrics.addMetric(GuardMetric.unhealthyTargets, MetricUnit.Count, figures.unhealthyTargets);
  // Published only when non-zero: a metric costs only in the hours it receives data.
  if (plan && plan.actions.length > 0) metrics.addMetric(GuardMetric.actionsPlanned, MetricUnit.Count, plan.actions.length);
  metrics.publishStoredMetrics();
  for (const [region, healthy] of Object.entries(figures.regionHealthy)) {
    const single = metrics.singleMetric();
    single.addDimension(JUDGED_REGION_DIMENSION, region);
    single.addMetric(GuardMetric.regionHealthy, MetricUnit.Count, healthy);
  }
}

export function createCheckerHandler(deps: CheckerDeps) {
  const { topology, region, logger } = deps;
  const ctx: GuardContext = {
    topology,
    checker: region,
    ports: deps.ports,
    now: () => new Date(deps.clock.nowMs()),
    dryRun: topology.guard.dryRun,
    probe: deps.probe,
    log: (entry) => logger.info(String(entry.event ?? 'engine'), entry),
  };

  async function cycle(index: number, counts: { actorInvocations: number }): Promise<void> {
    const started = deps.clock.nowMs();
    const observed = await observe(ctx);
    let plan: Plan | undefined;
    try {
      plan = await planCycle(ctx);
      logger.appendKeys({ planId: plan.id });
      if (plan.actions.length > 0 || plan.alerts.length > 0) {
        await deps.invokeActor({ checkerPlanId: plan.id, checker: region, actions: plan.actions.length, alerts: plan.alerts.length });
        counts.actorInvocations += 1;
      }
    } finally {
      // The view is saved, so this cycle's heartbeat counts even when planning failed.
      const figures = cycleFigures(topology, observed.view, observed.observations);
      publishFigures(deps.metrics, figures, plan);
      logger.info(LogMessage.cycle, {
        cycle: index,
        probes: observed.observations.length,
        probeFailures: figures.probeFailures,
        unhealthyTargets: figures.unhealthyTargets,
        notHealthy: notHealthySummary(observed.view),
        actions: plan?.actions.length ?? 0,
        alerts: plan?.alerts.length ?? 0,
        durationMs: deps.clock.nowMs() - started,
      });
    }
  }

  return async (_event: unknown, context: { getRemainingTimeInMillis(): number }): Promise<CheckerResult> => {
    const counts = { actorInvocations: 0 };
    const failures: Error[] = [];
    const window = loopWindow(topology.checks.intervalSeconds, deps.loopSeconds, context.getRemainingTimeInMillis(), cycleAllowanceMs(topology));
    const cycles = await repeatWithinWindow(
      async (index) => {
        try {
          await cycle(index, counts);
        } catch (error) {
          // Keep probing for the rest of the minute; the invocation fails at the end so the errors alarm fires.
          failures.push(error as Error);
          logger.error('checker.cycle-failed', { cycle: index, error: error as Error });
        } finally {
          logger.removeKeys(['planId']);
        }
      },
      window,
      deps.clock,
    );
    if (failures.length > 0) {
      throw new AggregateError(failures, `${failures.length} of ${cycles} checker cycles failed in ${region}; first: ${failures[0]!.message}`);
    }
    return { cycles, actorInvocations: counts.actorInvocations };
  };
}
