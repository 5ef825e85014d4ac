// Names the handlers publish and the CDK alarms and dashboard read: one source so they cannot drift.
import type { Logger } from '@aws-lambda-powertools/logger';

/** CloudWatch namespace of every custom metric (EMF, published through Powertools Metrics). */
export const METRIC_NAMESPACE = 'FailoverGuard';

export const GuardMetric = {
  /** Targets this checker sees UNHEALTHY after the cycle, published only when non-zero. */
  unhealthyTargets: 'UnhealthyTargets',
  /**
   * 1 while some probed endpoint of the judged region is not UNHEALTHY, 0 when the region looks dark;
   * published only while the region is not settled (contracts/region-health-signal.ts).
   */
  regionHealthy: 'RegionHealthy',
  /** Actions in a plan the checker handed to the actor. */
  actionsPlanned: 'ActionsPlanned',
  actionsApplied: 'ActionsApplied',
  /**
   * Shards of this checker region whose view is stale (the checker.shard.stale notices of the cycle),
   * published by shard 0 every cycle when the region is sharded: one metric and one alarm for all the
   * shards, missing data (shard 0 silent, or no plan) breaching.
   */
  staleShards: 'StaleShards',
  actionsFailed: 'ActionsFailed',
  /** SNS publishes that failed (published only when non-zero); the notice is told again next cycle. */
  notificationsFailed: 'NotificationsFailed',
  /** Stored documents the checker's plan rejected (damaged, newer or foreign; published only when non-zero): never acted on. */
  stateDocumentsRejected: 'StateDocumentsRejected',
  /**
   * Readiness checks that fail, as this checker evaluates them once per readinessCheckSeconds: published
   * while some fail, and a zero while the ReadinessFailures alarm is not OK yet; nothing while ready.
   */
  readinessFailures: 'ReadinessFailures',
} as const;

/** Dimension naming the region a RegionHealthy datapoint judges. */
export const JUDGED_REGION_DIMENSION = 'JudgedRegion';

/** Powertools' default dimension; its value tells guards of several topologies apart. */
export const SERVICE_DIMENSION = 'service';

export function serviceName(topologyName: string): string {
  return `failover-guard-${topologyName}`;
}

/** The `message` of the structured log lines the dashboard queries (the engine's `event` names). */
export const LogMessage = {
  /** One line per checker cycle, written by the checker handler. */
  cycle: 'checker.cycle',
  /** One line per target status change, written by the engine's observe(). */
  transition: 'health.transition',
  /** One line per executed action, written by the engine's executor. */
  action: 'action',
} as const;

/** Environment variables the functions read (the topology itself is a file in the asset: bundled-topology.ts). */
export const GuardEnv = {
  tableName: 'FAILOVER_GUARD_TABLE',
  /** The state table replicas that decide, in takeover order (comma-separated; home first). */
  stateRegions: 'FAILOVER_GUARD_STATE_REGIONS',
  topicArn: 'FAILOVER_GUARD_TOPIC_ARN',
  actorFunction: 'FAILOVER_GUARD_ACTOR_FUNCTION',
  /** `loop` or `tick`: how the checker paces its cycles. */
  schedule: 'FAILOVER_GUARD_SCHEDULE',
  /** Seconds after which a looping checker starts no cycle (loop schedule only). */
  loopSeconds: 'FAILOVER_GUARD_LOOP_SECONDS',
  /** The queue the minute's tick sends the later cycles to (tick schedule only). */
  cycleQueueUrl: 'FAILOVER_GUARD_CYCLE_QUEUE_URL',
  /**
   * `region=healthCheckId,…`: the Route 53 health checks of this stack that the guard keeps on the sets of
   * the `dataPlaneFailover` records of those regions (each region's sets carry one stack's check).
   */
  regionHealthChecks: 'FAILOVER_GUARD_REGION_HEALTH_CHECKS',
  /** The name of this stack's ReadinessFailures alarm: the checker publishes a zero only while it is not OK. */
  readinessAlarm: 'FAILOVER_GUARD_READINESS_ALARM',
} as const;

/** How the checker paces its sub-minute cycles (the topology's guard.schedule). */
export type CheckerScheduleMode = 'loop' | 'tick';

/** The engine's log entries as Powertools lines: `level: 'error'` at error, `level: 'warn'` at warn, the rest at info. */
export function engineLog(logger: Pick<Logger, 'info' | 'warn' | 'error'>) {
  return (entry: Record<string, unknown>): void => {
    const message = String(entry.event ?? 'engine');
    if (entry.level === 'error') logger.error(message, entry);
    else if (entry.level === 'warn') logger.warn(message, entry);
    else logger.info(message, entry);
  };
}
