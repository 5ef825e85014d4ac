import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../lambdas/domain/config/load';
import { shardCount, shardOf } from '../../../lambdas/domain/config/shards';
import { largeTopologyInput } from '../../fixtures/large-topology';

describe('checker shards', () => {
  it('derives K from the endpoint count and guard.shardCapacity (default 1,000), or takes guard.shards', () => {
    expect(shardCount(parseTopology(largeTopologyInput(10)))).toBe(1);
    expect(shardCount(parseTopology(largeTopologyInput(2_500)))).toBe(3);
    expect(shardCount(parseTopology(largeTopologyInput(2_500, undefined, { shardCapacity: 500 })))).toBe(5);
    expect(shardCount(parseTopology(largeTopologyInput(10, undefined, { shards: 4 })))).toBe(4);
  });

  it('refuses guard.shards that would put more than 1,000 endpoints in one shard (its view item must stay well under 400 KB)', () => {
    expect(() => parseTopology(largeTopologyInput(2_500, undefined, { shards: 2 }))).toThrow(
      /guard\.shards: 2 shard\(s\) would give each about 1250 endpoints, more than 1000 .*use at least 3/,
    );
  });

  it('keeps a target on its shard whatever other targets exist, and when K grows moves it only to the new shard', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 60 }), (id, k) => {
        const before = shardOf(id, k);
        const after = shardOf(id, k + 1);
        expect(before).toBeGreaterThanOrEqual(0);
        expect(before).toBeLessThan(k);
        expect([before, k]).toContain(after);
      }),
    );
  });

  it('spreads 10,000 targets evenly over 10 shards (each within 10% of 1,000)', () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i += 1) counts[shardOf(`web-${i}`, 10)]! += 1;
    for (const count of counts) expect(Math.abs(count - 1_000)).toBeLessThan(100);
  });

  it('gives every target the shard the deployed checkers give it, however often it is asked (deployed views depend on it)', () => {
    const expected = [
      ['web-0', 5, 2],
      ['web-1', 4, 0],
      ['web-2', 8, 0],
      ['db-primary', 9, 2],
      ['www@ns1', 3, 0],
    ] as const;
    for (let round = 0; round < 3; round += 1)
      for (const [id, of10, of3] of expected) expect([shardOf(id, 10), shardOf(id, 3)]).toEqual([of10, of3]);
  });
});
