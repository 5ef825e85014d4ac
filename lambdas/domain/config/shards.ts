// How a checker region splits its endpoints over shards (invocations of the same checker function):
// K from the endpoint count and guard.shardCapacity (or guard.shards), and each target's shard by
// rendezvous hashing, so a target stays on its shard when others are added, and when K grows only
// the targets the new shard wins move.
import type { Topology } from './schema';
import { probeTargets } from './targets';

/** The most endpoints one shard may hold: its view item stays well under DynamoDB's 400 KB. */
export const MAX_SHARD_CAPACITY = 1000;

/** One shard of a checker region: `index` of `count` (0-based). */
export interface ShardRef {
  readonly index: number;
  readonly count: number;
}

/** The shard every checker region runs when it is not sharded. */
export const SINGLE_SHARD: ShardRef = { index: 0, count: 1 };

/** Shards per checker region: guard.shards, else enough for guard.shardCapacity endpoints each. */
export function shardCount(topology: Topology): number {
  const cached = countsByTopology.get(topology);
  if (cached !== undefined) return cached;
  const count =
    topology.guard.shards ?? Math.max(1, Math.ceil(probeTargets(topology).length / topology.guard.shardCapacity));
  countsByTopology.set(topology, count);
  return count;
}

/** A loaded topology is never changed, so its shard count is worked out once per topology object. */
const countsByTopology = new WeakMap<Topology, number>();

/** FNV-1a (32 bit) with a final avalanche: cheap, stable across processes and versions. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Each target's shard, per shard count, worked out once: a checker asks for every target several
 * times a cycle (its probe slice, its view, the merge of every shard's view), and hashing K times per
 * target per ask was most of a 10,000-endpoint cycle. The answer depends only on (id, count), so the
 * cache can never disagree with `rendezvous`; it is dropped when it outgrows any real topology
 * (ids of targets removed long ago, read from old views).
 */
const assignments = new Map<number, Map<string, number>>();
const MAX_CACHED_ASSIGNMENTS = 200_000;

/** The shard (0 … count-1) that probes `targetId`: the highest rendezvous score wins. */
export function shardOf(targetId: string, count: number): number {
  if (count <= 1) return 0;
  let cache = assignments.get(count);
  if (!cache || cache.size >= MAX_CACHED_ASSIGNMENTS) {
    cache = new Map();
    assignments.set(count, cache);
  }
  const known = cache.get(targetId);
  if (known !== undefined) return known;
  const shard = rendezvous(targetId, count);
  cache.set(targetId, shard);
  return shard;
}

function rendezvous(targetId: string, count: number): number {
  let best = 0;
  let bestScore = -1;
  for (let shard = 0; shard < count; shard += 1) {
    const score = hash32(`${targetId}#${shard}`);
    if (score > bestScore) {
      best = shard;
      bestScore = score;
    }
  }
  return best;
}

/** True when `shard` probes `targetId`. */
export function ownedBy(shard: ShardRef): (targetId: string) => boolean {
  return shard.count <= 1 ? () => true : (targetId) => shardOf(targetId, shard.count) === shard.index;
}
