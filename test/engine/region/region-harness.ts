// Several checkers on one in-memory cloud: one GuardContext per guard region sharing the cloud's
// Route 53, RDS, SNS topic and state table (the global table), a fake clock, and probes scripted
// per checker. A round runs one cycle of every checker still alive, then moves the clock 10 s.
import { vi } from 'vitest';
import { MemoryCloud } from '../../../lambdas/adapters/memory';
import type { Topology } from '../../../lambdas/domain/config/schema';
import { guardRegions, probeTargets } from '../../../lambdas/domain/config/targets';
import type { Observation } from '../../../lambdas/domain/observation';
import { listRunbooks, runCycle, type CycleReport, type GuardContext } from '../../../lambdas/engine';
import { regionRunbooks, type RegionRunbook } from '../../../lambdas/engine/region';
import type { Notification } from '../../../lambdas/ports/notifier.port';
import { T0 } from './fixtures';

export const ROUND_MS = 10_000;

export class RegionHarness {
  readonly cloud: MemoryCloud;
  /** Endpoints down for every checker. */
  readonly down = new Set<string>();
  /** Checkers cut off from the network: every probe they make fails. */
  readonly isolated = new Set<string>();
  /** Checkers that no longer run (their Lambda or their region is gone). */
  readonly stopped = new Set<string>();
  readonly promoteCalls;
  readonly reports: CycleReport[] = [];

  constructor(readonly topology: Topology) {
    this.cloud = MemoryCloud.fromTopology(topology, { now: () => T0, databaseTimings: { promotionMs: 30_000 } });
    this.promoteCalls = vi.spyOn(this.cloud.database, 'promoteReadReplica');
  }

  private probe(checker: string) {
    return async (topology: Topology): Promise<Observation[]> =>
      probeTargets(topology).map((t) => {
        const failed = this.isolated.has(checker) || this.down.has(t.id);
        return {
          targetId: t.id,
          kind: t.probe.type,
          ok: !failed,
          latencyMs: 5,
          at: this.cloud.now().toISOString(),
          checker,
          ...(failed ? { error: 'ETIMEDOUT' } : {}),
        };
      });
  }

  context(checker: string, overrides: Partial<GuardContext> = {}): GuardContext {
    return {
      topology: this.topology,
      checker,
      ports: this.cloud.ports(checker),
      now: this.cloud.now,
      dryRun: false,
      probe: this.probe(checker),
      ...overrides,
    };
  }

  /** The whole region goes dark: its endpoints, its APIs and its checker. */
  darken(region: string): void {
    this.cloud.setRegionDark(region);
    for (const t of probeTargets(this.topology).filter((e) => e.region === region)) this.down.add(t.id);
    this.stopped.add(region);
  }

  relight(region: string): void {
    this.cloud.setRegionLight(region);
    for (const t of probeTargets(this.topology).filter((e) => e.region === region)) this.down.delete(t.id);
    this.stopped.delete(region);
  }

  /** One cycle of every running checker in guard order, then the clock moves on. */
  async round(): Promise<void> {
    for (const checker of guardRegions(this.topology).filter((c) => !this.stopped.has(c))) {
      this.reports.push(await runCycle(this.context(checker)));
    }
    this.cloud.advance(ROUND_MS);
  }

  async rounds(n: number, until?: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < n; i += 1) {
      await this.round();
      if (until && (await until())) return;
    }
  }

  async runbooks(): Promise<RegionRunbook[]> {
    return regionRunbooks((await listRunbooks(this.cloud.store)).map((d) => d.value));
  }

  notifications(prefix = ''): Notification[] {
    return this.cloud.notifier.outbox.filter((n) => n.eventType.startsWith(prefix));
  }

  /** Region action and alert notifications in order, as eventType (step). */
  regionEvents(): string[] {
    return this.notifications('region.').map(
      (n) => `${n.eventType}${n.details?.['step'] ? ` (${String(n.details['step'])})` : ''}`,
    );
  }

  /** The primary region goes dark until a region failover completes (at most `rounds` rounds), then comes back. */
  async failOverAndRelight(region: string, rounds = 20): Promise<void> {
    await this.rounds(2);
    this.darken(region);
    await this.rounds(rounds, async () => (await this.runbooks()).some((r) => r.status === 'completed'));
    this.relight(region);
  }

  resolve(name: string): string[] {
    return this.cloud.resolve(name, 'A').sort();
  }

  writer(name: string): string[] {
    return this.cloud.resolve(name, 'CNAME');
  }
}
