// Probe engine benchmark: N loopback endpoints (10% black-holed), 2 s timeout, probed by probeTargetsConcurrently.
// Targets (DESIGN.md): 1,000 endpoints in ≤ 2.5 s wall, ≤ 150 MB peak RSS, ≥ 4,000 HTTP probes per CPU-second.
// Three cycles per size: the first is cold (code not yet optimised by the JIT), the third is the steady
// state of a checker probing every interval. Wall time and RSS are judged on both; CPU on the warm one,
// which is what a running checker spends (the cold figure is printed beside it).
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ProbeTarget } from '../lambdas/domain/config/targets';
import type { Observation } from '../lambdas/domain/observation';
import { probeTargetsConcurrently } from '../lambdas/probes/probe-engine';
import type { FleetEndpoint, FleetMessage } from './loopback-fleet';

const sizes = [100, 1_000, 5_000];
const timeoutMs = 2_000;
const target = { size: 1_000, wallSeconds: 2.5, peakRssMb: 150, httpProbesPerCpuSecond: 4_000 };

const checks = { intervalSeconds: 10, timeoutMs, failureThreshold: 3, recoveryThreshold: 2, certificateWarningDays: 14 };

function startFleet(count: number): Promise<{ child: ChildProcess; endpoints: readonly FleetEndpoint[] }> {
  const child = fork(fileURLToPath(new URL('./loopback-fleet.ts', import.meta.url)), [String(count)], { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, endpoints: (message as FleetMessage).endpoints }));
    child.once('exit', (code) => reject(new Error(`the loopback fleet exited (${code}) before it was ready`)));
  });
}

function targetsFor(endpoints: readonly FleetEndpoint[]): ProbeTarget[] {
  return endpoints.map((e, i) => ({
    id: `endpoint-${i}`,
    region: 'eu-west-1',
    role: 'server',
    probe:
      e.kind === 'tcp'
        ? { type: 'tcp', host: e.host, port: e.port }
        : { type: 'http', url: `http://${e.host}:${e.port}/healthz`, method: 'GET', verifyTls: true, maxBodyBytes: 64 * 1024, redirects: 'follow' },
    checks,
  }));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);
}

interface CycleFigures {
  readonly size: number;
  readonly phase: 'cold' | 'warm';
  readonly wallSeconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly httpProbesPerCpuSecond: number;
  readonly wrong: number;
}

async function measureCycle(size: number, phase: CycleFigures['phase'], endpoints: readonly FleetEndpoint[], targets: ProbeTarget[]): Promise<CycleFigures> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const observations: Observation[] = await probeTargetsConcurrently(targets);
  const wallSeconds = (performance.now() - started) / 1_000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // Black-holed endpoints must time out; every other one must answer.
  const wrong = observations.filter((o, i) => o.ok === endpoints[i]!.blackHoled).length;
  const answered = observations.filter((o) => o.ok).map((o) => o.latencyMs).sort((a, b) => a - b);
  const httpAnswered = observations.filter((o) => o.ok && o.kind === 'http').length;
  return {
    size,
    phase,
    wallSeconds,
    p50Ms: percentile(answered, 50),
    p99Ms: percentile(answered, 99),
    cpuSeconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    httpProbesPerCpuSecond: httpAnswered / cpuSeconds,
    wrong,
  };
}

function verdict(f: CycleFigures): string {
  if (f.wrong > 0) return `FAIL (${f.wrong} wrong outcomes)`;
  if (f.size !== target.size) return '-';
  const misses = [
    f.wallSeconds > target.wallSeconds && `wall > ${target.wallSeconds} s`,
    f.peakRssMb > target.peakRssMb && `RSS > ${target.peakRssMb} MB`,
    f.phase === 'warm' && f.httpProbesPerCpuSecond < target.httpProbesPerCpuSecond && `< ${target.httpProbesPerCpuSecond} probes/CPU-s`,
  ].filter(Boolean);
  return misses.length === 0 ? 'pass' : `FAIL (${misses.join(', ')})`;
}

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.map(String).join(' | ')} |`;
}

async function main(): Promise<void> {
  const rows: CycleFigures[] = [];
  for (const size of sizes) {
    const { child, endpoints } = await startFleet(size);
    try {
      const targets = targetsFor(endpoints);
      rows.push(await measureCycle(size, 'cold', endpoints, targets));
      await measureCycle(size, 'warm', endpoints, targets);
      rows.push(await measureCycle(size, 'warm', endpoints, targets));
    } finally {
      child.disconnect();
    }
  }
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`probe engine: ${timeoutMs} ms timeout, concurrency 256, 10% black-holed; node ${process.version}, ${process.platform}/${process.arch}, load average ${load}`);
  console.log(row(['endpoints', 'cycle', 'wall s', 'p50 ms', 'p99 ms', 'CPU s', 'peak RSS MB', 'HTTP probes / CPU-s', 'target']));
  console.log(row(['---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---']));
  for (const f of rows) {
    console.log(
      row([f.size, f.phase, f.wallSeconds.toFixed(2), f.p50Ms.toFixed(2), f.p99Ms.toFixed(2), f.cpuSeconds.toFixed(3), f.peakRssMb.toFixed(0), Math.round(f.httpProbesPerCpuSecond), verdict(f)]),
    );
  }
  if (rows.some((f) => verdict(f).startsWith('FAIL'))) process.exitCode = 1;
}

await main();
