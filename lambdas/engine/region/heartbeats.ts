// Checker heartbeats: each checker's stored view carries the time it was written; a view older
// than heartbeatStaleSeconds (or none at all) means that checker is missing.
import type { CheckerView } from '../../domain/health/types';

export interface CheckerHeartbeat {
  readonly checker: string;
  /** ISO time of its last view; absent when it never wrote one. */
  readonly lastSeen?: string;
  readonly ageSeconds?: number;
  readonly live: boolean;
}

/** Every guard region's heartbeat, in guard order. */
export function heartbeats(
  guardCheckers: readonly string[],
  views: readonly CheckerView[],
  now: Date,
  staleSeconds: number,
): CheckerHeartbeat[] {
  return guardCheckers.map((checker) => {
    const view = views.find((v) => v.checker === checker);
    if (!view) return { checker, live: false };
    const ageMs = now.getTime() - Date.parse(view.at);
    return {
      checker,
      lastSeen: view.at,
      ageSeconds: Math.max(0, Math.round(ageMs / 1000)),
      live: Math.abs(ageMs) < staleSeconds * 1000,
    };
  });
}

/**
 * When the checker that owns `view` started probing: the earliest time any of its targets took its
 * present status. A checker never seen is called missing only once the others have run this long.
 */
export function runningSince(view: CheckerView | undefined): Date | undefined {
  const times = Object.values(view?.health ?? {}).map((h) => Date.parse(h.since));
  return times.length === 0 ? undefined : new Date(Math.min(...times));
}
