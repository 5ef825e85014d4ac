import { describe, expect, it } from 'vitest';
import { shardOf } from '../../../lambdas/domain/config/shards';
import { quorumVerdicts } from '../../../lambdas/domain/health/quorum';
import { mergeShardViews } from '../../../lambdas/domain/health/shard-views';
import { HealthStatus, type CheckerView, type TargetHealth } from '../../../lambdas/domain/health/types';

const now = new Date('2025-01-01T00:10:00.000Z');
const fresh = '2025-01-01T00:09:50.000Z';
const old = '2025-01-01T00:05:00.000Z';
const ids = Array.from({ length: 30 }, (_, i) => `web-${i}`);

function health(id: string, status: HealthStatus): TargetHealth {
  return {
    targetId: id,
    status,
    consecutiveFailures: status === 'UNHEALTHY' ? 3 : 0,
    consecutiveSuccesses: 0,
    since: old,
    recent: [],
  };
}

/** Shard `index` of 3's view: its own targets, all `status`. */
function shardView(
  checker: string,
  index: number,
  at: string,
  status: HealthStatus,
  extra: string[] = [],
): CheckerView {
  const mine = [...ids.filter((id) => shardOf(id, 3) === index), ...extra];
  return {
    checker,
    at,
    shard: { index, count: 3 },
    health: Object.fromEntries(mine.map((id) => [id, health(id, status)])),
  };
}

describe('mergeShardViews', () => {
  it('makes one view per region from its shards, the newest live heartbeat its own', () => {
    const merged = mergeShardViews(
      [
        shardView('eu-west-1', 0, fresh, 'HEALTHY'),
        shardView('eu-west-1', 1, old.replace('05', '09'), 'HEALTHY'),
        shardView('eu-west-1', 2, fresh, 'HEALTHY'),
      ],
      3,
      now,
      120,
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ checker: 'eu-west-1', at: fresh });
    expect(Object.keys(merged[0]!.health).sort()).toEqual([...ids].sort());
    expect(merged[0]!.staleShards).toBeUndefined();
  });

  it('marks a stale shard’s targets stale (last state kept) and quorum gives them no verdict', () => {
    const views = [
      shardView('eu-west-1', 0, fresh, 'HEALTHY'),
      shardView('eu-west-1', 1, old, 'UNHEALTHY'),
      shardView('eu-west-1', 2, fresh, 'HEALTHY'),
    ];
    const [merged] = mergeShardViews(views, 3, now, 120);
    const lost = ids.filter((id) => shardOf(id, 3) === 1);
    expect(merged!.staleShards).toEqual([{ index: 1, at: old, targets: lost.length }]);
    for (const id of lost) expect(merged!.health[id]).toMatchObject({ status: 'UNHEALTHY', stale: true });
    const verdicts = quorumVerdicts([merged!], now, 120);
    for (const id of lost) expect(verdicts.has(id)).toBe(false);
    expect(verdicts.size).toBe(ids.length - lost.length);
  });

  it('reports a shard that never wrote, and ignores what a shard lists but no longer owns', () => {
    const stray = ids.find((id) => shardOf(id, 3) === 2)!;
    const [merged] = mergeShardViews([shardView('eu-west-1', 0, fresh, 'HEALTHY', [stray])], 3, now, 120);
    expect(merged!.staleShards).toEqual([
      { index: 1, targets: 0 },
      { index: 2, targets: 0 },
    ]);
    expect(merged!.health[stray]).toBeUndefined();
  });

  it('leaves unsharded views as they are and ignores views of another sharding', () => {
    const plain: CheckerView = { checker: 'eu-central-1', at: fresh, health: { 'web-0': health('web-0', 'HEALTHY') } };
    expect(mergeShardViews([plain, shardView('eu-west-1', 0, fresh, 'HEALTHY')], 1, now, 120)).toEqual([plain]);
    expect(mergeShardViews([plain, shardView('eu-west-1', 0, fresh, 'HEALTHY')], 4, now, 120)).toEqual([]);
  });
});
