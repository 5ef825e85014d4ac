// The world a chaos schedule happens to: the in-memory cloud seeded from a two- or three-region shop,
// one checker per guard region driving the real engine (runCycle, approveRunbook, runFailback), and
// the faults the events inject. It records what the promises are checked against: every mutating
// cloud call (with the context it came from), accepted promotions, primary failures, failback requests.
import { awsError, MemoryCloud, MemoryStateStore } from '../../lambdas/adapters/memory';
import type { Topology } from '../../lambdas/domain/config/schema';
import { guardRegions, primaryRegion, probeTargets } from '../../lambdas/domain/config/targets';
import type { Observation } from '../../lambdas/domain/observation';
import {
  executePlan,
  listRunbooks,
  planCycle,
  runCycle,
  updateGuardState,
  type GuardContext,
  type GuardPorts,
  type Plan,
} from '../../lambdas/engine';
import { approveRunbook, runFailback } from '../../lambdas/engine/region';
import { CloudCallError } from '../../lambdas/ports/errors';
import { regionTopology, T0 } from '../engine/region/fixtures';
import { FAULTABLE_OPERATIONS, STALE_READ_SERVICES, type ChaosEvent, type ChaosSettings } from './chaos-schedule';

export const CYCLE_MS = 10_000;
export const PROMOTION_TIMEOUT_SECONDS = 600;
const MUTATIONS = new Set(['changeRecordSets', 'promoteReadReplica', 'failoverCluster', 'failoverGlobalCluster']);

/** A cloud call that changes something, and the context it came from. */
export interface Mutation {
  readonly operation: string;
  readonly checker: string;
  readonly dryRun: boolean;
  readonly failback: boolean;
}

export function chaosTopology(settings: ChaosSettings): Topology {
  const regions = [
    { name: 'eu-west-1', role: 'primary' as const },
    { name: 'eu-central-1', role: 'standby' as const },
    ...(settings.regions === 3 ? [{ name: 'eu-north-1', role: 'standby' as const }] : []),
  ];
  return regionTopology({
    regions,
    regionFailover: { mode: settings.mode, regionFailureThreshold: 2, failbackHealthyMinutes: 2 },
  });
}

export class ChaosWorld {
  readonly topology: Topology;
  readonly cloud: MemoryCloud;
  /** Reads the state table as it is, with no fault injected (the promises' view). */
  readonly observer: MemoryStateStore;
  readonly checkers: readonly string[];
  readonly primary: string;
  readonly down = new Set<string>();
  readonly blind = new Set<string>();
  readonly dark = new Set<string>();
  readonly skews = new Map<string, number>();
  /** Mutating calls made during the current event. */
  mutations: Mutation[] = [];
  /** Every mutating call's operation, counted over the schedule (what the schedule exercised). */
  readonly exercised = new Map<string, number>();
  /** Database id → promotions RDS accepted; → failures of its writer (instance failed or region dark). */
  readonly promotions = new Map<string, number>();
  readonly failures = new Map<string, number>();
  /** The writer name's instance has failed (or its region gone dark) since the name was put on it. */
  writerFailed = false;
  /** Failback commands that created a runbook. */
  failbacksRequested = 0;
  cycles = 0;
  failedInvocations = 0;
  private readonly late: { ctx: GuardContext; plan: Plan }[] = [];
  private primaryFailed = false;

  constructor(readonly settings: ChaosSettings) {
    this.topology = chaosTopology(settings);
    this.cloud = MemoryCloud.fromTopology(this.topology, {
      now: () => T0,
      databaseTimings: { promotionMs: settings.promotionMs },
    });
    this.observer = new MemoryStateStore({ now: this.cloud.now, data: this.cloud.store.data });
    this.checkers = guardRegions(this.topology);
    this.primary = primaryRegion(this.topology);
  }

