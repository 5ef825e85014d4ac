// A checker shard's function is sized for its slice: a fresh instance's cycle CPU, at its share of a vCPU,
// fits in a second of wall time, so answered probes are not left waiting behind their own timeouts; the
// bill counts a warm instance's cycle.
import { describe, expect, it } from 'vitest';
import {
  checkerMemoryMb,
  cycleCpuSeconds,
  cycleSeconds,
  earlyCycleCpuSeconds,
  fanOutSeconds,
  largestSlice,
} from '../../../lambdas/domain/config/checker-sizing';
import { parseTopology } from '../../../lambdas/domain/config/load';
import { shardCount, shardOf } from '../../../lambdas/domain/config/shards';
import { probeTargets } from '../../../lambdas/domain/config/targets';
import { largeTopologyInput } from '../../fixtures/large-topology';

describe('checker sizing', () => {
  it.each([
    // endpoints, CPU-s of a fresh instance's cycle (0.01 + 0.0003 each), MB (CPU × 1769 MB for one second, in 64 MB steps, ≥ 128)
    [1, 0.0103, 128],
    [200, 0.07, 128],
    [220, 0.076, 192],
    [1000, 0.31, 576],
  ])('gives a slice of %i endpoints (%f CPU-s a cycle) %i MB', (endpoints, cpu, mb) => {
    expect(earlyCycleCpuSeconds(endpoints)).toBeCloseTo(cpu, 9);
    expect(checkerMemoryMb(endpoints)).toBe(mb);
    // At that size a fresh instance's cycle CPU takes at most a second of wall time.
    expect((earlyCycleCpuSeconds(endpoints) * 1769) / mb).toBeLessThanOrEqual(1);
  });

  it.each([
    // endpoints, role, targets read, CPU-s of a warm cycle: 0.015 + 0.00015 each; the planning shard adds
    // 0.01 for its plan reads over the SDK and 1 µs per target read
    [1, 'probing', 0, 0.01515],
    [1000, 'probing', 0, 0.165],
    [103, 'planning', 206, 0.015 + 0.01545 + 0.01 + 0.000206],
  ] as const)(
    'bills a warm cycle over %i endpoints (%s shard, %i targets read) at %f CPU-s',
    (endpoints, role, read, cpu) => {
      expect(cycleCpuSeconds(endpoints, role, read)).toBeCloseTo(cpu, 9);
    },
  );

  it('stretches a warm cycle by the share of a vCPU the memory buys: a probing shard of 1,000 endpoints takes 2.36 s at 128 MB, 0.58 s at 576 MB', () => {
    // 0.075 s waiting + 0.165 × 1769 / 128 = 0.075 + 2.280352 = 2.355352; 0.075 + 0.165 × 1769 / 576 = 0.075 + 0.506745 = 0.581745
    expect(cycleSeconds(1000, 128, 'probing')).toBeCloseTo(2.355352, 5);
    expect(cycleSeconds(1000, 576, 'probing')).toBeCloseTo(0.581745, 5);
  });

  it("lengthens the planning shard's cycle by its plan reads and its read of every region's targets, 1 µs each, and waits 0.25 s", () => {
    // 933 endpoints, 10,003 in 2 regions: 0.015 + 933 × 0.00015 + 0.01 + 20,006 × 0.000001 = 0.184956 CPU-s;
    // 0.25 + 0.184956 × 1769 / 576 = 0.25 + 0.568033 = 0.818033 s
    expect(cycleSeconds(933, 576, 'planning', 20_006)).toBeCloseTo(0.818033, 5);
  });

  it("adds the start of the other shards to shard 0's queued cycle: 50 ms waiting and 1.5 ms of CPU a shard", () => {
    // 10 shards at 576 MB: 0.05 + 10 × 0.0015 × 1769 / 576 = 0.05 + 0.046068 = 0.096068 s; unsharded nothing
    expect(fanOutSeconds(10, 576)).toBeCloseTo(0.096068, 5);
    expect(fanOutSeconds(0, 128)).toBe(0);
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
