// The RegionHealthy signal the checker publishes and the RegionDark alarm reads: the alarm's window and
// how long the checker keeps publishing after a judged region settles, one source so they cannot drift.
import type { Topology } from '../domain/config/schema';

/** Minutes a region must look dark before its RegionDark alarm fires: the runbook's threshold, at least two. */
export function regionDarkMinutes(topology: Topology): number {
  const seconds = topology.regionFailover.regionFailureThreshold * topology.checks.intervalSeconds;
  return Math.max(2, Math.ceil(seconds / 60));
}

/**
 * How long after the last status change of a judged region's endpoints RegionHealthy is still published
 * (CloudWatch bills a metric only for the hours it receives data; the alarm ignores missing data).
 * Twice the alarm's window: once every endpoint is HEALTHY again, the last datapoints the alarm can see
 * are healthy ones, the alarm returns to OK even if some are lost or late, and keeps OK through the silence.
 */
export function regionHealthySettleSeconds(topology: Topology): number {
  return 2 * regionDarkMinutes(topology) * 60;
}
