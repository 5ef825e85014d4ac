// The checker's work, independent of how it is wired: each cycle observes (probe, health, view =
// heartbeat), plans, hands a non-empty plan to the actor, and publishes per-region aggregates.
// The schedule decides how many cycles one invocation runs: a minute's worth (loop) or one (tick).
// A sharded region runs one invocation per shard (the event names it): every shard probes its slice
// and writes its view; shard 0 plans from the shards' views merged, and so does a shard whose slice
// changed status this cycle. With `tick`, shard 0's tick queues the region's later cycles and shard 0
// starts the other shards on each (./shard-fan-out.ts).
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Topology } from '../domain/config/schema';
import { ownedBy, shardCount, type ShardRef } from '../domain/config/shards';
import type { CheckerView } from '../domain/health/types';
import { HealthStatus } from '../domain/health/types';
import { asError, errorMessage } from '../domain/errors';
import type { ReadinessEvidence } from '../domain/readiness/readiness-report';
import {
  cycleDeadlineMs,
  cycleReadinessEvidence,
  observe,
  readinessRows,
  planCycleWithInput,
  StateDocumentRejectedError,
  withinDeadline,
  type GuardContext,
  type GuardPorts,
  type Plan,
} from '../engine';
import { loopWindow, repeatWithinWindow, tickDelaysSeconds, type LoopClock, type LoopWindow } from './checker-loop';
import { queuedRegionCycleDelay, shardOfEvent } from '../contracts/checker-shard';
import { fanOutQueuedCycle, ShardFanOutError, type StartShardCycle } from './shard-fan-out';
import { readinessSignal } from './readiness-signal';
import { cycleFigures, type CycleFigures } from './cycle-figures';
import { engineLog, GuardMetric, JUDGED_REGION_DIMENSION, LogMessage } from '../contracts/telemetry-names';

/** What the checker sends the actor: a hint only; the actor re-plans from the stored evidence. */
export interface ActorRequest {
  readonly checkerPlanId: string;
  readonly checker: string;
  readonly actions: number;
  readonly alerts: number;
  /** In a readiness cycle: what the checker's probes and readiness reads saw, so the actor's re-plan evaluates readiness too. */
  readonly readiness?: ReadinessEvidence;
}

/** How one invocation paces its cycles. */
export type CheckerSchedule =
  /** Every interval inside the invocation; no cycle starts after `loopSeconds`. */
  | { readonly mode: 'loop'; readonly loopSeconds: number }
  /**
   * One cycle per invocation; shard 0's scheduled tick also queues the minute's later cycles, one for the
   * whole region each, and in a sharded region shard 0 starts the other shards on each queued cycle.
   */
  | {
      readonly mode: 'tick';
      readonly queueCycles: (delaysSeconds: readonly number[]) => Promise<void>;
      readonly startShardCycle: StartShardCycle;
    };

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
  readonly schedule: CheckerSchedule;
  /** @default - a real timer (tests pass a fake clock's) */
  readonly startDeadline?: GuardContext['startDeadline'];
  /** The health checks this stack keeps on data-plane record sets, per region. @default - none */
  readonly regionHealthChecks?: GuardContext['regionHealthChecks'];
  /** What a readiness cycle reads beyond the cycle's own. @default - none (see GuardContext.readinessReads) */
  readonly readinessReads?: GuardContext['readinessReads'];
  /**
   * Whether this stack's ReadinessFailures alarm is OK, read when readiness passes and the checker's
   * readiness-signal document does not say "ok" yet (./readiness-signal).
   * @default - never known OK: a zero every readiness period
   */
  readonly readinessAlarmIsOk?: () => Promise<boolean>;
}

export interface CheckerResult {
  readonly cycles: number;
  readonly actorInvocations: number;
  /** Cycles this invocation queued for later in the minute (tick schedule, shard 0's scheduled event only). */
  readonly queuedCycles?: number;
  /** Shards this invocation started on its queued cycle (tick schedule, a sharded region's shard 0 only). */
  readonly startedShards?: number;
}

/** The EventBridge schedule's event; a queued cycle arrives as an SQS event instead. */
function isScheduledTick(event: unknown): boolean {
  return (
    typeof event === 'object' && event !== null && 'detail-type' in event && event['detail-type'] === 'Scheduled Event'
  );
}

