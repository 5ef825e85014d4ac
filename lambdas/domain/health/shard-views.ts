// A sharded checker region writes one view per shard; quorum and the planners see one view per
// region. The merge keeps, from each shard's view, only the targets that shard owns now (during a
// re-shard the old owner may still list a target it gave away), takes the newest live heartbeat
// as the region's, and marks the targets of a stale or silent shard stale: their last state stays
// visible, but quorum gives them no verdict, so nothing acts on them.
import { ownedBy } from '../config/shards';
import type { CheckerView, StaleShard, TargetHealth } from './types';

function isFresh(at: string, now: Date, staleSeconds: number): boolean {
  return Math.abs(now.getTime() - Date.parse(at)) < staleSeconds * 1000;
}

function latest(views: readonly CheckerView[]): string {
  return views.map((v) => v.at).reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
}

function mergeRegion(
  checker: string,
  shardViews: readonly CheckerView[],
  count: number,
  now: Date,
  staleSeconds: number,
): CheckerView {
  const health: Record<string, TargetHealth> = {};
  const staleShards: StaleShard[] = [];
  const live: CheckerView[] = [];
  for (let index = 0; index < count; index += 1) {
    const view = shardViews.find((v) => v.shard?.index === index);
    if (!view) {
      staleShards.push({ index, targets: 0 });
      continue;
    }
    const owns = ownedBy({ index, count });
    const fresh = isFresh(view.at, now, staleSeconds);
    if (fresh) live.push(view);
    let targets = 0;
    // for…in, not Object.entries: the planning shard merges every target of the region each cycle.
    for (const id in view.health) {
      const h = view.health[id];
      if (h === undefined || !owns(id)) continue;
      health[id] = fresh ? h : { ...h, stale: true };
      targets += 1;
    }
    if (!fresh) staleShards.push({ index, at: view.at, targets });
  }
  // A region with no live shard is a dead checker: its view goes stale as a whole and stops voting.
  const at = live.length > 0 ? latest(live) : latest(shardViews);
  return { checker, at, health, ...(staleShards.length > 0 && { staleShards }) };
}

/**
 * One view per checker region from the stored views: unsharded views as they are when the topology
 * is not sharded; else the views of the `count` shards of each region merged. Views of another
 * sharding (left by an earlier deployment) are ignored: until a shard of the new sharding writes,
 * its targets have no state, so no verdict, and nothing acts on them.
 */
export function mergeShardViews(
  views: readonly CheckerView[],
  count: number,
  now: Date,
  staleSeconds: number,
): CheckerView[] {
  if (count <= 1) return views.filter((v) => v.shard === undefined);
  const byChecker = new Map<string, CheckerView[]>();
  for (const view of views) {
    if (view.shard?.count !== count) continue;
    byChecker.set(view.checker, [...(byChecker.get(view.checker) ?? []), view]);
  }
  return [...byChecker.entries()].map(([checker, shardViews]) =>
    mergeRegion(checker, shardViews, count, now, staleSeconds),
  );
}
