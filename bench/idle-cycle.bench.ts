// Idle-cycle benchmark: what a non-planning checker shard's cycle is billed for when nothing changes.
// Lambda bills wall time. At idle a shard ≥ 1 makes no AWS call in a cycle (it probes its slice and
// writes nothing, its heartbeat item once a minute), and its probes' waits overlap its CPU work (at most
// 256 in flight). So its billed cycle is about its CPU at its memory's share of a vCPU plus the last
// answers' round trip; this measures it instead of allowing a fixed wait for it.
// Per case: one shard process (shard 1 of 2) of N endpoints, every one answering after D ms (the
// round trips to an endpoint in another region; a TCP probe, every 20th endpoint, completes on connect),
// held to the CPU share of M MB of Lambda memory (a cgroup CFS quota per period of P ms, 20 by default,
// bench/lambda-cpu-share.ts; root only, it says so when it cannot), 16 cycles at the deployed 10 s
// interval, steady = mean of cycles 8–15. The period matters: a cycle after 10 s idle spends its first
// period's quota at once, so a cycle's wall is less than its CPU / share by up to one period.
// The cases run side by side, their cycles staggered by interval / cases so that no two overlap (each
// case counts the steady cycles that did overlap another's anyway).
// `tsx bench/idle-cycle.bench.ts [--endpoints 1000,100] [--delays 50,0,100] [--memory-mb M] [--period-ms 20]`
// (M defaults to the deployed size for N endpoints, checkerMemoryMb). Loopback only (127.0.0.0/8).
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkerMemoryMb } from '../lambdas/domain/config/checker-sizing';
import { parseTopology } from '../lambdas/domain/config/load';
import type { Topology } from '../lambdas/domain/config/schema';
import { shardOf, type ShardRef } from '../lambdas/domain/config/shards';
import { largeTopologyInput } from '../test/fixtures/large-topology';
import { startLoopbackFleet, type RunningFleet } from './fleet-process';
import type { IdleCycle, IdleShardJob, IdleShardReport } from './idle-shard';
import { lambdaCpuShare } from './lambda-cpu-share';

const CHECKER = 'eu-west-1';
/** The measured shard: not shard 0, which plans every cycle. */
const SHARD: ShardRef = { index: 1, count: 2 };
const checks = { intervalSeconds: 10, timeoutMs: 2_000, failureThreshold: 3, recoveryThreshold: 2 };
const CYCLES = 16;
/** Cycles from this one on are a warm instance's: the bill counts their mean. */
const STEADY_FROM = 8;
const PROBE_CONCURRENCY = 256;
const FULL_VCPU_MB = 1769;
/** The period Lambda was seen to meter its CPU share in (github.com/pwrdrvr/lambda-dispatch/issues/246); AWS does not document it. */
const LAMBDA_PERIOD_MS = 20;

interface Case {
  readonly endpoints: number;
  readonly delayMs: number;
  readonly memoryMb: number;
  /** The CPU share's CFS period. */
  readonly periodMs: number;
}

function numbers(option: string, text: string): number[] {
  return text.split(',').map((item) => {
    const value = Number(item);
    if (item.trim() === '' || !Number.isFinite(value) || value < 0)
      throw new Error(`--${option}: "${item}" is not a number ≥ 0 (expected a comma-separated list, e.g. 1000,100)`);
    return value;
  });
}

function casesFromArgs(): Case[] {
  const { values } = parseArgs({
    options: {
      endpoints: { type: 'string', default: '1000,100' },
      delays: { type: 'string', default: '50,0,100' },
      'memory-mb': { type: 'string' },
      'period-ms': { type: 'string', default: String(LAMBDA_PERIOD_MS) },
    },
  });
  const memory = values['memory-mb'] === undefined ? undefined : numbers('memory-mb', values['memory-mb'])[0];
  const periodMs = numbers('period-ms', values['period-ms'])[0] ?? LAMBDA_PERIOD_MS;
  return numbers('endpoints', values.endpoints).flatMap((endpoints) =>
    numbers('delays', values.delays).map((delayMs) => ({
      endpoints,
      delayMs,
      memoryMb: memory ?? checkerMemoryMb(endpoints),
      periodMs,
    })),
  );
}

