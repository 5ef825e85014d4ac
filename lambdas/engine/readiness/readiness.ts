// What the readiness rules read and share: the planner's input with this checker's evidence, the
// regions a region failover would move to, and when a cycle evaluates readiness.
import type { Topology } from '../../domain/config/schema';
import type { Observation } from '../../domain/observation';
import type { ReadinessEvidence, ReadinessRow } from '../../domain/readiness/readiness-report';
import { driftReadDue } from '../cloud-read-scope';
import { activeRegionOf } from '../state/guard-state';
import { primaryRegion, probeTargets } from '../../domain/config/targets';
import type { PlannerInput } from '../types';

/** What the rules read: the planner's input and the evidence. */
export interface ReadinessInput {
  readonly planner: PlannerInput;
  readonly evidence: ReadinessEvidence;
}

export type Rule = (input: ReadinessInput) => ReadinessRow[];

/**
 * Regions a region failover could move to: every topology region with endpoints but the one traffic
 * is served from now (a region with nothing to serve is never chosen as standby).
 */
export function standbyRegionsNow(input: PlannerInput): string[] {
  const active = activeRegionOf(input.guardState, primaryRegion(input.topology));
  const serving = new Set(probeTargets(input.topology).map((t) => t.region));
  return input.topology.regions.map((r) => r.name).filter((r) => r !== active && serving.has(r));
}

/**
 * True for the first cycle of each readiness period (clock-aligned like the drift read, so no
 * evaluation time is stored): the cycle whose reads cover everything the rules need.
 */
function readinessDue(now: Date, topology: Topology): boolean {
  return driftReadDue(now, topology.guard.readinessCheckSeconds, topology.checks.intervalSeconds);
}

/**
 * The certificates this checker's HTTPS probes were shown this cycle. A probe that reached no TLS
 * handshake shows none: that endpoint is down, which the standby-record rule reports.
 */
export function readinessEvidence(observations: readonly Observation[]): ReadinessEvidence {
  return {
    certificates: Object.fromEntries(
      observations.flatMap((o) => (o.certificate ? [[o.targetId, o.certificate] as const] : [])),
    ),
  };
}

/** The evidence of a cycle that evaluates readiness (the first of each period), else undefined. */
export function cycleReadinessEvidence(
  topology: Topology,
  now: Date,
  observations: readonly Observation[],
): ReadinessEvidence | undefined {
  return readinessDue(now, topology) ? readinessEvidence(observations) : undefined;
}
