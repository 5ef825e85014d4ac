// Readiness of the guard itself: a fresh heartbeat from every guard region (a region failover needs a
// checker outside the dark region).
import { guardRegions } from '../../domain/config/targets';
import { heartbeats, runningSince } from '../region/heartbeats';
import { ReadinessRule, type ReadinessRow } from '../../domain/readiness/readiness-report';
import type { Rule } from './readiness';

/**
 * A fresh heartbeat from every guard region. A region never seen is judged only once this checker has
 * run for heartbeatStaleSeconds: a fresh deployment's other regions get their first cycle first.
 */
export const guardHeartbeatReadiness: Rule = ({ planner }) => {
  const now = new Date(planner.now);
  const staleSeconds = planner.topology.guard.heartbeatStaleSeconds;
  const ownStart = runningSince(planner.views.find((v) => v.checker === planner.checker));
  const judgeUnseen = ownStart !== undefined && now.getTime() - ownStart.getTime() >= staleSeconds * 1000;
  return heartbeats(guardRegions(planner.topology), planner.views, now, staleSeconds)
    .filter((beat) => beat.lastSeen !== undefined || judgeUnseen)
    .map((beat): ReadinessRow => {
      const base = { rule: ReadinessRule.guardHeartbeat, resource: beat.checker, region: beat.checker };
      if (beat.live) return { ...base, ready: true, why: `heartbeat ${beat.ageSeconds ?? 0}s ago` };
      return {
        ...base,
        ready: false,
        why: beat.lastSeen
          ? `heartbeat ${beat.ageSeconds}s old, over heartbeatStaleSeconds ${planner.topology.guard.heartbeatStaleSeconds}`
          : 'no heartbeat ever written: the guard does not run there',
        fix: `deploy the guard to ${beat.checker} (cdk deploy) or see its HeartbeatMissing alarm`,
      };
    });
};