/**
 * A region of 2N servers sharded in two, whose shard 1 owns exactly N: each of those probes one fleet
 * endpoint (every 20th a TCP listener, probed over TCP as a database member would be). Shard 0's N,
 * never probed here, have documentation addresses (198.18.0.0/15).
 */
function idleTopology(size: number, fleet: RunningFleet): Topology {
  const owned: number[] = [];
  const others: number[] = [];
  for (let i = 0; owned.length < size || others.length < size; i += 1)
    (shardOf(`web-${i}`, SHARD.count) === SHARD.index ? owned : others).push(i);
  const kept = new Set([...owned.slice(0, size), ...others.slice(0, size)]);
  const slot = new Map(owned.slice(0, size).map((server, endpoint) => [server, endpoint] as const));
  const endpointOf = (server: number) => {
    const index = slot.get(server);
    if (index === undefined) return undefined;
    const endpoint = fleet.endpoints[index];
    if (!endpoint) throw new Error(`the loopback fleet has no endpoint ${index} (it has ${fleet.endpoints.length})`);
    return endpoint;
  };
  const input = largeTopologyInput(
    Math.max(...kept) + 1,
    (i) => {
      const endpoint = endpointOf(i);
      const ip = endpoint?.host ?? `198.${18 + Math.floor(i / 65_536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
      return { ip, url: `http://${ip}${endpoint ? `:${endpoint.port}` : ''}/healthz` };
    },
    { regions: [CHECKER], shards: SHARD.count },
  );
  const servers = (input.servers ?? []).flatMap((server, i) => {
    if (!kept.has(i)) return [];
    const endpoint = endpointOf(i);
    return endpoint?.kind === 'tcp'
      ? [{ ...server, probe: { type: 'tcp' as const, host: endpoint.host, port: endpoint.port } }]
      : [server];
  });
  const ids = new Set(servers.map((server) => server.id));
  const dns = (input.dns ?? [])
    .map((record) => ({
      ...record,
      targets: record.targets.filter((t) => t.endpoint !== undefined && ids.has(t.endpoint)),
    }))
    .filter((record) => record.targets.length > 0);
  return parseTopology({ ...input, checks, servers, dns });
}

/** A shard process held to the case's CPU share (released when it exits), and when it is loaded. */
function startShard(c: Case): { worker: ChildProcess; unconfined?: string; loaded: Promise<void> } {
  const worker = fork(fileURLToPath(new URL('./idle-shard.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
  });
  const share = lambdaCpuShare(c.memoryMb, `idle-${c.endpoints}-${c.delayMs}`, c.periodMs * 1000);
  if (typeof share !== 'string' && worker.pid !== undefined) {
    share.confine(worker.pid);
    worker.once('exit', () => share.release());
  }
  const loaded = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('exit', (code) => reject(new Error(`the idle shard of ${c.endpoints} endpoints exited (${code})`)));
  });
  return { worker, loaded, ...(typeof share === 'string' && { unconfined: share }) };
}

function runShard(worker: ChildProcess, job: IdleShardJob): Promise<IdleShardReport> {
  worker.send(job);
  return new Promise((resolve, reject) => {
    worker.once('message', (report) => resolve(report as IdleShardReport));
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`an idle shard exited with ${code}`))));
  });
}

const running = (worker: ChildProcess) => worker.exitCode === null && worker.signalCode === null;

/**
 * Every case side by side, cycles staggered. Whatever happens, every shard has exited (and released
 * its CPU share) and every fleet is told to go before this returns.
 */
