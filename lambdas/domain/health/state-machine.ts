// Per-target health with hysteresis: one failed probe makes a target SUSPECT, failureThreshold
// consecutive failures make it UNHEALTHY; it is HEALTHY again only after recoveryThreshold
// consecutive successes. Pure and plain data, so a checker can persist it between invocations.
// Only what decisions need is kept: a steady HEALTHY target is the same cycle after cycle.
import type { Observation } from '../observation';
import {
  HealthStatus,
  type HealthTransition,
  type ObservationEvidence,
  type TargetHealth,
  type Thresholds,
} from './types';

/** A target the checker has not seen before: assumed HEALTHY until probes say otherwise. */
export function initialHealth(targetId: string, at: string): TargetHealth {
  return {
    targetId,
    status: HealthStatus.HEALTHY,
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    since: at,
    recent: [],
  };
}

/** True while a target still counts as down: UNHEALTHY, or RECOVERING but not yet trusted again. */
export function isDown(status: HealthStatus): boolean {
  return status === HealthStatus.UNHEALTHY || status === HealthStatus.RECOVERING;
}

function statusAfterFailure(status: HealthStatus, failures: number, thresholds: Thresholds): HealthStatus {
  if (isDown(status)) return HealthStatus.UNHEALTHY;
  return failures >= thresholds.failureThreshold ? HealthStatus.UNHEALTHY : HealthStatus.SUSPECT;
}

function statusAfterSuccess(status: HealthStatus, successes: number, thresholds: Thresholds): HealthStatus {
  if (!isDown(status)) return HealthStatus.HEALTHY;
  return successes >= thresholds.recoveryThreshold ? HealthStatus.HEALTHY : HealthStatus.RECOVERING;
}

/** Folds one observation into a target's health; a status change comes back as a transition with its evidence. */
export function advanceHealth(
  previous: TargetHealth | undefined,
  observation: Observation,
  thresholds: Thresholds,
): { health: TargetHealth; transition?: HealthTransition } {
  const before = previous ?? initialHealth(observation.targetId, observation.at);
  const consecutiveFailures = observation.ok ? 0 : before.consecutiveFailures + 1;
  const consecutiveSuccesses = observation.ok ? before.consecutiveSuccesses + 1 : 0;
  const status = observation.ok
    ? statusAfterSuccess(before.status, consecutiveSuccesses, thresholds)
    : statusAfterFailure(before.status, consecutiveFailures, thresholds);
  const healthy = status === HealthStatus.HEALTHY;
  const changed = status !== before.status;
  const health: TargetHealth = {
    targetId: before.targetId,
    status,
    consecutiveFailures,
    // Successes beyond recoveryThreshold tell nothing more about a HEALTHY target.
    consecutiveSuccesses: healthy ? Math.min(consecutiveSuccesses, thresholds.recoveryThreshold) : consecutiveSuccesses,
    since: changed ? observation.at : before.since,
    recent: healthy ? [] : [evidenceOf(observation)],
  };
  if (!changed) return { health };
  return {
    health,
    transition: {
      targetId: before.targetId,
      from: before.status,
      to: status,
      at: observation.at,
      evidence: [observation],
    },
  };
}

function evidenceOf(observation: Observation): ObservationEvidence {
  return {
    at: observation.at,
    ...(observation.error !== undefined ? { error: observation.error } : {}),
    ...(observation.detail !== undefined ? { detail: observation.detail } : {}),
  };
}

/** Folds a cycle's observations (in order) into every target's health; targets not observed keep theirs. */
export function advanceAll(
  previous: Readonly<Record<string, TargetHealth>>,
  observations: readonly Observation[],
  thresholdsFor: (targetId: string) => Thresholds,
): { health: Record<string, TargetHealth>; transitions: HealthTransition[] } {
  const health: Record<string, TargetHealth> = { ...previous };
  const transitions: HealthTransition[] = [];
  for (const observation of observations) {
    const next = advanceHealth(health[observation.targetId], observation, thresholdsFor(observation.targetId));
    health[observation.targetId] = next.health;
    if (next.transition) transitions.push(next.transition);
  }
  return { health, transitions };
}
