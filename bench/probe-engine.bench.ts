// Probe engine benchmark: N loopback endpoints (10% black-holed), 2 s timeout, probed over HTTP and
// over TCP by probeTargetsConcurrently and — when installed — by prometheus-blackbox-exporter, in one run.
// Each size runs in a fresh process: cold is its first cycle (code not yet optimised by the JIT),
// warm the median of the later ones. Every probe counts (answered or not) in probes per CPU-second.
// Targets (DESIGN.md): 1,000 endpoints in ≤ 2.5 s wall and ≤ 150 MB peak RSS; ≥ 3× the exporter's
// probes per CPU-second, cold and warm, HTTP and TCP, at 1,000 and 5,000 endpoints; 0 false verdicts.
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ProbeTarget } from '../lambdas/domain/config/targets';
import { probeTargetsConcurrently } from '../lambdas/probes/probe-engine';
import { exporterVersion, startExporter, type RunningExporter } from './blackbox-exporter';
import { startLoopbackFleet } from './fleet-process';
import type { FleetEndpoint } from './loopback-fleet';

const sizes = [1_000, 5_000];
const timeoutMs = 2_000;
const laterCycles = 3;
const target = { size: 1_000, wallSeconds: 2.5, peakRssMb: 150, ratio: 3 };
const checks = {
  intervalSeconds: 10,
  timeoutMs,
  failureThreshold: 3,
  recoveryThreshold: 2,
  certificateWarningDays: 14,
};
type Mode = 'http' | 'tcp';

/** Over HTTP only the answering HTTP endpoints are up; over TCP every endpoint accepts. */
function expectedUp(endpoint: FleetEndpoint, mode: Mode): boolean {
  return mode === 'tcp' || (endpoint.kind === 'http' && !endpoint.blackHoled);
}

function targetsFor(endpoints: readonly FleetEndpoint[], mode: Mode): ProbeTarget[] {
  return endpoints.map((e, i) => ({
    id: `endpoint-${i}`,
    region: 'eu-west-1',
    role: 'server',
    probe:
      mode === 'tcp'
        ? { type: 'tcp', host: e.host, port: e.port }
        : {
            type: 'http',
            url: `http://${e.host}:${e.port}/healthz`,
            method: 'GET',
            verifyTls: true,
            maxBodyBytes: 64 * 1024,
            redirects: 'follow',
          },
    checks,
  }));
}

interface Cycle {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly wrong: number;
}

async function engineCycle(endpoints: readonly FleetEndpoint[], targets: ProbeTarget[], mode: Mode): Promise<Cycle> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const observations = await probeTargetsConcurrently(targets);
  const wallSeconds = (performance.now() - started) / 1_000;
  const cpu = process.cpuUsage(cpuBefore);
  const wrong = observations.filter((o, i) => o.ok !== expectedUp(endpoints[i] as FleetEndpoint, mode)).length;
  return { wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, wrong };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface Row {
  readonly size: number;
  readonly mode: Mode;
  readonly phase: 'cold' | 'warm';
  readonly engine: Cycle;
  readonly exporter?: Cycle;
  readonly peakRssMb: number;
}

function warmOf(cycles: readonly Cycle[]): Cycle {
  return {
    wallSeconds: median(cycles.map((c) => c.wallSeconds)),
    cpuSeconds: median(cycles.map((c) => c.cpuSeconds)),
    wrong: Math.max(...cycles.map((c) => c.wrong)),
  };
}

/** One size in this (fresh) process: cold and warm cycles of the engine and of the exporter, HTTP then TCP. */
async function measureSize(size: number): Promise<Row[]> {
  const { fleet: child, endpoints } = await startLoopbackFleet(size);
  const rows: Row[] = [];
  let exporter: RunningExporter | undefined;
  try {
    for (const mode of ['http', 'tcp'] as const) {
      const targets = targetsFor(endpoints, mode);
      const engine = [await engineCycle(endpoints, targets, mode)];
      for (let i = 0; i < laterCycles; i += 1) engine.push(await engineCycle(endpoints, targets, mode));
      const peakRssMb = process.resourceUsage().maxRSS / 1024;
      let exporterCycles: Cycle[] | undefined;
      if (exporterVersion()) {
        // A fresh exporter per mode, so its first cycle is cold too.
        exporter = await startExporter(timeoutMs, 20_000 + Math.floor(Math.random() * 10_000));
        exporterCycles = [];
        const probes = endpoints.map((endpoint) => ({ endpoint, over: mode, up: expectedUp(endpoint, mode) }));
        for (let i = 0; i <= laterCycles; i += 1) exporterCycles.push(await exporter.cycle(probes));
        await exporter.stop();
        exporter = undefined;
      }
      rows.push({ size, mode, phase: 'cold', engine: engine[0] as Cycle, exporter: exporterCycles?.[0], peakRssMb });
      rows.push({
        size,
        mode,
        phase: 'warm',
        engine: warmOf(engine.slice(1)),
        exporter: exporterCycles && warmOf(exporterCycles.slice(1)),
        peakRssMb,
      });
    }
  } finally {
    await exporter?.stop();
    child.disconnect();
  }
  return rows;
}

