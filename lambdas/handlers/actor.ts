// The actor's work: never trust the checker's plan — re-plan from the stored views and the cloud
// state read now, then execute under the lease (the engine's safety rails apply).
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import type { Topology } from '../domain/config/schema';
import {
  executePlan,
  planWithinDeadline,
  withinDeadline,
  type ExecutionReport,
  type GuardContext,
  type GuardPorts,
} from '../engine';
import type { ReadinessEvidence } from '../domain/readiness/readiness-report';
import type { ActorRequest } from './checker';
import { engineLog, GuardMetric } from '../contracts/telemetry-names';

export interface ActorDeps {
  readonly topology: Topology;
  readonly region: string;
  readonly ports: GuardPorts;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now: () => Date;
  /** @default - a real timer (tests pass a fake clock's) */
  readonly startDeadline?: GuardContext['startDeadline'];
  /** The health checks this stack keeps on data-plane record sets, per region. @default - none */
  readonly regionHealthChecks?: GuardContext['regionHealthChecks'];
}

export interface ActorResult {
  readonly planId: string;
  readonly actions: number;
  readonly execution?: Pick<
    ExecutionReport,
    'leaseHeld' | 'paused' | 'notificationsPublished' | 'notificationsFailed'
  > & {
    readonly applied: number;
    readonly failed: number;
    readonly skipped: number;
  };
}

const addresses = z.array(z.string());

/** ReadinessEvidence as the checker sends it (JSON through an asynchronous invocation); zod/mini keeps the bundle small. */
const readinessEvidenceSchema = z.object({
  certificates: z.record(
    z.string(),
    z.object({ validTo: z.string(), daysLeft: z.number(), expiringSoon: z.boolean() }),
  ),
  targetInstances: z.optional(
    z.object({
      addresses: z.record(z.string(), z.record(z.string(), addresses)),
      unread: z.array(z.object({ region: z.string(), reason: z.string() })),
    }),
  ),
  guardHealthChecks: z.optional(
    z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), ids: z.record(z.string(), z.string()), problems: z.array(z.string()) }),
      z.object({ ok: z.literal(false), error: z.string() }),
    ]),
  ),
});

/** The checker's readiness evidence, when the request carries a well-formed one. */
function readinessEvidenceOf(request: Partial<ActorRequest>): ReadinessEvidence | undefined {
  const parsed = readinessEvidenceSchema.safeParse(request.readiness);
  if (!parsed.success) return undefined;
  const { certificates, targetInstances, guardHealthChecks } = parsed.data;
  return {
    certificates,
    ...(targetInstances ? { targetInstances } : {}),
    ...(guardHealthChecks ? { guardHealthChecks } : {}),
  };
}

function refuseToProbe(): Promise<never> {
  return Promise.reject(
    new Error(
      "The actor never probes: it plans from the views the checkers stored. Probing is the checker function's job.",
    ),
  );
}

export function createActorHandler(deps: ActorDeps) {
  const { logger } = deps;
  const ctx: GuardContext = {
    topology: deps.topology,
    checker: deps.region,
    ports: deps.ports,
    now: deps.now,
    dryRun: deps.topology.guard.dryRun,
    probe: refuseToProbe,
    log: engineLog(logger),
    ...(deps.startDeadline ? { startDeadline: deps.startDeadline } : {}),
    ...(deps.regionHealthChecks ? { regionHealthChecks: deps.regionHealthChecks } : {}),
  };
  const deadlineMs = deps.topology.guard.aws.actorDeadlineSeconds * 1000;

  return async (request: Partial<ActorRequest>): Promise<ActorResult> => {
    logger.appendKeys({ checkerPlanId: request.checkerPlanId });
    try {
      return await withinDeadline(ctx, deadlineMs, "actor's deadline", () => act(request));
    } finally {
      logger.removeKeys(['planId', 'checkerPlanId']);
    }
  };

  async function act(request: Partial<ActorRequest>): Promise<ActorResult> {
    const plan = await planWithinDeadline(ctx, deadlineMs, readinessEvidenceOf(request));
    logger.appendKeys({ planId: plan.id });
    if (plan.actions.length === 0 && plan.alerts.length === 0 && !plan.unsentNotifications) {
      logger.info('actor.nothing-to-do', { requestedActions: request.actions, requestedAlerts: request.alerts });
      return { planId: plan.id, actions: 0 };
    }
    const report = await executePlan(ctx, plan);
    const count = (outcome: string) => report.results.filter((r) => r.outcome === outcome).length;
    const execution = {
      leaseHeld: report.leaseHeld,
      paused: report.paused,
      notificationsPublished: report.notificationsPublished,
      notificationsFailed: report.notificationsFailed,
      applied: count('applied'),
      failed: count('failed'),
      skipped: count('skipped'),
    };
    if (execution.applied > 0) deps.metrics.addMetric(GuardMetric.actionsApplied, MetricUnit.Count, execution.applied);
    if (execution.failed > 0) deps.metrics.addMetric(GuardMetric.actionsFailed, MetricUnit.Count, execution.failed);
    if (execution.notificationsFailed > 0)
      deps.metrics.addMetric(GuardMetric.notificationsFailed, MetricUnit.Count, execution.notificationsFailed);
    if (execution.applied > 0 || execution.failed > 0 || execution.notificationsFailed > 0)
      deps.metrics.publishStoredMetrics();
    logger.info('actor.summary', { actions: plan.actions.length, alerts: plan.alerts.length, ...execution });
    return { planId: plan.id, actions: plan.actions.length, execution };
  }
}
