// A checker shard's function is sized for its slice: a fresh instance's cycle CPU, at its share of a vCPU,
// fits in a second of wall time, so answered probes are not left waiting behind their own timeouts; the
// bill counts a warm instance's cycle.
import { describe, expect, it } from 'vitest';
import {
  checkerMemoryMb,
  cycleCpuSeconds,
  cycleSeconds,
  cpuGbSeconds,
  earlyCycleCpuSeconds,
  largestSlice,
  planningCpuSeconds,
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
    // endpoints, CPU-s of a warm cycle (0.025 + 0.00015 each)
    [1, 0.02515],
    [103, 0.04045],
    [1000, 0.175],
  ])('bills a warm cycle over %i endpoints at %f CPU-s', (endpoints, cpu) => {
    expect(cycleCpuSeconds(endpoints)).toBeCloseTo(cpu, 9);
  });

  it('stretches a warm cycle by the share of a vCPU the memory buys: 1,000 endpoints take 2.67 s at 128 MB, 0.79 s at 576 MB', () => {
    // 0.25 + 0.175 × 1769 / 128 = 0.25 + 2.418555 = 2.668555; 0.25 + 0.175 × 1769 / 576 = 0.25 + 0.537457 = 0.787457
    expect(cycleSeconds(1000, 128)).toBeCloseTo(2.668555, 5);
    expect(cycleSeconds(1000, 576)).toBeCloseTo(0.787457, 5);
  });

  it("bills the planning shard's read of every region's targets, 12 µs each, as GB-s at any memory size", () => {
    // 10,003 endpoints in 2 regions: 20,006 targets read × 0.000012 = 0.240072 CPU-s a cycle
    expect(planningCpuSeconds(20_006)).toBeCloseTo(0.240072, 9);
    // a CPU-second is 1,769 MB-seconds: 1.727539 GB-s
    expect(cpuGbSeconds(1)).toBeCloseTo(1769 / 1024, 9);
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