async function runCases(cases: readonly Case[]): Promise<IdleShardReport[]> {
  const fleets: RunningFleet[] = [];
  const workers: ChildProcess[] = [];
  try {
    const jobs: IdleShardJob[] = [];
    for (const c of cases) {
      const fleet = await startLoopbackFleet(c.endpoints, { answerDelayMs: c.delayMs, allAnswering: true });
      fleets.push(fleet);
      const topology = idleTopology(c.endpoints, fleet);
      const shard = startShard(c);
      workers.push(shard.worker);
      if (shard.unconfined !== undefined)
        console.log(`  CPU share of ${c.memoryMb} MB not applied: ${shard.unconfined}`);
      await shard.loaded;
      jobs.push({ topology, checker: CHECKER, shard: SHARD, cycles: CYCLES, startAtMs: 0 });
    }
    const firstStart = Date.now() + 1_000;
    const staggerMs = (checks.intervalSeconds * 1000) / cases.length;
    return await Promise.all(
      jobs.map((job, k) => runShard(workers[k]!, { ...job, startAtMs: firstStart + k * staggerMs })),
    );
  } finally {
    const exits = workers.filter(running).map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
    for (const worker of workers.filter(running)) worker.kill();
    for (const { fleet } of fleets) if (fleet.connected) fleet.disconnect();
    await Promise.all(exits);
  }
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** Steady cycles of `mine` that ran while a cycle of another case did. */
function overlapping(mine: readonly IdleCycle[], others: readonly IdleCycle[]): number {
  const end = (c: IdleCycle) => c.startMs + c.wallMs;
  return mine.filter((c) => others.some((o) => o.startMs < end(c) && c.startMs < end(o))).length;
}

const cases = casesFromArgs();
console.log(
  `idle cycle: shard ${SHARD.index} of ${SHARD.count} (non-planning), every endpoint answering after the delay, ${CYCLES} cycles at ${checks.intervalSeconds} s, steady = mean of cycles ${STEADY_FROM}–${CYCLES - 1}; ${cases.length} case(s) side by side, staggered; CPU share metered per ${cases[0]?.periodMs} ms period; node ${process.version}, load average at start ${load()}`,
);
const reports = await runCases(cases);
let notIdle = false;
const rows: string[] = [];
reports.forEach((report, k) => {
  const c = cases[k]!;
  const share = c.memoryMb / FULL_VCPU_MB;
  const cold = report.cycles[0]!;
  const steady = report.cycles.slice(STEADY_FROM);
  const wall = mean(steady.map((s) => s.wallMs));
  const cpu = mean(steady.map((s) => s.cpuSeconds));
  const cpuWallMs = (cpu / share) * 1000;
  const others = reports.filter((_, j) => j !== k).flatMap((r) => r.cycles);
  const written = report.cycles.filter((s) => s.view === 'written').length;
  const failed = report.cycles.reduce((total, s) => total + s.failedProbes, 0);
  notIdle ||= written > 0 || failed > 0;
  const waves = Math.ceil(report.targets / PROBE_CONCURRENCY) * c.delayMs;
  console.log(
    `\n${report.targets.toLocaleString('en')} endpoints, answers after ${c.delayMs} ms, ${c.memoryMb} MB (${(share * 100).toFixed(1)}% of a vCPU)`,
  );
  console.log(`  cold cycle: wall ${ms(cold.wallMs)}, CPU ${cold.cpuSeconds.toFixed(3)} s`);
  console.log(
    `  steady: wall ${ms(wall)} (${ms(Math.min(...steady.map((s) => s.wallMs)))}–${ms(Math.max(...steady.map((s) => s.wallMs)))}), CPU ${cpu.toFixed(3)} s (${Math.min(...steady.map((s) => s.cpuSeconds)).toFixed(3)}–${Math.max(...steady.map((s) => s.cpuSeconds)).toFixed(3)}), CPU/share ${ms(cpuWallMs)}, wait = wall − CPU/share ${ms(wall - cpuWallMs)} (the answers alone: ⌈${report.targets}/${PROBE_CONCURRENCY}⌉ × ${c.delayMs} ms = ${ms(waves)})`,
  );
  console.log(
    `  heartbeat writes in the steady cycles: ${steady.filter((s) => s.view === 'heartbeat').length} of ${steady.length}; view writes: ${written} (target 0); failed probes: ${failed} (target 0); steady cycles overlapping another case's: ${overlapping(steady, others)}`,
  );
  rows.push(
    `| ${report.targets.toLocaleString('en')} | ${c.delayMs} ms | ${c.memoryMb} MB | ${ms(cold.wallMs)} / ${cold.cpuSeconds.toFixed(3)} s | ${ms(wall)} | ${cpu.toFixed(3)} s | ${ms(cpuWallMs)} | ${ms(wall - cpuWallMs)} |`,
  );
});
console.log(`\nload average at the end ${load()}`);
console.log(
  '| endpoints | answer delay | memory | cold: wall / CPU | steady wall | steady CPU | CPU/share | wait |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
);
console.log(rows.join('\n'));
process.exitCode = notIdle ? 1 : 0;