  /** Runs one event; resolves when every invocation it started has ended or died. */
  async apply(event: ChaosEvent): Promise<void> {
    switch (event.kind) {
      case 'round':
        for (let i = 0; i < event.count; i += 1) {
          for (const checker of this.running()) await this.cycle(checker);
          this.cloud.advance(CYCLE_MS);
        }
        return;
      case 'cycle':
        return this.ifRunning(event.checker, (c) => this.cycle(c));
      case 'concurrent':
        await Promise.all(event.checkers.map((i) => this.ifRunning(i, (c) => this.cycle(c))));
        return;
      case 'crash':
        return this.ifRunning(event.checker, (c) => this.crash(c, event.afterCalls));
      case 'plan-late':
        return this.ifRunning(event.checker, async (c) => {
          const ctx = this.context(c);
          const plan = await planCycle(ctx).catch(() => undefined);
          if (plan) this.late.push({ ctx, plan });
        });
      case 'execute-late':
        return this.executeLate(1);
      case 'server':
        return this.setServer(event.server, event.up);
      case 'primary-fails':
        return this.failPrimary();
      case 'region':
        return this.setRegion(this.checkers[event.region] as string, event.dark);
      case 'blind':
        return this.ifChecker(event.checker, (c) => void (event.blind ? this.blind.add(c) : this.blind.delete(c)));
      case 'throttle':
        this.cloud.failNext(
          event.operation,
          event.times,
          new CloudCallError(
            event.operation,
            'chaos',
            awsError(event.outage ? 'ServiceUnavailable' : 'ThrottlingException', 'injected by the chaos schedule'),
            true,
          ),
        );
        return;
      case 'stale':
        this.cloud.staleReads(event.service, event.ms);
        return;
      case 'skew':
        return this.ifChecker(event.checker, (c) => void this.skews.set(c, event.ms));
      case 'lag':
        this.cloud.setLag(['orders-replica-1', 'orders-replica-fra'][event.replica] as string, event.seconds);
        return;
      case 'approve':
        return this.approve();
      case 'failback':
        return this.ifRunning(event.checker, (c) => this.failback(c));
      case 'pause':
        await updateGuardState(this.observer, (s) => (s.paused === event.paused ? s : { ...s, paused: event.paused }));
        return;
      case 'advance':
        this.cloud.advance(event.ms);
        return;
    }
  }

  /** The healing phase's first step: every fault lifted, stale plans executed, the operator's pause lifted. */
  async heal(): Promise<void> {
    for (const region of [...this.dark]) this.setRegion(region, false);
    for (const server of this.topology.servers) this.down.delete(server.id);
    this.blind.clear();
    this.skews.clear();
    for (const operation of FAULTABLE_OPERATIONS) this.cloud.failNext(operation, 0);
    for (const service of STALE_READ_SERVICES) this.cloud.staleReads(service, 0);
    for (const identifier of ['orders-replica-1', 'orders-replica-fra']) this.cloud.setLag(identifier, 0);
    await this.executeLate(this.late.length);
    await updateGuardState(this.observer, (s) => (s.paused ? { ...s, paused: false } : s));
  }

  /** Checkers whose region is not dark, in guard order. */
  running(): string[] {
    return this.checkers.filter((c) => !this.dark.has(c));
  }

  context(checker: string, crashAfter?: number, failback = false): GuardContext {
    const skew = this.skews.get(checker) ?? 0;
    const now = () => new Date(this.cloud.now().getTime() + skew);
    return {
      topology: this.topology,
      checker,
      ports: this.recordingPorts(
        this.cloud.ports(checker),
        { checker, dryRun: this.settings.dryRun, failback },
        crashAfter,
      ),
      now,
      dryRun: this.settings.dryRun,
      probe: this.probe(checker, now),
      options: { promotionTimeoutSeconds: PROMOTION_TIMEOUT_SECONDS },
    };
  }

  /** One invocation; one that fails (an AWS error escaped the cycle) is a failed Lambda invocation, retried by the schedule. */
  private async cycle(checker: string): Promise<void> {
    this.cycles += 1;
    await runCycle(this.context(checker)).catch(() => (this.failedInvocations += 1));
  }

  /** The invocation's calls after `afterCalls` never return; it is left hanging, as a dead Lambda leaves its work. */
  private async crash(checker: string, afterCalls: number): Promise<void> {
    this.cycles += 1;
    let settled = false;
    const run = runCycle(this.context(checker, afterCalls))
      .catch(() => (this.failedInvocations += 1))
      .finally(() => (settled = true));
    // Let everything that can still happen happen: the memory cloud answers within microtasks.
    for (let i = 0; i < 50 && !settled; i += 1) await new Promise((resolve) => setImmediate(resolve));
    if (settled) await run;
  }

  private async executeLate(count: number): Promise<void> {
    for (const { ctx, plan } of this.late.splice(0, count)) {
      if (this.dark.has(ctx.checker)) continue;
      await executePlan(ctx, plan).catch(() => (this.failedInvocations += 1));
    }
  }

