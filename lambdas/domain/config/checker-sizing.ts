// How big a checker shard's function must be. Lambda gives a function CPU in proportion to its memory
// (a full vCPU at 1,769 MB), and a checker's cycle is CPU-bound while its probes are in flight: at
// 128 MB a 1,000-endpoint slice would need ~4 s of wall time for 0.3 CPU-seconds, long enough for
// answered probes to wait behind their own timeouts. So the memory follows the slice: enough that the
// cycle's CPU fits in a second of wall time. The CPU part costs the same GB-seconds at any memory size;
// only the waiting part grows with it (docs/cost.md, docs/scale.md).
import type { Topology } from './schema';
import { shardCount, shardOf } from './shards';
import { probeTargets } from './targets';

/**
 * A warm checker cycle (probes, the view folded and written, the region's views merged and judged),
 * in CPU-seconds of one full vCPU: a fixed part and a part per endpoint of the slice. Fitted to the
 * scale benchmark on a quiet machine (bench/scale.bench.ts: 0.04 s at 100 endpoints, 0.31 s at
 * 1,000; docs/scale.md). Loopback charges the kernel's work for both ends of each connection to the
 * prober, so this errs high.
 */
const CYCLE_CPU = { baseSeconds: 0.01, secondsPerEndpoint: 0.0003 } as const;

/**
 * What a cycle waits for besides its own CPU: its sequential AWS calls (a view read, the plan reads,
 * a view write: DynamoDB answers in single-digit milliseconds in-region) and the slowest probe's round
 * trip (another region: tens of milliseconds). Not measured on AWS; a quarter second covers it.
 */
const CYCLE_WAIT_SECONDS = 0.25;

/** Lambda's memory at which a function has one full vCPU. */
const FULL_VCPU_MB = 1769;

/** A shard's cycle CPU, stretched by its share of a vCPU, takes at most this long. */
const MAX_CYCLE_CPU_WALL_SECONDS = 1;

const MIN_MEMORY_MB = 128;
const MEMORY_STEP_MB = 64;

export function cycleCpuSeconds(endpoints: number): number {
  return CYCLE_CPU.baseSeconds + CYCLE_CPU.secondsPerEndpoint * endpoints;
}

/** Wall seconds of a cycle over `endpoints` at `memoryMb`: the waiting plus the CPU at the function's share of a vCPU. */
export function cycleSeconds(endpoints: number, memoryMb: number): number {
  return CYCLE_WAIT_SECONDS + (cycleCpuSeconds(endpoints) * FULL_VCPU_MB) / memoryMb;
}

/** The endpoints of the largest slice: rendezvous hashing does not split them exactly evenly. */
export function largestSlice(topology: Topology): number {
  const count = shardCount(topology);
  const sizes = new Array<number>(count).fill(0);
  for (const target of probeTargets(topology)) {
    const shard = shardOf(target.id, count);
    sizes[shard] = (sizes[shard] ?? 0) + 1;
  }
  return Math.max(...sizes);
}

/** The checker's memory for a slice of `endpoints`: its cycle CPU in at most a second of wall time, 128 MB at least. */
export function checkerMemoryMb(endpoints: number): number {
  const needed = (cycleCpuSeconds(endpoints) * FULL_VCPU_MB) / MAX_CYCLE_CPU_WALL_SECONDS;
  return Math.max(MIN_MEMORY_MB, Math.ceil(needed / MEMORY_STEP_MB) * MEMORY_STEP_MB);
}