/** Time kept free after the last cycle starts: its probes' timeout plus its cloud calls' deadline. */
function cycleAllowanceMs(topology: Topology): number {
  return topology.checks.timeoutMs + topology.guard.aws.cycleDeadlineSeconds * 1000;
}

function notHealthySummary(view: { health: Readonly<Record<string, { status: string }>> }): string {
  return Object.entries(view.health)
    .filter(([, h]) => h.status !== HealthStatus.HEALTHY)
    .map(([id, h]) => `${id}:${h.status}`)
    .sort()
    .join(', ');
}

/**
 * The health signal: published straight after the probes are folded, before any other cloud call.
 * UnhealthyTargets only when non-zero (a metric is billed for the hours it receives data; the
 * heartbeat alarm reads the function's own invocations).
 */
function publishFigures(metrics: Metrics, figures: CycleFigures): void {
  if (figures.unhealthyTargets > 0) {
    metrics.addMetric(GuardMetric.unhealthyTargets, MetricUnit.Count, figures.unhealthyTargets);
    metrics.publishStoredMetrics();
  }
  publishRegionHealthy(metrics, figures.regionHealthy);
}

function publishRegionHealthy(metrics: Metrics, regionHealthy: CycleFigures['regionHealthy']): void {
  for (const [region, healthy] of Object.entries(regionHealthy)) {
    const single = metrics.singleMetric();
    single.addDimension(JUDGED_REGION_DIMENSION, region);
    single.addMetric(GuardMetric.regionHealthy, MetricUnit.Count, healthy);
  }
}

/**
 * The context observe() runs in: its summary line (probes, failures, transitions, the view's write)
 * goes into the cycle's summary instead of a line of its own, which would repeat the probe counts:
 * the log bytes of an idle cycle are billed in every cycle of every shard.
 */
function withObserveSummaryIn(ctx: GuardContext, summary: Record<string, unknown>): GuardContext {
  return {
    ...ctx,
    log: (entry) => {
      if (entry.event !== 'observe.summary') return ctx.log?.(entry);
      const { event, checker, shard, probes, failed, ...rest } = entry;
      Object.assign(summary, rest);
    },
  };
}

