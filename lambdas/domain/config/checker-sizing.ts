// How big a checker shard's function must be, and what its cycle costs. Lambda gives a function CPU in
// proportion to its memory (a full vCPU at 1,769 MB), and a checker's cycle is CPU-bound while its probes
// are in flight: at 128 MB a 1,000-endpoint slice takes 6 to 8 s a cycle where 576 MB takes 3 s (the
// scale bench held to Lambda's CPU share, docs/scale.md). No probe fails for it (at most 256 are in
// flight, so each waits for little CPU), but a cycle that long delays every verdict by as much. So the
// memory follows the slice: enough that a fresh instance's cycle CPU fits in a second of wall time,
// the scale target of a cycle within the probe timeout + 1 s. A warm instance then runs its cycles on
// far less CPU, and the bill counts that. The CPU part costs the same GB-seconds at any memory size;
// only the waiting part grows with it (docs/cost.md).
import type { Topology } from './schema';
import { shardCount, shardOf } from './shards';
import { probeTargets } from './targets';

/**
 * What the memory is sized for: a checker cycle (probes, the view folded and written, the region's views
 * merged and judged) in the first cycles of a fresh instance, before the JIT has compiled the hot paths,
 * in CPU-seconds of one full vCPU: a fixed part and a part per endpoint of the slice. Fitted to the scale
 * benchmark's first warm cycles (bench/scale.bench.ts: 0.04 s at 100 endpoints, 0.31 s at 1,000;
 * docs/scale.md). Loopback charges the kernel's work for both ends of each connection to the prober.
 */
const EARLY_CYCLE_CPU = { baseSeconds: 0.01, secondsPerEndpoint: 0.0003 } as const;

/**
 * What a warm shard's own cycle costs, as billed: its probes, its view folded, and written when it changed. The
 * scale benchmark's steady cycles (the mean of its cycles 8 to 15 at the deployed 10 s interval, quiet machine:
 * 0.031 s at 100 endpoints, 0.169 s at 1,000, fitted as 0.015 + 0.00015 per endpoint; it merges and judges the
 * region's views every cycle too, so this over-counts a probing shard a little). An instance lives for thousands
 * of cycles, so its first few are left out.
 */
const SHARD_CYCLE_CPU = { baseSeconds: 0.015, secondsPerEndpoint: 0.00015 } as const;

/**
 * What the planning shard adds to its cycle: its plan reads over the AWS SDK, which the benchmark's in-memory
 * state store leaves out (a Query of the views, a GetItem, a Query of the runbooks: 2 to 3 ms of CPU each,
 * bench/state-calls.bench.ts against moto on loopback).
 */
const PLANNING_CALLS_CPU_SECONDS = 0.01;

/**
 * And once per region and cycle its read of every view of every region (decoded and checked), a sharded
 * region's views merged, and every target judged. A warm instance reuses what it decoded and checked of an
 * item stored byte for byte as it last read it, and at idle no view changes: 0.24 to 0.39 µs of CPU per target
 * read at 1,000 endpoints in 2 regions, 0.69 to 0.73 µs at 10,000 (bench/planning-read.bench.ts through the
 * DynamoDB adapter, docs/scale.md); 1 µs keeps a margin for a loaded instance. (A view rewritten every cycle,
 * while one of its targets fails, costs about 5 µs a target: not an idle month's.)
 */
const PLANNING_SECONDS_PER_TARGET_READ = 0.000001;

/**
 * What a probing shard's idle cycle waits for besides its own CPU. It makes no AWS call but its heartbeat
 * write, once a minute, and its probes are in flight while it works, so only the answers that outlast its CPU
 * work add to its wall: 62 ms (41 to 73 over 4 runs) at 1,000 endpoints on 576 MB when every answer comes
 * 50 ms after the probe (about two round trips between eu-west-1 and eu-central-1), measured at Lambda's CPU
 * share by bench/idle-cycle.bench.ts (docs/scale.md; 180 ms when answers take 100 ms, none at 100 endpoints
 * on 128 MB). The slowest run's 73 ms, and the heartbeat write one cycle in six (about 10 ms in-region):
 * 0.075 s.
 */
const PROBING_WAIT_SECONDS = 0.075;

