// The pure planner: a composition of sub-planners, each one concern, all reading the same input.
// Add a sub-planner by appending it to `subPlanners` (the region failover one comes from ./region).
import { databaseFailoverPlanner } from './planners/database-failover.planner';
import { databaseFencePlanner } from './planners/database-fence.planner';
import { dnsHealingPlanner } from './planners/dns-healing.planner';
import { healthCheckAttachmentPlanner } from './planners/health-check-attachment.planner';
import { loadBalancerHealthPlanner } from './planners/load-balancer-health.planner';
import { rejectedDocumentsPlanner } from './planners/rejected-documents.planner';
import { shardHeartbeatPlanner } from './planners/shard-heartbeat.planner';
import { readinessPlanner } from './readiness/readiness.planner';
import { planRegionFailover } from './region/region-planner';
import type { Plan, PlannerInput, SubPlanner } from './types';

/** In order of execution: database steps first (a writer outage hurts most), fences of old primaries, the region runbook, then DNS, then reports (readiness last). */
/** In order of execution: database steps first (a writer outage hurts most), fences of old primaries, the region runbook, then DNS (healing, then the region health checks on data-plane records), then reports. */
const subPlanners: readonly SubPlanner[] = [
  databaseFailoverPlanner,
  databaseFencePlanner,
  planRegionFailover,
  dnsHealingPlanner,
  healthCheckAttachmentPlanner,
  loadBalancerHealthPlanner,
  shardHeartbeatPlanner,
  rejectedDocumentsPlanner,
  readinessPlanner,
];

function composePlanners(planners: readonly SubPlanner[]): (input: PlannerInput, dryRun: boolean) => Plan {
  return (input, dryRun) => {
    const parts = planners.map((p) => p(input));
    const unsent = input.guardState.unsentNotifications?.length ?? 0;
    return {
      id: input.planId,
      createdAt: input.now,
      checker: input.checker,
      dryRun,
      actions: parts.flatMap((p) => p.actions),
      alerts: parts.flatMap((p) => p.alerts),
      notes: [
        ...parts.flatMap((p) => p.notes ?? []),
        ...(unsent > 0 ? [`${unsent} notification(s) of applied actions not published yet; published again now`] : []),
      ],
      ...(unsent > 0 ? { unsentNotifications: unsent } : {}),
    };
  };
}

export const planFromInput = composePlanners(subPlanners);
