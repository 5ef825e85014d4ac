// A shard of this checker region with a stale (or no) heartbeat: its targets keep their last state,
// marked stale, and get no verdict (quorum), so nothing acts on them; this says so, once per outage.
// A shard that never wrote is reported only once the region has run longer than the stale time,
// so the first cycles after a deployment do not warn.
import type { CheckerView } from '../../domain/health/types';
import { runningSince } from '../region/heartbeats';
import type { PlanAlert, SubPlanner } from '../types';

export const SHARD_NOTICE_PREFIX = 'checker.shard.stale:';

function staleShardAlerts(view: CheckerView, now: Date, staleSeconds: number): PlanAlert[] {
  const started = runningSince(view);
  const runningLongEnough = started !== undefined && now.getTime() - started.getTime() >= staleSeconds * 1000;
  return (view.staleShards ?? [])
    .filter((shard) => shard.at !== undefined || runningLongEnough)
    .map((shard) => ({
      key: `${SHARD_NOTICE_PREFIX}${view.checker}#${shard.index}`,
      eventType: 'checker.shard.stale' as const,
      severity: 'warning' as const,
      resource: `checker ${view.checker}`,
      region: view.checker,
      about: `shard ${shard.index}`,
      reason: shard.at
        ? `shard ${shard.index} of the ${view.checker} checker has not written its view since ${shard.at} (stale after ${staleSeconds} s): its ${shard.targets} targets keep their last state, marked stale, and nothing acts on them. Check the checker's errors and logs in ${view.checker} (its ShardsStale alarm fires while it stays stale)`
        : `shard ${shard.index} of the ${view.checker} checker has never written its view: its targets are not probed from ${view.checker} and nothing acts on them. Check that its schedule target runs`,
      details: {
        checker: view.checker,
        shard: shard.index,
        targets: shard.targets,
        ...(shard.at && { lastSeen: shard.at }),
      },
    }));
}

/** Warns about this checker region's stale shards (each region reports its own). */
export const shardHeartbeatPlanner: SubPlanner = (input) => {
  const own = input.views.find((v) => v.checker === input.checker);
  if (!own) return { actions: [], alerts: [] };
  return {
    actions: [],
    alerts: staleShardAlerts(own, new Date(input.now), input.topology.guard.heartbeatStaleSeconds),
  };
};