export function createCheckerHandler(deps: CheckerDeps) {
  /** RegionHealthy of a sharded region, from its shards' views merged (none while the region has no view). */
  const regionHealthyOf = (view: CheckerView | undefined, now: Date): CycleFigures['regionHealthy'] =>
    view ? cycleFigures(deps.topology, view, [], view, now).regionHealthy : {};

  const { topology, region, logger } = deps;
  const signalReadiness = readinessSignal({
    store: deps.ports.store,
    checker: region,
    metrics: deps.metrics,
    logger,
    now: () => new Date(deps.clock.nowMs()),
    readinessCheckSeconds: topology.guard.readinessCheckSeconds,
  });
  const shards = shardCount(topology);
  const base: GuardContext = {
    topology,
    checker: region,
    ports: deps.ports,
    now: () => new Date(deps.clock.nowMs()),
    dryRun: topology.guard.dryRun,
    probe: deps.probe,
    log: engineLog(logger),
    ...(deps.startDeadline ? { startDeadline: deps.startDeadline } : {}),
    ...(deps.regionHealthChecks ? { regionHealthChecks: deps.regionHealthChecks } : {}),
    ...(deps.readinessReads ? { readinessReads: deps.readinessReads } : {}),
  };

  async function cycle(
    ctx: GuardContext,
    shard: ShardRef,
    index: number,
    counts: { actorInvocations: number },
  ): Promise<void> {
    const started = deps.clock.nowMs();
    const observations = await ctx.probe(topology, ownedBy(shard));
    let figures: CycleFigures | undefined;
    let notHealthy = '';
    let plan: Plan | undefined;
    let readinessFailures: number | undefined;
    const observed: Record<string, unknown> = {};
    try {
      // Every cloud call from here on (view, plan reads, actor hand-off) runs under the cycle's deadline.
      const deadlineMs = cycleDeadlineMs(ctx);
      await withinDeadline(ctx, deadlineMs, "checker cycle's deadline", async () => {
        const { transitions } = await observe(withObserveSummaryIn(ctx, observed), {
          observations,
          beforeSave: (view) => {
            // A shard sees only its slice: RegionHealthy waits for the merged view (shard 0, below).
            figures = cycleFigures(topology, view, observations, shard.count > 1 ? undefined : view, ctx.now());
            notHealthy = notHealthySummary(view);
            publishFigures(deps.metrics, figures);
          },
        });
        // Shard 0 plans for the region every cycle. Shards start together but are not synchronised, so
        // shard 0 may read a view just before its shard writes this cycle's: a shard whose slice changed
        // status plans too, after its write, and the last shard to write reads every shard's change.
        if (shard.index > 0 && transitions.length === 0) return;
        // Shard 0 alone evaluates readiness: one ReadinessFailures datapoint per region and period.
        const evidence =
          shard.index === 0 ? cycleReadinessEvidence(topology, new Date(started), observations) : undefined;
        const planned = await withinDeadline(ctx, deadlineMs / 2, "plan's reads deadline", () =>
          planCycleWithInput(ctx, evidence),
        );
        plan = planned.plan;
        if (evidence) {
          readinessFailures = readinessRows(planned.input).filter((r) => !r.ready).length;
          await signalReadiness(readinessFailures, () => readinessAlarmIsOk(ctx, deadlineMs / 4));
        }
        if (shard.count > 1)
          publishRegionHealthy(
            deps.metrics,
            regionHealthyOf(
              planned.input.views.find((v) => v.checker === region),
              ctx.now(),
            ),
          );
        if (shard.count > 1 && shard.index === 0) {
          // One figure for every shard's heartbeat: the stale shards the plan's notices name.
          const stale = plan.alerts.filter((a) => a.eventType === 'checker.shard.stale').length;
          deps.metrics.addMetric(GuardMetric.staleShards, MetricUnit.Count, stale);
          deps.metrics.publishStoredMetrics();
        }
        logger.appendKeys({ planId: plan.id });
        // Published only when non-zero: a metric costs only in the hours it receives data.
        if (plan.actions.length > 0) {
          deps.metrics.addMetric(GuardMetric.actionsPlanned, MetricUnit.Count, plan.actions.length);
          deps.metrics.publishStoredMetrics();
        }
        const rejected = plan.alerts.filter((a) => a.eventType === 'state.document-rejected').length;
        if (rejected > 0) {
          deps.metrics.addMetric(GuardMetric.stateDocumentsRejected, MetricUnit.Count, rejected);
          deps.metrics.publishStoredMetrics();
        }
        if (plan.actions.length > 0 || plan.alerts.length > 0 || plan.unsentNotifications) {
          await deps.invokeActor({
            checkerPlanId: plan.id,
            checker: region,
            actions: plan.actions.length,
            alerts: plan.alerts.length,
            // With the readiness reads the plan made, so the actor's re-plan judges the same and reads none again.
            ...(planned.input.readiness ? { readiness: planned.input.readiness } : {}),
          });
          counts.actorInvocations += 1;
        }
      });
    } finally {
      logger.info(LogMessage.cycle, {
        cycle: index,
        ...(shard.count > 1 && { shard: shard.index, shards: shard.count }),
        probes: observations.length,
        probeFailures: figures?.probeFailures ?? observations.filter((o) => !o.ok).length,
        unhealthyTargets: figures?.unhealthyTargets,
        notHealthy,
        actions: plan?.actions.length ?? 0,
        alerts: plan?.alerts.length ?? 0,
        ...(readinessFailures !== undefined && { readinessFailures }),
        ...observed,
        durationMs: deps.clock.nowMs() - started,
      });
    }
  }

  /**
   * Whether the ReadinessFailures alarm is OK, within `ms`: a read that fails or hangs counts as not OK,
   * so the zero is published (a datapoint too many costs little; one too few would leave it in ALARM).
   */
  async function readinessAlarmIsOk(ctx: GuardContext, ms: number): Promise<boolean> {
    const read = deps.readinessAlarmIsOk;
    if (!read) return false;
    try {
      return await withinDeadline(ctx, ms, "readiness alarm's read deadline", read);
    } catch (error) {
      logger.warn('checker.readiness-alarm-unread', { error: asError(error) });
      return false;
    }
  }

  /** Queues the region's later cycles of the minute before this one runs, so a failing cycle cannot cancel them. */
  async function queueLaterCycles(queueCycles: (delaysSeconds: readonly number[]) => Promise<void>): Promise<number> {
    const delaysSeconds = tickDelaysSeconds(topology.checks.intervalSeconds);
    if (delaysSeconds.length > 0) await queueCycles(delaysSeconds);
    logger.info('checker.cycles-queued', { delaysSeconds });
    return delaysSeconds.length;
  }

  /**
   * What this invocation starts before its own cycle (tick schedule, shard 0 only), so a failing cycle
   * cannot cancel it: on the minute's tick the region's later cycles, on a queued cycle the other shards.
   * A failure is logged and returned: this cycle still runs, and the invocation fails at the end.
   */
  async function startBeforeCycle(
    event: unknown,
    ctx: GuardContext,
    shard: ShardRef,
  ): Promise<{ queuedCycles?: number; startedShards?: number; failure?: Error }> {
    if (deps.schedule.mode !== 'tick' || shard.index !== 0) return {};
    const queuedDelay = shard.count > 1 ? queuedRegionCycleDelay(event) : undefined;
    try {
      if (isScheduledTick(event)) return { queuedCycles: await queueLaterCycles(deps.schedule.queueCycles) };
      if (queuedDelay !== undefined)
        return {
          startedShards: await fanOutQueuedCycle(ctx, shard.count, queuedDelay, deps.schedule.startShardCycle),
        };
      return {};
    } catch (error) {
      const failure = asError(error);
      if (failure instanceof ShardFanOutError)
        logger.error('checker.fan-out-failed', { shardsNotStarted: failure.shards, error: failure });
      else logger.error('checker.queue-failed', { error: failure });
      return { failure };
    }
  }

  function windowFor(remainingMs: number): LoopWindow {
    const intervalSeconds = topology.checks.intervalSeconds;
    return deps.schedule.mode === 'loop'
      ? loopWindow(intervalSeconds, deps.schedule.loopSeconds, remainingMs, cycleAllowanceMs(topology))
      : { intervalMs: intervalSeconds * 1000, lastStartMs: 0 };
  }

  return async (event: unknown, context: { getRemainingTimeInMillis(): number }): Promise<CheckerResult> => {
    const shard = shardOfEvent(event, shards);
    const ctx: GuardContext = shard.count > 1 ? { ...base, shard } : base;
    const counts = { actorInvocations: 0 };
    const failures: Error[] = [];
    const { failure: startFailure, ...started } = await startBeforeCycle(event, ctx, shard);
    const window = windowFor(context.getRemainingTimeInMillis());
    const cycles = await repeatWithinWindow(
      async (index) => {
        try {
          await cycle(ctx, shard, index, counts);
        } catch (error) {
          // Keep probing for the rest of the minute; the invocation fails at the end so the errors alarm fires.
          failures.push(asError(error));
          logger.error('checker.cycle-failed', { cycle: index, error: asError(error) });
          // The guard state itself was rejected: no plan can be made, so the metric says it here.
          if (error instanceof StateDocumentRejectedError) {
            deps.metrics.addMetric(GuardMetric.stateDocumentsRejected, MetricUnit.Count, 1);
            deps.metrics.publishStoredMetrics();
          }
        } finally {
          logger.removeKeys(['planId']);
        }
      },
      window,
      deps.clock,
    );
    if (startFailure) {
      throw new AggregateError(
        [startFailure, ...failures],
        isScheduledTick(event)
          ? `Queueing this minute's later checker cycles failed in ${region} (${startFailure.message}); only the tick's own cycle ran. The next tick queues them again.`
          : startFailure.message,
      );
    }
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `${failures.length} of ${cycles} checker cycles failed in ${region}; first: ${errorMessage(failures[0])}`,
      );
    }
    return { cycles, actorInvocations: counts.actorInvocations, ...started };
  };
}
