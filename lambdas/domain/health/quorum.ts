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

/** One target's votes so far: who sees it down and who up, and how many report each status. */
interface Tally {
  readonly unhealthyVotes: string[];
  readonly healthyVotes: string[];
  healthy: number;
  recovering: number;
  suspect: number;
}

function verdictStatus(tally: Tally): HealthStatus {
  const majority = (tally.unhealthyVotes.length + tally.healthyVotes.length) / 2;
  if (tally.unhealthyVotes.length > majority) return HealthStatus.UNHEALTHY;
  if (tally.healthy > majority) return HealthStatus.HEALTHY;
  return tally.recovering > tally.suspect ? HealthStatus.RECOVERING : HealthStatus.SUSPECT;
}

/**
 * The agreed status of every target any live checker reports, keyed by target id. A target that a
 * live checker holds only from a stale shard (health.stale) gets no verdict: nothing is judged, so
 * nothing acts, from stale data. The planning shard judges every target of every region each cycle,
 * so the votes are counted in one pass, with no array per vote.
 */
export function quorumVerdicts(views: readonly CheckerView[], now: Date, staleSeconds: number): Map<string, Verdict> {
  const tallies = new Map<string, Tally>();
  const withheld = new Set<string>();
  for (const view of liveCheckers(views, now, staleSeconds)) {
    for (const targetId in view.health) {
      const health = view.health[targetId];
      if (health === undefined) continue;
      if (health.stale) {
        withheld.add(targetId);
        continue;
      }
      let tally = tallies.get(targetId);
      if (tally === undefined) {
        tally = { unhealthyVotes: [], healthyVotes: [], healthy: 0, recovering: 0, suspect: 0 };
        tallies.set(targetId, tally);
      }
      (isDown(health.status) ? tally.unhealthyVotes : tally.healthyVotes).push(view.checker);
      if (health.status === HealthStatus.HEALTHY) tally.healthy += 1;
      else if (health.status === HealthStatus.RECOVERING) tally.recovering += 1;
      else if (health.status === HealthStatus.SUSPECT) tally.suspect += 1;
    }
  }
  const verdicts = new Map<string, Verdict>();
  for (const [targetId, tally] of tallies) {
    if (withheld.has(targetId)) continue;
    verdicts.set(targetId, {
      targetId,
      status: verdictStatus(tally),
      unhealthyVotes: tally.unhealthyVotes,
      healthyVotes: tally.healthyVotes,
    });
  }
  return verdicts;
}
