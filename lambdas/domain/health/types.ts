// The health of one target as one checker sees it. Plain data: serializable between invocations.
import type { Observation } from '../observation';

export const HealthStatus = {
  HEALTHY: 'HEALTHY',
  /** Failing, but fewer than failureThreshold consecutive failures. */
  SUSPECT: 'SUSPECT',
  UNHEALTHY: 'UNHEALTHY',
  /** Succeeding again, but fewer than recoveryThreshold consecutive successes. */
  RECOVERING: 'RECOVERING',
} as const;
export type HealthStatus = (typeof HealthStatus)[keyof typeof HealthStatus];

export interface TargetHealth {
  readonly targetId: string;
  readonly status: HealthStatus;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  /** ISO time of the last status change. */
  readonly since: string;
  /**
   * What the reasons quote: the last observation while the target is not HEALTHY (at most one),
   * none while it is HEALTHY, so a steady view is the same every cycle and cheap to store.
   */
  readonly recent: readonly ObservationEvidence[];
  /**
   * Set only in a merged view (never stored): the shard that probes this target has a stale
   * heartbeat, so this is its last known state; quorum gives it no verdict and nothing acts on it.
   */
  readonly stale?: true;
}

/** The part of an observation a stored view keeps as evidence. */
export interface ObservationEvidence {
  readonly at: string;
  readonly error?: string;
  readonly detail?: string;
}

/** A status change, with the observation that caused it. */
export interface HealthTransition {
  readonly targetId: string;
  readonly from: HealthStatus;
  readonly to: HealthStatus;
  readonly at: string;
  readonly evidence: readonly Observation[];
}

export interface Thresholds {
  readonly failureThreshold: number;
  readonly recoveryThreshold: number;
}

/** A shard of a checker region whose heartbeat is stale or which never wrote its view. */
export interface StaleShard {
  readonly index: number;
  /** Its last heartbeat; absent when it never wrote a view. */
  readonly at?: string;
  /** Targets of this shard, kept at their last state and marked stale. */
  readonly targets: number;
}

/**
 * One checker's whole view, written each cycle; its `at` is the checker's heartbeat. A sharded
 * checker region writes one view per shard (`shard` set, its slice of the targets); the planner
 * reads them merged into one view per region (`staleShards` set when some shard is stale).
 */
export interface CheckerView {
  /** The checker's region. */
  readonly checker: string;
  /** ISO time the view was written. */
  readonly at: string;
  readonly health: Readonly<Record<string, TargetHealth>>;
  /** The shard that wrote this view, when its region is sharded. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** In a merged view: the region's shards with a stale (or no) heartbeat. */
  readonly staleShards?: readonly StaleShard[];
}

/** The agreed status of a target across the live checkers. */
export interface Verdict {
  readonly targetId: string;
  readonly status: HealthStatus;
  /** Live checkers that see the target down (UNHEALTHY or RECOVERING) / up (HEALTHY or SUSPECT). */
  readonly unhealthyVotes: readonly string[];
  readonly healthyVotes: readonly string[];
}
