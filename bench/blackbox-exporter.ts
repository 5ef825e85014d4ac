// prometheus-blackbox-exporter (the Debian package) probing the same loopback fleet, for the probe
// bench's CPU comparison: its CPU time is read from /proc, every probe asked over its /probe endpoint.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapConcurrently } from '../lambdas/probes/concurrency-limit';
import type { FleetEndpoint } from './loopback-fleet';

const exporterBinary = '/usr/bin/prometheus-blackbox-exporter';

interface ExporterCycle {
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  /** Endpoints whose verdict is not the expected one (black-holed ones must fail, the rest succeed). */
  readonly wrong: number;
}

/** One probe asked of the exporter, and whether the endpoint is up by that probe. */
interface ExporterProbe {
  readonly endpoint: FleetEndpoint;
  readonly over: 'http' | 'tcp';
  readonly up: boolean;
}

export interface RunningExporter {
  cycle(probes: readonly ExporterProbe[]): Promise<ExporterCycle>;
  stop(): Promise<void>;
}

/** The exporter's version line, or undefined when it is not installed. */
export function exporterVersion(): string | undefined {
  const result = spawnSync(exporterBinary, ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stdout}${result.stderr}`.split('\n')[0];
}

function cpuSecondsOf(pid: number): number {
  // /proc/<pid>/stat: fields 14 and 15 are utime and stime in clock ticks (100 a second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function ask(port: number, { endpoint, over }: ExporterProbe): Promise<boolean> {
  const module = over === 'tcp' ? 'tcp_connect' : 'http_any';
  const target =
    over === 'tcp' ? `${endpoint.host}:${endpoint.port}` : `http://${endpoint.host}:${endpoint.port}/healthz`;
  return new Promise((resolve, reject) => {
    get(
      { host: '127.0.0.1', port, agent, path: `/probe?module=${module}&target=${encodeURIComponent(target)}` },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (part: string) => (text += part));
        response.on('end', () => resolve(/^probe_success 1$/m.test(text)));
      },
    ).on('error', reject);
  });
}

/** Starts the exporter on a loopback port with the bench's timeout; modules http_any and tcp_connect. */
export async function startExporter(timeoutMs: number, port: number): Promise<RunningExporter> {
  const dir = mkdtempSync(join(tmpdir(), 'blackbox-'));
  const config = join(dir, 'blackbox.yml');
  const timeout = `${timeoutMs / 1000}s`;
  writeFileSync(
    config,
    `modules:\n  http_any:\n    prober: http\n    timeout: ${timeout}\n    http:\n      preferred_ip_protocol: ip4\n  tcp_connect:\n    prober: tcp\n    timeout: ${timeout}\n    tcp:\n      preferred_ip_protocol: ip4\n`,
  );
  const child: ChildProcess = spawn(
    exporterBinary,
    [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  // Ready once /metrics answers.
  for (let attempt = 0; ; attempt += 1) {
    const up = await new Promise<boolean>((resolve) =>
      get({ host: '127.0.0.1', port, path: '/metrics' }, (r) => resolve(r.resume() !== undefined)).on('error', () =>
        resolve(false),
      ),
    );
    if (up) break;
    if (child.exitCode !== null) throw new Error(`the blackbox exporter exited (${child.exitCode}) on start`);
    if (attempt > 100) throw new Error('the blackbox exporter did not start within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = child.pid as number;
  return {
    async cycle(probes) {
      const cpuBefore = cpuSecondsOf(pid);
      const started = performance.now();
      const verdicts = await mapConcurrently(probes, 256, (probe) => ask(port, probe));
      const wallSeconds = (performance.now() - started) / 1000;
      const wrong = verdicts.filter((ok, i) => ok !== probes[i]?.up).length;
      return { cpuSeconds: cpuSecondsOf(pid) - cpuBefore, wallSeconds, wrong };
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
