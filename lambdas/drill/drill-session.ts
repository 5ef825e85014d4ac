// One scenario's world: the loopback endpoints, the in-memory cloud behind the DNS server, and one
// checker per guard region running the engine on it. Each scenario gets a fresh, healthy session.
import { Resolver } from 'node:dns/promises';
import { MemoryCloud } from '../adapters/memory';
import type { Notification } from '../ports/notifier.port';
import type { Topology } from '../domain/config/schema';
import { guardRegions, primaryRegion, probeTargets } from '../domain/config/targets';
import type { CheckerView, HealthStatus } from '../domain/health/types';
import type { CycleReport } from '../engine';
import type { ExpectationResult } from './drill-report';
import { readAllViews } from '../engine';
import { CheckerLoop } from './checker-loop';
import type { LiveViewSnapshot } from './live-view';
import { LoopbackWorld } from './loopback/loopback-world';
import { memoryZoneAnswers } from './loopback/memory-zone-answers';
import type { Timeline } from './timeline';
import { errorMessage } from '../domain/errors';

/** A health change one checker saw, in drill time. */
export interface SeenTransition {
  readonly targetId: string;
  readonly to: HealthStatus;
  readonly checker: string;
  readonly atMs: number;
}

/** How long an RDS read-replica promotion takes in the drill (scaled by --speed). */
const promotionMs = 2_000;
const pollMs = 50;

export interface DrillSessionOptions {
  /** Bind the ports the topology names (`drill --serve`, `--pause`). @default false - free ports */
  readonly configuredPorts?: boolean;
  /** Called with each verified (or failed) expectation before the scenario goes on: `--pause` waits here. */
  readonly hold?: (result: ExpectationResult, session: DrillSession) => Promise<void>;
}

export class DrillSession {
  readonly topology: Topology;
  readonly world: LoopbackWorld;
  readonly cloud: MemoryCloud;
  readonly timeline: Timeline;
  readonly checkers: ReadonlyMap<string, CheckerLoop>;
  readonly intervalMs: number;
  readonly transitions: SeenTransition[] = [];
  private views: readonly CheckerView[] = [];
  private readonly unsubscribe: () => void;
  private readonly holdAfter: DrillSessionOptions['hold'];
  private readonly heldNotifications: Notification[] = [];
  heading = '';

  private constructor(world: LoopbackWorld, cloud: MemoryCloud, timeline: Timeline, options: DrillSessionOptions) {
    this.world = world;
    this.holdAfter = options.hold;
    this.topology = world.topology;
    this.cloud = cloud;
    this.timeline = timeline;
    this.intervalMs = this.topology.checks.intervalSeconds * 1000;
    // A notification is published in the middle of the cycle whose actions caused it; shown after them.
    this.unsubscribe = cloud.notifier.onPublish((n) => this.heldNotifications.push(n));
    const regions = guardRegions(this.topology);
    this.checkers = new Map(
      regions.map((region, index) => [
        region,
        new CheckerLoop({
          context: {
            topology: this.topology,
            checker: region,
            ports: cloud.ports(region),
            now: cloud.now,
            dryRun: false,
            readinessReads: cloud.readinessReads,
          },
          intervalMs: this.intervalMs,
          offsetMs: Math.round((index * this.intervalMs) / regions.length),
          onReport: (report) => this.record(report),
          onError: (error) =>
            timeline.add('failed', `cycle failed: ${errorMessage(error)}`, {
              checker: region,
            }),
        }),
      ]),
    );
  }

  /** Starts the endpoints, seeds the cloud from the topology and starts every checker. */
  static async start(
    topology: Topology,
    timeline: Timeline,
    speed: number,
    options: DrillSessionOptions = {},
  ): Promise<DrillSession> {
    const world = await LoopbackWorld.start(topology, { configuredPorts: options.configuredPorts ?? false });
    const cloud = MemoryCloud.fromTopology(world.topology, { databaseTimings: { promotionMs: promotionMs / speed } });
    world.serveZones(memoryZoneAnswers(cloud));
    const session = new DrillSession(world, cloud, timeline, options);
    for (const checker of session.checkers.values()) checker.start();
    return session;
  }

  /** Stops every checker (waiting for cycles in flight) and closes every socket. */
  async close(): Promise<void> {
    await Promise.all([...this.checkers.values()].map((c) => c.close()));
    this.unsubscribe();
    this.flushNotifications();
    await this.world.close();
  }

  /** Holds the state an expectation just checked, while the checkers keep running (`--pause`). */
  async hold(result: ExpectationResult): Promise<void> {
    await this.holdAfter?.(result, this);
  }

  checker(region: string): CheckerLoop {
    const checker = this.checkers.get(region);
    if (!checker)
      throw new Error(`no checker runs in ${region}; guard regions: ${[...this.checkers.keys()].join(', ')}`);
    return checker;
  }

  /** Addresses (or CNAME targets) the drill's DNS server answers now: a real query over UDP. */
  async query(name: string, type: 'A' | 'CNAME'): Promise<string[]> {
    const resolver = new Resolver({ timeout: 1_000, tries: 2 });
    resolver.setServers([this.world.nameserver]);
    try {
      return (type === 'A' ? await resolver.resolve4(name) : await resolver.resolveCname(name)).sort();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENODATA' || code === 'ENOTFOUND') return [];
      throw error;
    }
  }

