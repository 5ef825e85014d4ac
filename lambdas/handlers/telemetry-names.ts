// Names the handlers publish and the CDK alarms and dashboard read: one source so they cannot drift.

/** CloudWatch namespace of every custom metric (EMF, published through Powertools Metrics). */
export const METRIC_NAMESPACE = 'FailoverGuard';

export const GuardMetric = {
  /** 1 per completed checker cycle; its absence is the dead man's switch. */
  heartbeat: 'Heartbeat',
  /** Probes that failed in the cycle (this checker's region, all targets). */
  probeFailures: 'ProbeFailures',
  /** Targets this checker sees UNHEALTHY after the cycle. */
  unhealthyTargets: 'UnhealthyTargets',
  /** 1 while some probed endpoint of the judged region is not UNHEALTHY, 0 when the region looks dark. */
  regionHealthy: 'RegionHealthy',
  /** Actions in a plan the checker handed to the actor. */
  actionsPlanned: 'ActionsPlanned',
  actionsApplied: 'ActionsApplied',
  actionsFailed: 'ActionsFailed',
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

/** Environment variables the functions read (the topology itself is bundled into the code). */
export const GuardEnv = {
  tableName: 'FAILOVER_GUARD_TABLE',
  topicArn: 'FAILOVER_GUARD_TOPIC_ARN',
  actorFunction: 'FAILOVER_GUARD_ACTOR_FUNCTION',
  loopSeconds: 'FAILOVER_GUARD_LOOP_SECONDS',
} as const;