const perCpuSecond = (size: number, cycle: Cycle) => size / cycle.cpuSeconds;

function verdict(row: Row): string {
  const misses = [
    row.engine.wrong > 0 && `${row.engine.wrong} false verdicts`,
    (row.exporter?.wrong ?? 0) > 0 && `exporter: ${row.exporter?.wrong} false verdicts`,
    row.size === target.size &&
      row.engine.wallSeconds > target.wallSeconds &&
      row.mode === 'http' &&
      `wall > ${target.wallSeconds} s`,
    row.peakRssMb > target.peakRssMb && row.size === target.size && `RSS > ${target.peakRssMb} MB`,
    row.exporter &&
      perCpuSecond(row.size, row.engine) / perCpuSecond(row.size, row.exporter) < target.ratio &&
      `< ${target.ratio}× the exporter`,
  ].filter(Boolean);
  return misses.length === 0 ? 'pass' : `FAIL (${misses.join(', ')})`;
}

const cells = (values: readonly (string | number)[]) => `| ${values.map(String).join(' | ')} |`;

async function main(): Promise<void> {
  const onlySize = Number(process.argv[2]);
  if (onlySize > 0) {
    const rows = await measureSize(onlySize);
    // Keep-alive sockets to the exporter would hold the process open.
    process.send?.(rows, () => process.exit(0));
    return;
  }
  const version = exporterVersion();
  const rows: Row[] = [];
  for (const size of sizes) {
    const child = fork(fileURLToPath(import.meta.url), [String(size)], { execArgv: ['--import', 'tsx'] });
    rows.push(
      ...(await new Promise<Row[]>((resolve, reject) => {
        child.once('message', (message) => resolve(message as Row[]));
        child.once('exit', (code) => reject(new Error(`the ${size}-endpoint run exited (${code})`)));
      })),
    );
  }
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(
    `probe engine: ${timeoutMs} ms timeout, concurrency 256, 10% black-holed; node ${process.version}, ${process.platform}/${process.arch}, load average ${load}`,
  );
  console.log(
    version
      ? `prometheus-blackbox-exporter: ${version}`
      : `prometheus-blackbox-exporter: absent (apt-get install prometheus-blackbox-exporter to compare); engine figures only`,
  );
  console.log(
    cells([
      'endpoints',
      'probe',
      'cycle',
      'wall s',
      'CPU s',
      'peak RSS MB',
      'probes / CPU-s',
      'exporter wall s',
      'exporter CPU s',
      'exporter probes / CPU-s',
      'ratio',
      'target',
    ]),
  );
  console.log(cells(['---:', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---']));
  for (const row of rows) {
    const ex = row.exporter;
    console.log(
      cells([
        row.size,
        row.mode,
        row.phase,
        row.engine.wallSeconds.toFixed(2),
        row.engine.cpuSeconds.toFixed(3),
        row.peakRssMb.toFixed(0),
        Math.round(perCpuSecond(row.size, row.engine)),
        ex ? ex.wallSeconds.toFixed(2) : '-',
        ex ? ex.cpuSeconds.toFixed(3) : '-',
        ex ? Math.round(perCpuSecond(row.size, ex)) : '-',
        ex ? `${(perCpuSecond(row.size, row.engine) / perCpuSecond(row.size, ex)).toFixed(1)}×` : '-',
        verdict(row),
      ]),
    );
  }
  if (rows.some((row) => verdict(row).startsWith('FAIL'))) process.exitCode = 1;
}

await main();