  private probe(checker: string, now: () => Date) {
    return async (topology: Topology): Promise<Observation[]> =>
      probeTargets(topology).map((t) => {
        const failed = this.blind.has(checker) || this.down.has(t.id) || this.dark.has(t.region);
        return {
          targetId: t.id,
          kind: t.probe.type,
          ok: !failed,
          latencyMs: 5,
          at: now().toISOString(),
          checker,
          ...(failed ? { error: 'ETIMEDOUT' } : {}),
        };
      });
  }

  private setServer(index: number, up: boolean): void {
    const server = this.topology.servers[index];
    if (!server) return;
    if (up) this.down.delete(server.id);
    else this.down.add(server.id);
  }

  /**
   * The writer name's instance fails: once a schedule, and only while it has a replica of its own to
   * fail over to (a failure the guard can heal; after a region failover the promoted replica has none).
   */
  private failPrimary(): void {
    const writer = writerMember(this);
    if (this.primaryFailed || !writer || this.dark.has(writer.region)) return;
    const state = this.cloud.database.inspectInstance(writer.region, writer.identifier);
    if (state?.status !== 'available' || state.replicaSourceIdentifier !== undefined) return;
    if (!state.replicaIdentifiers.some((replica) => !replica.startsWith('arn:'))) return;
    this.primaryFailed = true;
    this.cloud.failInstance(writer.identifier, 'failed', writer.region);
    this.down.add(writer.id);
    this.writerFailed = true;
    this.failures.set('orders', (this.failures.get('orders') ?? 0) + 1);
  }

  private setRegion(region: string, dark: boolean): void {
    if (dark === this.dark.has(region)) return;
    if (dark) {
      if (writerMember(this)?.region === region) {
        this.writerFailed = true;
        this.failures.set('orders', (this.failures.get('orders') ?? 0) + 1);
      }
      this.dark.add(region);
      this.cloud.setRegionDark(region);
    } else {
      this.dark.delete(region);
      this.cloud.setRegionLight(region);
    }
  }

  private async approve(): Promise<void> {
    const pending = (await listRunbooks(this.observer)).find((r) => r.value.status === 'pending-approval');
    if (pending)
      await approveRunbook(this.observer, pending.name, 'chaos-operator', this.cloud.now(), this.topology).catch(
        () => undefined,
      );
  }

  private async failback(checker: string): Promise<void> {
    const outcome = await runFailback(this.context(checker, undefined, true), this.primary, {
      dryRun: this.settings.dryRun,
    }).catch(() => undefined);
    if (outcome?.decision.runbook && !this.settings.dryRun) this.failbacksRequested += 1;
  }

  private ifChecker(index: number, act: (checker: string) => void): void {
    const checker = this.checkers[index];
    if (checker) act(checker);
  }

  private async ifRunning(index: number, act: (checker: string) => Promise<void>): Promise<void> {
    const checker = this.checkers[index];
    if (checker && !this.dark.has(checker)) await act(checker);
  }

  /** The ports with every mutating call recorded, accepted promotions counted, and calls after `crashAfter` hanging. */
  private recordingPorts(ports: GuardPorts, origin: Omit<Mutation, 'operation'>, crashAfter?: number): GuardPorts {
    let calls = 0;
    const wrap = <P extends object>(port: P): P =>
      new Proxy(port, {
        get: (target, property, receiver) => {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            calls += 1;
            if (crashAfter !== undefined && calls > crashAfter) return new Promise(() => undefined);
            const operation = String(property);
            if (MUTATIONS.has(operation)) {
              this.mutations.push({ operation, ...origin });
              this.exercised.set(operation, (this.exercised.get(operation) ?? 0) + 1);
            }
            const result = (value as (...a: unknown[]) => unknown).apply(target, args);
            if (operation === 'promoteReadReplica') {
              void (result as Promise<unknown>).then(
                () => this.promotions.set('orders', (this.promotions.get('orders') ?? 0) + 1),
                () => undefined,
              );
            }
            return result;
          };
        },
      });
    return {
      dns: wrap(ports.dns),
      database: wrap(ports.database),
      loadBalancer: wrap(ports.loadBalancer),
      notifier: wrap(ports.notifier),
      store: wrap(ports.store),
    };
  }
}

/** The database member the writer name points at now. */
export function writerMember(world: ChaosWorld) {
  const db = world.topology.databases[0];
  if (!db?.writerDns) return undefined;
  const [host] = world.cloud.resolve(db.writerDns.name, 'CNAME');
  return [db.primary, ...db.replicas].find((m) => m.endpoint.host === host?.replace(/\.$/, ''));
}
