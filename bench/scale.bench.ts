// Scale benchmark: 100, 1,000 and 10,000 loopback endpoints (10% accepting and never answering,
// 2 s timeout), sharded as deployed (guard.shardCapacity 1,000 → 1, 1 and 10 shards), each shard its
// own process probing its slice every 10 s with the real probe engine and observe(). Per shard: cycle
// wall, CPU-seconds, peak RSS, bytes written to the state table; and detection: one endpoint stops
// answering → UNHEALTHY quorum verdict over the region's shard views merged.
// Targets (issue 11): detection ≤ interval × threshold + 2 s at 10,000; each shard ≤ 256 MB; a
// shard's cycle ≤ timeout + 1 s. Loopback only (127.0.0.0/8).
// CPU per cycle is shown cold (a fresh instance), its worst warm cycle, and steady: the mean from cycle
// 8 on, what a warm instance spends (the cost model's figure, lambdas/domain/config/checker-sizing.ts).
// SCALE_MEMORY_MB=<MB> holds each shard process to the CPU share Lambda gives that memory (a cgroup
// CFS quota, bench/lambda-cpu-share.ts; root only) and counts false failures: probes of answering
// endpoints that failed, as a shard too slow for its slice would make them.
// `tsx bench/scale.bench.ts [sizes…]` runs only the sizes named; with SCALE_CPU_PROF=<dir> each shard
// process writes a V8 CPU profile (node --cpu-prof) there. On a shared machine compare the CPU-seconds,
// not the wall times.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseTopology } from '../lambdas/domain/config/load';
import { shardCount } from '../lambdas/domain/config/shards';
import { largeTopologyInput } from '../test/fixtures/large-topology';
import { lambdaCpuShare } from './lambda-cpu-share';
import { startLoopbackFleet } from './fleet-process';
import type { ShardJob, ShardReport } from './scale-shard';

const requested = process.argv.slice(2).map(Number);
const sizes = requested.length > 0 ? requested : [100, 1_000, 10_000];
const cpuProfileDir = process.env.SCALE_CPU_PROF;
const memoryMb = process.env.SCALE_MEMORY_MB === undefined ? undefined : Number(process.env.SCALE_MEMORY_MB);
const checks = { intervalSeconds: 10, timeoutMs: 2_000, failureThreshold: 3, recoveryThreshold: 2 };
const CYCLES = 16;
/** Cycles from this one on are a warm instance's (the JIT has compiled the hot paths): the bill counts their mean. */
const STEADY_FROM = 8;
const target = {
  detectionSeconds: checks.intervalSeconds * checks.failureThreshold + 2,
  shardRssMb: 256,
  cycleSeconds: checks.timeoutMs / 1000 + 1,
};

function child(script: string, args: string[] = [], profile = false): ChildProcess {
  const execArgv = ['--import', 'tsx', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [])];
  return fork(fileURLToPath(new URL(script, import.meta.url)), args, { execArgv });
}

function runShard(job: ShardJob): Promise<ShardReport> {
  const worker = child('./scale-shard.ts', [], cpuProfileDir !== undefined);
  const share = memoryMb === undefined ? undefined : lambdaCpuShare(memoryMb, `shard-${job.shard}`);
  if (typeof share === 'string') console.log(`  CPU share of ${memoryMb} MB not applied: ${share}`);
  else if (share && worker.pid !== undefined) {
    share.confine(worker.pid);
    worker.once('exit', () => share.release());
  }
  worker.send(job);
  return new Promise((resolve, reject) => {
    worker.once('message', (report) => resolve(report as ShardReport));
    worker.once('exit', (code) =>
      code === 0 ? undefined : reject(new Error(`shard ${job.shard} exited with ${code}`)),
    );
  });
}

const max = (values: readonly number[]) => Math.max(...values);
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

