// The per-region aggregates a checker publishes after each cycle: a handful of numbers, never one
// metric per target (custom metrics cost about $0.30 each a month; per-target detail goes to the logs).
import type { Topology } from '../domain/config/schema';
import { judgedRegions, probeTargets, type ProbeTarget } from '../domain/config/targets';
import { regionHealthySettleSeconds } from '../contracts/region-health-signal';
import { HealthStatus, type CheckerView } from '../domain/health/types';
import type { Observation } from '../domain/observation';
import { regionSeenFrom } from '../engine';

export interface CycleFigures {
  readonly probeFailures: number;
  readonly unhealthyTargets: number;
  /**
   * Per judged region: 1 while some probed endpoint there is not UNHEALTHY, 0 when all are; no entry
   * while this checker is blind (sees nothing healthy outside the region, its own included): a blind
   * checker judges nothing, and the alarm keeps its last state (missing data is ignored). No entry
   * either while the region is settled (every endpoint HEALTHY, fresh, unchanged for the settle
   * time): nothing there can fire the alarm, and a metric is billed only for the hours it gets data.
   */
  readonly regionHealthy: Readonly<Record<string, 0 | 1>>;
  /** Ids of the targets this checker sees UNHEALTHY, for the cycle's log line. */
  readonly unhealthyIds: readonly string[];
}

/**
 * True while every probed endpoint of `region` is HEALTHY, not stale, and has not changed status for
 * regionHealthySettleSeconds: the RegionDark alarm has seen healthy datapoints long enough to be OK.
 */
function settled(
  targets: readonly ProbeTarget[],
  settleMs: number,
  regionView: CheckerView,
  region: string,
  now: Date,
): boolean {
  return targets
    .filter((t) => t.region === region)
    .every((t) => {
      const health = regionView.health[t.id];
      return (
        health?.status === HealthStatus.HEALTHY && !health.stale && now.getTime() - Date.parse(health.since) >= settleMs
      );
    });
}

/**
 * The figures of one cycle: failures and UNHEALTHY targets of what this invocation probed (`view`:
 * its shard's slice when sharded), and RegionHealthy from the whole region's view (`regionView`:
 * the shards merged) at `now`, or none when that is unknown (a shard that does not plan). A stale target
 * (its shard's heartbeat is stale) never counts as UNHEALTHY: no region is judged dark from stale data.
 */
export function cycleFigures(
  topology: Topology,
  view: CheckerView,
  observations: readonly Observation[],
  regionView: CheckerView | undefined,
  now: Date,
): CycleFigures {
  const unhealthyIn = (v: CheckerView) => (id: string) =>
    v.health[id]?.status === HealthStatus.UNHEALTHY && !v.health[id]?.stale;
  const unhealthyIds = Object.keys(view.health).filter(unhealthyIn(view)).sort();
  const regionHealthy: Record<string, 0 | 1> = {};
  if (regionView) {
    // Listed once per cycle, not once per judged region.
    const targets = probeTargets(topology);
    const settleMs = regionHealthySettleSeconds(topology) * 1000;
    for (const region of judgedRegions(topology, view.checker)) {
      const sight = regionSeenFrom(topology, regionView, region);
      // A blind checker judges nothing; a region with nothing to probe gives no evidence of being dark.
      if (sight === 'blind' || sight === 'nothing-to-judge' || settled(targets, settleMs, regionView, region, now))
        continue;
      regionHealthy[region] = sight === 'dark' ? 0 : 1;
    }
  }
  return {
    probeFailures: observations.filter((o) => !o.ok).length,
    unhealthyTargets: unhealthyIds.length,
    regionHealthy,
    unhealthyIds,
  };
}
