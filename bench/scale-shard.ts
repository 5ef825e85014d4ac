// Child process of the scale benchmark: one checker shard, as deployed (its own process, so its CPU
// and peak RSS are its own). It probes its slice of the loopback fleet every interval with the real
// probe engine and observe(), and hosts one endpoint of its slice itself, which it black-holes after
// the warm cycle: detection is the time from that moment until quorum, over the region's shard views
// merged, says UNHEALTHY — judged by this shard right after its write, as a deployed shard whose slice
// changed status plans.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { encodeValue } from '../lambdas/adapters/aws/state-document-codec';
import { MemoryStateStore } from '../lambdas/adapters/memory/memory-state-store';
import type { Topology } from '../lambdas/domain/config/schema';
import { ownedBy } from '../lambdas/domain/config/shards';
import { quorumVerdicts } from '../lambdas/domain/health/quorum';
import type { CheckerView } from '../lambdas/domain/health/types';
import {
  observe,
  readCheckerViews,
  viewName,
  VIEW_NAMESPACE,
  type GuardContext,
  type GuardPorts,
} from '../lambdas/engine';
import { probeTopology } from '../lambdas/probes/probe-engine';
import { healthyShardView, itemSizeBytes } from './checker-views';

export interface ShardJob {
  readonly topology: Topology;
  readonly shard: number;
  readonly count: number;
  /** Cycles to run; the shard's own endpoint stops answering after cycle 1 (the first warm one). */
  readonly cycles: number;
  /** Servers whose endpoint accepts and never answers: their probes fail by design. */
  readonly blackHoled: readonly string[];
}

interface ShardCycle {
  /** The probes, the view written, the region's views merged and judged: a shard's whole cycle. */
  readonly wallMs: number;
  readonly cpuSeconds: number;
  readonly bytesWritten: number;
  /** Probes of endpoints that answer which failed anyway: a shard too slow for its slice. */
  readonly falseFailures: number;
}

export interface ShardReport {
  readonly shard: number;
  readonly targets: number;
  readonly cycles: readonly ShardCycle[];
  readonly peakRssMb: number;
  /** ms from the stop to the UNHEALTHY verdict; undefined when it was not reached. */
  readonly detectionMs?: number;
  /** ms to merge the region's shard views and compute every verdict, as the planning shard does each cycle. */
  readonly mergeMs: number;
  /** CPU-seconds (user + system) of this shard process from start to end, start-up included. */
  readonly processCpuSeconds: number;
}

const REGION = 'eu-west-1';

/** An HTTP endpoint that answers until `blackHole()`: then it accepts and never answers. */
async function stoppable(): Promise<{ server: Server; port: number; blackHole: () => void }> {
  let answering = true;
  const server = createServer((_req, res) => {
    if (answering) res.end('ok');
  });
  server.on('connection', (socket: Socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    blackHole: () => {
      answering = false;
    },
  };
}

/** The other shards' views, healthy (their sizes are what shard 0 merges every cycle). */
function otherShardViews(topology: Topology, job: ShardJob, at: string): CheckerView[] {
  const ids = topology.servers.map((s) => s.id);
  return Array.from({ length: job.count }, (_, index) => index)
    .filter((index) => index !== job.shard)
    .map((index) => healthyShardView(REGION, ids, { index, count: job.count }, at));
}

async function run(job: ShardJob): Promise<ShardReport> {
  const endpoint = await stoppable();
  // The one endpoint of this slice served here, so this process can stop it.
  const owns = ownedBy({ index: job.shard, count: job.count });
  const stopId = job.topology.servers.find((s) => owns(s.id) && s.probe.type === 'http')!.id;
  const topology: Topology = {
    ...job.topology,
    servers: job.topology.servers.map((s) =>
      s.id === stopId
        ? { ...s, probe: { ...s.probe, url: `http://127.0.0.1:${endpoint.port}/healthz` } as typeof s.probe }
        : s,
    ),
  };
  const blackHoled = new Set(job.blackHoled);
  const store = new MemoryStateStore({ now: () => new Date() });
  // Bytes of every item this shard writes in a cycle: its view when it changed, and its heartbeat item.
  let bytes = 0;
  const put = store.put.bind(store);
  store.put = (namespace, name, value, expectedVersion, ttlSeconds) => {
    bytes += itemSizeBytes({
      pk: { S: namespace },
      sk: { S: name },
      value: encodeValue(`${namespace}/${name}`, value),
      version: { N: '123456' },
    });
    return put(namespace, name, value, expectedVersion, ttlSeconds);
  };
  const ctx: GuardContext = {
    topology,
    checker: REGION,
    ports: { store } as unknown as GuardPorts,
    now: () => new Date(),
    dryRun: true,
    probe: (t, only) => probeTopology(t, { checker: REGION, only }),
    shard: { index: job.shard, count: job.count },
  };
  const intervalMs = topology.checks.intervalSeconds * 1000;
  const staleSeconds = topology.guard.heartbeatStaleSeconds;
  const cycles: ShardCycle[] = [];
  const othersTemplate = otherShardViews(topology, job, new Date().toISOString());
  const writeOthers = async (at: string) => {
    for (const view of othersTemplate) {
      const name = viewName(REGION, view.shard);
      const stored = await store.get(VIEW_NAMESPACE, name);
      await put(VIEW_NAMESPACE, name, { ...view, at }, stored?.version ?? 0);
    }
  };
  let stoppedAt: number | undefined;
  let detectionMs: number | undefined;
  let mergeMs = 0;
  const start = Date.now();
  for (let i = 0; i < job.cycles; i += 1) {
    const due = start + i * intervalMs;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    // The other shards wrote their (healthy) views this cycle; not counted as this shard's writes.
    await writeOthers(new Date().toISOString());
    const cpu = process.cpuUsage();
    const began = performance.now();
    bytes = 0;
    const { observations } = await observe(ctx);
    // What the planning shard does next: read the region's views, merge them and judge.
    const mergeStart = performance.now();
    const now = new Date();
    const verdicts = quorumVerdicts(await readCheckerViews(store, topology, now), now, staleSeconds);
    const ended = performance.now();
    mergeMs = Math.max(mergeMs, ended - mergeStart);
    const used = process.cpuUsage(cpu);
    const expectedDown = (id: string) => (id === stopId ? stoppedAt !== undefined : blackHoled.has(id));
    cycles.push({
      wallMs: ended - began,
      cpuSeconds: (used.user + used.system) / 1e6,
      bytesWritten: bytes,
      falseFailures: observations.filter((o) => !o.ok && !expectedDown(o.targetId)).length,
    });
    if (stoppedAt !== undefined && detectionMs === undefined && verdicts.get(stopId)?.status === 'UNHEALTHY')
      detectionMs = Date.now() - stoppedAt;
    if (i === 1) {
      endpoint.blackHole();
      stoppedAt = Date.now();
    }
  }
  endpoint.server.closeAllConnections();
  endpoint.server.close();
  return {
    shard: job.shard,
    targets: topology.servers.filter((s) => owns(s.id)).length,
    cycles,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(detectionMs !== undefined && { detectionMs }),
    mergeMs,
    processCpuSeconds: (() => {
      const used = process.cpuUsage();
      return (used.user + used.system) / 1e6;
    })(),
  };
}

process.once('message', (job: ShardJob) => {
  run(job).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (error) => {
      console.error(`shard ${job.shard}: ${(error as Error).stack}`);
      process.exit(1);
    },
  );
});