let failed = false;
console.log(
  `scale: loopback fleets, 10% black-holed, ${checks.timeoutMs} ms timeout, ${checks.intervalSeconds} s interval, threshold ${checks.failureThreshold}; ${CYCLES} cycles per shard (0 cold, then warm; one endpoint of each shard stops answering after cycle 1)`,
);
for (const size of sizes) {
  const { fleet, endpoints } = await startLoopbackFleet(size);
  const input = largeTopologyInput(
    size,
    (i) => ({ ip: endpoints[i]!.host, url: `http://${endpoints[i]!.host}:${endpoints[i]!.port}/healthz` }),
    { regions: ['eu-west-1'] },
  );
  const topology = parseTopology({
    ...input,
    checks,
    // Every 20th fleet endpoint is a plain TCP listener: probed over TCP, as a database member would be.
    servers: (input.servers ?? []).map((server, i) =>
      endpoints[i]!.kind === 'tcp'
        ? { ...server, probe: { type: 'tcp' as const, host: endpoints[i]!.host, port: endpoints[i]!.port } }
        : server,
    ),
  });
  const count = shardCount(topology);
  const blackHoledIds = topology.servers.filter((_, i) => endpoints[i]!.blackHoled).map((server) => server.id);
  const reports = await Promise.all(
    Array.from({ length: count }, (_, shard) =>
      runShard({ topology, shard, count, cycles: CYCLES, blackHoled: blackHoledIds }),
    ),
  );
  fleet.disconnect();
  const warm = reports.flatMap((r) => r.cycles.slice(1));
  const cold = reports.map((r) => r.cycles[0]!);
  const steady = reports.flatMap((r) => r.cycles.slice(STEADY_FROM));
  const steadyCpu = sum(steady.map((c) => c.cpuSeconds)) / steady.length;
  const sliceMean = sum(reports.map((r) => r.targets)) / reports.length;
  const detections = reports.map((r) => r.detectionMs ?? Number.POSITIVE_INFINITY);
  const wallOk = max(warm.map((c) => c.wallMs)) <= target.cycleSeconds * 1000;
  const rssOk = max(reports.map((r) => r.peakRssMb)) <= target.shardRssMb;
  const detectionOk = max(detections) <= target.detectionSeconds * 1000;
  failed ||= !(wallOk && rssOk && detectionOk);
  console.log(
    `\n${size.toLocaleString('en')} endpoints: ${count} shard(s) of ${Math.min(...reports.map((r) => r.targets))}–${max(reports.map((r) => r.targets))} endpoints`,
  );
  console.log(
    `  cycle wall per shard: cold ≤ ${s(max(cold.map((c) => c.wallMs)))}, warm ≤ ${s(max(warm.map((c) => c.wallMs)))} (target ≤ ${target.cycleSeconds} s: ${wallOk ? 'ok' : 'MISSED'})`,
  );
  console.log(
    `  CPU per shard and cycle: cold ≤ ${max(cold.map((c) => c.cpuSeconds)).toFixed(2)} s, warm ≤ ${max(warm.map((c) => c.cpuSeconds)).toFixed(2)} s, steady (mean of cycles ${STEADY_FROM}–${CYCLES - 1}) ${steadyCpu.toFixed(3)} s = ${((steadyCpu / sliceMean) * 1000).toFixed(3)} ms per endpoint`,
  );
  const falseFailures = (cycles: readonly { falseFailures: number }[]) => sum(cycles.map((c) => c.falseFailures));
  const falseOk = falseFailures(cold) + falseFailures(warm) === 0;
  failed ||= !falseOk;
  console.log(
    `  false failures (probes of answering endpoints that failed): cold ${falseFailures(cold)}, warm ${falseFailures(warm)} (target 0: ${falseOk ? 'ok' : 'MISSED'})${memoryMb === undefined ? '' : `; each shard held to the CPU of ${memoryMb} MB (${((memoryMb / 1769) * 100).toFixed(1)}% of a vCPU)`}`,
  );
  const processCpu = reports.map((r) => r.processCpuSeconds);
  console.log(
    `  CPU-seconds per shard process (${CYCLES} cycles, start-up included): ≤ ${max(processCpu).toFixed(2)} s; all shards ${sum(processCpu).toFixed(2)} s`,
  );
  console.log(
    `  peak RSS per shard ≤ ${max(reports.map((r) => r.peakRssMb)).toFixed(0)} MB (target ≤ ${target.shardRssMb} MB: ${rssOk ? 'ok' : 'MISSED'})`,
  );
  const bytesPerCycle = Array.from({ length: CYCLES }, (_, i) => sum(reports.map((r) => r.cycles[i]!.bytesWritten)));
  console.log(
    `  bytes written to the state table per cycle (all shards): ${bytesPerCycle.map((b) => `${(b / 1024).toFixed(1)} KB`).join(', ')} (views and heartbeat items; 0 = view unchanged, heartbeat not due)`,
  );
  console.log(
    `  detection (stop → UNHEALTHY verdict over the merged views): ≤ ${s(max(detections))} (target ≤ ${target.detectionSeconds} s: ${detectionOk ? 'ok' : 'MISSED'}); merging the region's views and judging: ≤ ${max(reports.map((r) => r.mergeMs)).toFixed(0)} ms`,
  );
}
process.exitCode = failed ? 1 : 0;
