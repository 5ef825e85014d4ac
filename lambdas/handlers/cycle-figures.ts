// The per-region aggregates a checker publishes after each cycle: a handful of numbers, never one
// metric per target (custom metrics cost about $0.30 each a month; per-target detail goes to the logs).
import type { Topology } from '../domain/config/schema';
import { guardRegions } from '../domain/config/targets';
import { HealthStatus, type CheckerView } from '../domain/health/types';
import type { Observation } from '../domain/observation';
import { regionSeenFrom } from '../engine/region/region-evidence';

export interface CycleFigures {
  readonly probeFailures: number;
  readonly unhealthyTargets: number;
  /**
   * Per judged region: 1 while some probed endpoint there is not UNHEALTHY, 0 when all are; no entry
   * while this checker is blind (sees nothing healthy outside the region, its own included): a blind
   * checker judges nothing, and the alarm keeps its last state (missing data is ignored).
   */
  readonly regionHealthy: Readonly<Record<string, 0 | 1>>;
  /** Ids of the targets this checker sees UNHEALTHY, for the cycle's log line. */
  readonly unhealthyIds: readonly string[];
}

/**
 * The regions a checker in `checkerRegion` publishes RegionHealthy for: every topology region but
 * its own (a region is judged from outside), or all of them when the guard runs in one region only.
 */
export function judgedRegions(topology: Topology, checkerRegion: string): string[] {
  const all = topology.regions.map((r) => r.name);
  if (guardRegions(topology).length < 2) return all;
  return all.filter((region) => region !== checkerRegion);
}

export function cycleFigures(topology: Topology, view: CheckerView, observations: readonly Observation[]): CycleFigures {
  const unhealthy = (id: string) => view.health[id]?.status === HealthStatus.UNHEALTHY;
  const unhealthyIds = Object.keys(view.health).filter(unhealthy).sort();
  const regionHealthy: Record<string, 0 | 1> = {};
  for (const region of judgedRegions(topology, view.checker)) {
    const sight = regionSeenFrom(topology, view, region);
    // A region with nothing to probe gives no evidence of being dark.
    if (sight !== 'blind') regionHealthy[region] = sight === 'dark' ? 0 : 1;
  }
  return {
    probeFailures: observations.filter((o) => !o.ok).length,
    unhealthyTargets: unhealthyIds.length,
    regionHealthy,
    unhealthyIds,
  };
}
