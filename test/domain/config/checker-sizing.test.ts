// A checker shard's function is sized for its slice: its cycle's CPU, at its share of a vCPU, fits in a
// second of wall time, so answered probes are not left waiting behind their own timeouts.
import { describe, expect, it } from 'vitest';
import {
  checkerMemoryMb,
  cycleCpuSeconds,
  cycleSeconds,
  largestSlice,
} from '../../../lambdas/domain/config/checker-sizing';
import { parseTopology } from '../../../lambdas/domain/config/load';
import { shardCount, shardOf } from '../../../lambdas/domain/config/shards';
import { probeTargets } from '../../../lambdas/domain/config/targets';
import { largeTopologyInput } from '../../fixtures/large-topology';

describe('checker sizing', () => {
  it.each([
    // endpoints, CPU-s a cycle (0.01 + 0.0003 each), MB (CPU × 1769 MB for one second, in 64 MB steps, ≥ 128)
    [1, 0.0103, 128],
    [200, 0.07, 128],
    [220, 0.076, 192],
    [1000, 0.31, 576],
  ])('gives a slice of %i endpoints (%f CPU-s a cycle) %i MB', (endpoints, cpu, mb) => {
    expect(cycleCpuSeconds(endpoints)).toBeCloseTo(cpu, 9);
    expect(checkerMemoryMb(endpoints)).toBe(mb);
    // At that size the cycle's CPU takes at most a second, on top of the quarter second it waits on AWS.
    expect(cycleSeconds(endpoints, mb)).toBeLessThanOrEqual(1.25);
  });

  it('stretches a cycle by the share of a vCPU the memory buys: 1,000 endpoints take 4.53 s at 128 MB', () => {
    // 0.25 + 0.31 × 1769 / 128 = 0.25 + 4.2843 = 4.5343
    expect(cycleSeconds(1000, 128)).toBeCloseTo(4.5343, 4);
  });

  it('sizes for the largest slice, which rendezvous hashing leaves a little over the mean', () => {
    const topology = parseTopology(largeTopologyInput(2_500));
    const count = shardCount(topology);
    const sizes = Array.from(
      { length: count },
      (_, shard) => probeTargets(topology).filter((t) => shardOf(t.id, count) === shard).length,
    );
    expect(largestSlice(topology)).toBe(Math.max(...sizes));
    expect(largestSlice(topology)).toBeGreaterThan(probeTargets(topology).length / count);
  });
});
