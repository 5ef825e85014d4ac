// Many checkers, one verdict. Each checker region writes its own view of every target; a target's
// verdict needs a strict majority of the live checkers that probe it, so one checker cut off from
// the network (it sees everything down) cannot make the guard act, and one checker alone decides for itself.
//
// Rule, per target, over the live checkers that have it ("voters"):
// - UNHEALTHY when more than half of the voters see it down (UNHEALTHY or RECOVERING): act;
// - HEALTHY when more than half of the voters see it HEALTHY: restore;
// - otherwise hold: SUSPECT or RECOVERING, whichever more voters report (SUSPECT on a tie).
import { isDown } from './state-machine';
import { HealthStatus, type CheckerView, type Verdict } from './types';

/**
 * Checkers whose heartbeat (view.at) is younger than staleSeconds. A heartbeat slightly in the future
 * (clock skew) counts as fresh; one staleSeconds or more ahead does not, or a dead checker with a fast
 * clock would keep voting with its frozen view until real time caught up.
 */
export function liveCheckers(views: readonly CheckerView[], now: Date, staleSeconds: number): CheckerView[] {
  return views.filter((view) => Math.abs(now.getTime() - Date.parse(view.at)) < staleSeconds * 1000);
}

function verdictStatus(statuses: readonly HealthStatus[]): HealthStatus {
  const count = (predicate: (s: HealthStatus) => boolean) => statuses.filter(predicate).length;
  const majority = statuses.length / 2;
  if (count(isDown) > majority) return HealthStatus.UNHEALTHY;
  if (count((s) => s === HealthStatus.HEALTHY) > majority) return HealthStatus.HEALTHY;
  const recovering = count((s) => s === HealthStatus.RECOVERING);
  const suspect = count((s) => s === HealthStatus.SUSPECT);
  return recovering > suspect ? HealthStatus.RECOVERING : HealthStatus.SUSPECT;
}

/**
 * The agreed status of every target any live checker reports, keyed by target id. A target that a
 * live checker holds only from a stale shard (health.stale) gets no verdict: nothing is judged, so
 * nothing acts, from stale data.
 */
export function quorumVerdicts(views: readonly CheckerView[], now: Date, staleSeconds: number): Map<string, Verdict> {
  const votes = new Map<string, { checker: string; status: HealthStatus }[]>();
  const withheld = new Set<string>();
  for (const view of liveCheckers(views, now, staleSeconds)) {
    for (const [targetId, health] of Object.entries(view.health)) {
      if (health.stale) {
        withheld.add(targetId);
        continue;
      }
      const targetVotes = votes.get(targetId) ?? [];
      targetVotes.push({ checker: view.checker, status: health.status });
      votes.set(targetId, targetVotes);
    }
  }
  const verdicts = new Map<string, Verdict>();
  for (const [targetId, targetVotes] of votes) {
    if (withheld.has(targetId)) continue;
    verdicts.set(targetId, {
      targetId,
      status: verdictStatus(targetVotes.map((v) => v.status)),
      unhealthyVotes: targetVotes.filter((v) => isDown(v.status)).map((v) => v.checker),
      healthyVotes: targetVotes.filter((v) => !isDown(v.status)).map((v) => v.checker),
    });
  }
  return verdicts;
}
