// Child process of the idle-cycle benchmark: one non-planning checker shard (index ≥ 1) at idle, as
// deployed. Its view is already stored with every target of its slice healthy and every endpoint answers,
// so each cycle is the real probe engine over its slice and observe() folding the answers into an
// unchanged view: nothing written but the heartbeat item once a minute. No merge and no judgement of the
// region's views: a shard ≥ 1 plans only when its slice changed status (lambdas/handlers/checker.ts).
import { MemoryStateStore } from '../lambdas/adapters/memory/memory-state-store';
import type { Topology } from '../lambdas/domain/config/schema';
import { ownedBy, type ShardRef } from '../lambdas/domain/config/shards';
import { observe, viewName, VIEW_NAMESPACE, type GuardContext, type GuardPorts } from '../lambdas/engine';
import { probeTopology } from '../lambdas/probes/probe-engine';
import { healthyShardView } from './checker-views';

export interface IdleShardJob {
  readonly topology: Topology;
  readonly checker: string;
  readonly shard: ShardRef;
  readonly cycles: number;
  /** Epoch ms at which cycle 0 starts; cycle i starts one interval after cycle i − 1 was due. */
  readonly startAtMs: number;
}

export interface IdleCycle {
  /** Epoch ms at which the cycle started. */
  readonly startMs: number;
  /** From the probes' start to observe()'s return: what a deployed invocation of this cycle is billed for. */
  readonly wallMs: number;
  /** CPU-seconds (user + system) of the shard process over the cycle. */
  readonly cpuSeconds: number;
  /** What observe() wrote: nothing ('unchanged'), the heartbeat item ('heartbeat') or the view ('written'). */
  readonly view: string;
  /** Probes that failed: every endpoint answers, so each is a shard too slow for its slice. */
  readonly failedProbes: number;
}

export interface IdleShardReport {
  readonly targets: number;
  readonly cycles: readonly IdleCycle[];
}

async function run(job: IdleShardJob): Promise<IdleShardReport> {
  const store = new MemoryStateStore({ now: () => new Date() });
  const owns = ownedBy(job.shard);
  const slice = job.topology.servers.filter((s) => owns(s.id)).map((s) => s.id);
  // A deployed idle shard's view is in the table before its instance starts: its first cycle reads it.
  const stored = healthyShardView(job.checker, slice, job.shard, new Date().toISOString());
  await store.put(VIEW_NAMESPACE, viewName(job.checker, job.shard), stored, 0);
  let written = 'not reported';
  const ctx: GuardContext = {
    topology: job.topology,
    checker: job.checker,
    ports: { store } as unknown as GuardPorts,
    now: () => new Date(),
    dryRun: true,
    probe: (t, only) => probeTopology(t, { checker: job.checker, only }),
    shard: job.shard,
    log: (entry) => {
      if (entry.event === 'observe.summary') written = String(entry.view);
    },
  };
  const intervalMs = job.topology.checks.intervalSeconds * 1000;
  const cycles: IdleCycle[] = [];
  for (let i = 0; i < job.cycles; i += 1) {
    const due = job.startAtMs + i * intervalMs;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const startMs = Date.now();
    const cpu = process.cpuUsage();
    const began = performance.now();
    const { observations } = await observe(ctx);
    const wallMs = performance.now() - began;
    const used = process.cpuUsage(cpu);
    cycles.push({
      startMs,
      wallMs,
      cpuSeconds: (used.user + used.system) / 1e6,
      view: written,
      failedProbes: observations.filter((o) => !o.ok).length,
    });
  }
  return { targets: slice.length, cycles };
}

// The benchmark gone, nothing is left to report to.
process.on('disconnect', () => process.exit(0));
// Loaded (tsx compiles on import): the benchmark waits for every shard before it sets their start times.
process.send?.('ready');
process.once('message', (job: IdleShardJob) => {
  run(job).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (error) => {
      console.error(`idle shard ${job.shard.index}: ${(error as Error).stack}`);
      process.exit(1);
    },
  );
});