/** How soon after its probe an endpoint answers in the measurement PROBING_WAIT_SECONDS rests on (the bill says so). */
export const ASSUMED_ANSWER_MS = 50;

/**
 * What the planning shard's cycle waits for besides its own CPU: the last answers, its plan reads (in
 * parallel: DynamoDB answers in single-digit milliseconds in-region), its heartbeat, and once per drift
 * period the cloud's state. Not measured on AWS; a quarter second covers it.
 */
const PLANNING_WAIT_SECONDS = 0.25;

/**
 * What starting the other shards adds to shard 0's queued cycle with `tick` (lambdas/handlers/shard-fan-out.ts):
 * an asynchronous Invoke per shard, all at once, before it probes. 1.5 ms of CPU each in a fan-out of 9 (2.2 ms
 * one at a time; bench/fan-out-invoke.bench.ts through the SDK against a loopback server answering 202), and
 * the wait for the slowest answer: Lambda answers an asynchronous Invoke once it has queued the event, tens of
 * milliseconds in-region. Not measured on AWS; 50 ms covers it.
 */
const FAN_OUT = { cpuSecondsPerShard: 0.0015, waitSeconds: 0.05 } as const;

/**
 * A shard of a checker region: the planning shard (shard 0, the only one of an unsharded region) plans for the
 * region every cycle; a probing shard (1 … K−1) probes its slice and plans only when its slice changed status.
 */
export type ShardRole = 'planning' | 'probing';

/** Lambda's memory at which a function has one full vCPU. */
const FULL_VCPU_MB = 1769;

/** A shard's cycle CPU, stretched by its share of a vCPU, takes at most this long. */
const MAX_CYCLE_CPU_WALL_SECONDS = 1;

const MIN_MEMORY_MB = 128;
const MEMORY_STEP_MB = 64;

const cpuSeconds = (cpu: typeof EARLY_CYCLE_CPU | typeof SHARD_CYCLE_CPU, endpoints: number) =>
  cpu.baseSeconds + cpu.secondsPerEndpoint * endpoints;

/** CPU-seconds of one of a fresh instance's first cycles over `endpoints`: what the memory is sized for. */
export function earlyCycleCpuSeconds(endpoints: number): number {
  return cpuSeconds(EARLY_CYCLE_CPU, endpoints);
}

/**
 * CPU-seconds of a warm instance's cycle over a slice of `endpoints`, as billed: a probing shard's own work, or the
 * planning shard's, which also reads and judges `targetsRead` targets (every region's).
 */
export function cycleCpuSeconds(endpoints: number, role: ShardRole, targetsRead = 0): number {
  const own = cpuSeconds(SHARD_CYCLE_CPU, endpoints);
  return role === 'probing' ? own : own + PLANNING_CALLS_CPU_SECONDS + PLANNING_SECONDS_PER_TARGET_READ * targetsRead;
}

/** Wall seconds of a warm cycle at `memoryMb`: the role's waiting plus its CPU at the function's share of a vCPU. */
export function cycleSeconds(endpoints: number, memoryMb: number, role: ShardRole, targetsRead = 0): number {
  const wait = role === 'probing' ? PROBING_WAIT_SECONDS : PLANNING_WAIT_SECONDS;
  return wait + (cycleCpuSeconds(endpoints, role, targetsRead) * FULL_VCPU_MB) / memoryMb;
}

/** Wall seconds that starting `shardsStarted` other shards adds to shard 0's queued cycle at `memoryMb`. */
export function fanOutSeconds(shardsStarted: number, memoryMb: number): number {
  if (shardsStarted <= 0) return 0;
  return FAN_OUT.waitSeconds + (FAN_OUT.cpuSecondsPerShard * shardsStarted * FULL_VCPU_MB) / memoryMb;
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

/** The checker's memory for a slice of `endpoints`: a fresh instance's cycle CPU in at most a second of wall time, 128 MB at least. */
export function checkerMemoryMb(endpoints: number): number {
  const needed = (earlyCycleCpuSeconds(endpoints) * FULL_VCPU_MB) / MAX_CYCLE_CPU_WALL_SECONDS;
  return Math.max(MIN_MEMORY_MB, Math.ceil(needed / MEMORY_STEP_MB) * MEMORY_STEP_MB);
}