  /** Polls `check` until it returns a value, or gives up after `timeoutMs`; the value and when it came. */
  async waitFor<T>(
    check: () => Promise<T | undefined> | T | undefined,
    timeoutMs: number,
  ): Promise<{ value?: T; atMs: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return { value, atMs: this.timeline.elapsedMs() };
      if (Date.now() >= deadline) return { atMs: this.timeline.elapsedMs() };
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Waits `cycles` full cycles of every running checker. */
  async waitCycles(cycles: number): Promise<void> {
    const running = [...this.checkers.values()].filter((c) => c.isRunning);
    const targets = running.map((c) => c.cycles + cycles);
    await this.waitFor(
      () => (running.every((c, i) => c.cycles >= targets[i]!) ? true : undefined),
      (cycles + 4) * this.intervalMs * 2,
    );
  }

  /** Waits until every running checker sees every endpoint HEALTHY; undefined, or what is not healthy. */
  async waitHealthy(timeoutMs: number): Promise<string | undefined> {
    const ids = probeTargets(this.topology).map((t) => t.id);
    const notHealthy = () => {
      const running = [...this.checkers.values()].filter((c) => c.isRunning && c.cycles > 0).map((c) => c.checker);
      if (running.length === 0) return ['no checker has finished a cycle'];
      return running.flatMap((checker) => {
        const view = this.views.find((v) => v.checker === checker);
        return ids
          .filter((id) => view?.health[id]?.status !== 'HEALTHY')
          .map((id) => `${id} (${checker}: ${view?.health[id]?.status ?? 'unseen'})`);
      });
    };
    const { value } = await this.waitFor(() => (notHealthy().length === 0 ? true : undefined), timeoutMs);
    return value ? undefined : notHealthy().join(', ');
  }

  /** When a checker (or the one named) first saw one of `targetIds` become `to` at or after `sinceMs`. */
  firstSeen(targetIds: readonly string[], to: HealthStatus, sinceMs: number, checker?: string): number | undefined {
    return this.transitions.find(
      (t) =>
        t.atMs >= sinceMs &&
        t.to === to &&
        targetIds.includes(t.targetId) &&
        (checker === undefined || t.checker === checker),
    )?.atMs;
  }

  /** The live view's panel for this session. */
  snapshot(): LiveViewSnapshot {
    const checkers = [...this.checkers.keys()];
    const names = [
      ...new Set([...this.topology.dns.map((r) => r.name), ...this.topology.databases.map((d) => d.writerDns.name)]),
    ];
    return {
      heading: this.heading,
      checkers,
      regions: this.topology.regions.map((r) => ({
        name: r.name,
        role: r.name === primaryRegion(this.topology) ? 'primary' : 'standby',
      })),
      targets: probeTargets(this.topology).map((t) => ({
        targetId: t.id,
        region: t.region,
        role: t.role,
        byChecker: Object.fromEntries(
          checkers.map((c) => [c, this.views.find((v) => v.checker === c)?.health[t.id]?.status]),
        ),
      })),
      viewAgeSeconds: Object.fromEntries(
        checkers.map((c) => {
          const at = this.views.find((v) => v.checker === c)?.at;
          return [c, at === undefined ? undefined : (this.cloud.now().getTime() - Date.parse(at)) / 1000];
        }),
      ),
      staleAfterSeconds: (3 * this.intervalMs) / 1000,
      dnsAnswers: names.map((name) => {
        const a = this.cloud.resolve(name, 'A');
        return a.length > 0
          ? `${name} A ${a.join(' ')}`
          : `${name} CNAME ${this.cloud.resolve(name, 'CNAME').join(' ')}`;
      }),
    };
  }

  private record(report: CycleReport): void {
    for (const t of report.transitions) {
      const atMs = this.timeline.elapsedMs();
      this.transitions.push({ targetId: t.targetId, to: t.to, checker: report.checker, atMs });
      if (t.to === 'UNHEALTHY' || (t.to === 'HEALTHY' && t.from !== 'SUSPECT')) {
        const why = t.evidence.at(-1)?.error;
        this.timeline.add(
          'detected',
          `${t.targetId} ${t.from} → ${t.to}${t.to === 'UNHEALTHY' && why ? ` (${why})` : ''}`,
          { checker: report.checker },
        );
      }
    }
    for (const result of report.execution.results) {
      if (result.outcome === 'applied' || result.outcome === 'failed') {
        const a = result.action;
        this.timeline.add(
          result.outcome === 'applied' ? 'action' : 'failed',
          `${a.kind} ${a.resource}: ${result.outcome === 'failed' ? result.detail : a.reason}`,
          { checker: report.checker },
        );
      }
    }
    this.flushNotifications();
    void readAllViews(this.cloud.store).then((views) => {
      this.views = views;
    });
  }

  private flushNotifications(): void {
    for (const n of this.heldNotifications.splice(0)) this.timeline.add('notification', n.subject, { notification: n });
  }
}
