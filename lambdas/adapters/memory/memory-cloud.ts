// The in-memory cloud: one clock, one fault injector and the five in-memory adapters, for scenario
// tests and the local drill. Seed it from a topology with MemoryCloud.fromTopology.
import type { Topology } from '../../domain/config/schema';
import type { GuardPorts, ReadinessReadPorts } from '../../ports/guard-ports';
import { currentDeadline } from '../../ports/deadline';
import { boundedPorts, wrapPortCalls, type PortCall } from '../bounded-ports';
import { type CallMatch, FaultInjector, type Slowness } from './faults';
import { type DatabaseTimings, type InstanceFailure, MemoryDatabase } from './memory-database';
import { type DnsChangeListener, MemoryDns, ROUTE53_CONTROL_PLANE_REGION, type ZoneListing } from './memory-dns';
import { MemoryHealthCheckDirectory } from './memory-health-checks';
import { MemoryInventory } from './memory-inventory';
import { MemoryLoadBalancer } from './memory-load-balancer';
import { MemoryNotifier } from './memory-notifier';
import { HomeReplicaStateStore } from '../home-replica-state-store';
import { MemoryGlobalTable } from './memory-global-table';
import { MemoryStateStore } from './memory-state-store';
import { seedFromTopology } from './seed-from-topology';
import { type StaleReadService, StaleReads } from './stale-reads';
import { VirtualClock } from './virtual-clock';

export interface MemoryCloudOptions {
  /** The clock every timed behaviour follows; advance(ms) moves it further. @default - the system clock */
  readonly now?: () => Date;
  /** Account id in ARNs. @default - 123456789012 */
  readonly account?: string;
  /** How long a DNS change stays PENDING. @default - 0 ms */
  readonly dnsPropagationMs?: number;
  /** @default - promotion 60 s, cluster failover 30 s, global failover 60 s */
  readonly databaseTimings?: Partial<DatabaseTimings>;
  /** The state table as a global table with a replica per region (default: one consistent data set). */
  readonly stateReplication?: StateReplicationOptions;
}

export interface StateReplicationOptions {
  /** The replicas' regions, in guard order: the first is the home replica. */
  readonly regions: readonly string[];
  /** How long a write takes to reach the other replicas. */
  readonly replicationDelayMs: number;
  /**
   * Which replica a guard in a region sends its state calls to: every deciding call to the home
   * (the guard's design), or each to its own region's replica (what the guard must not do).
   */
  readonly routing: 'home-replica' | 'local-replica';
}

export class MemoryCloud {
  readonly faults = new FaultInjector();
  readonly dns: MemoryDns;
  readonly database: MemoryDatabase;
  readonly loadBalancer: MemoryLoadBalancer;
  readonly notifier: MemoryNotifier;
  /** The read-only account inventory (`discover`): these zones, databases and target groups, plus load balancers and instances. */
  readonly inventory: MemoryInventory;
  /** The guard's region health checks in Route 53 (none until a test or the drill adds them, as a deployment does). */
  readonly healthChecks: MemoryHealthCheckDirectory;
  /** The readiness cycle's extra reads over this cloud (GuardContext.readinessReads). */
  readonly readinessReads: ReadinessReadPorts;
  /** The state store; in replicated mode, the home replica as seen by an observer that no fault reaches. */
  readonly store: MemoryStateStore;
  /** The state table's replicas, in replicated mode. */
  readonly stateTable: MemoryGlobalTable | undefined;
  private readonly stateReplication: StateReplicationOptions | undefined;
  /** The cloud's time: the clock plus every advance(); slow calls, hangs and deadlines wait on it. */
  readonly clock: VirtualClock;
  private readonly lagging: StaleReads;
  private readonly portsByRegion = new Map<string | undefined, GuardPorts>();

  constructor(options: MemoryCloudOptions = {}) {
    this.clock = new VirtualClock(options.now ?? (() => new Date()));
    const now = this.now;
    this.lagging = new StaleReads(now);
    this.dns = new MemoryDns({
      now,
      faults: this.faults,
      staleReads: this.lagging,
      ...(options.dnsPropagationMs !== undefined ? { propagationMs: options.dnsPropagationMs } : {}),
    });
    this.database = new MemoryDatabase({
      now,
      faults: this.faults,
      staleReads: this.lagging,
      ...(options.account ? { account: options.account } : {}),
      ...(options.databaseTimings ? { timings: options.databaseTimings } : {}),
    });
    this.loadBalancer = new MemoryLoadBalancer(this.faults, this.lagging);
    this.notifier = new MemoryNotifier(this.faults);
    this.inventory = new MemoryInventory({
      dns: this.dns,
      database: this.database,
      loadBalancer: this.loadBalancer,
      faults: this.faults,
    });
    this.healthChecks = new MemoryHealthCheckDirectory(this.faults);
    this.readinessReads = { inventory: this.inventory, healthChecks: this.healthChecks };
    this.stateReplication = options.stateReplication;
    const replication = options.stateReplication;
    this.stateTable = replication
      ? new MemoryGlobalTable({ regions: replication.regions, replicationDelayMs: replication.replicationDelayMs, now })
      : undefined;
    this.store = this.stateTable
      ? new MemoryStateStore({ now, table: this.stateTable, region: this.stateTable.regions[0] as string })
      : new MemoryStateStore({ now, faults: this.faults });
  }

  /** A cloud holding the zones, record sets, databases, writer names and target groups the topology describes. */
  static fromTopology(topology: Topology, options: Omit<MemoryCloudOptions, 'account'> = {}): MemoryCloud {
    const cloud = new MemoryCloud({ ...options, account: topology.account });
    seedFromTopology(cloud, topology);
    return cloud;
  }

  /** The cloud's time: the clock plus every advance(). */
  readonly now = (): Date => this.clock.now();

  /** A deadline on the cloud's clock, for GuardContext.startDeadline. */
  readonly deadlineAfter = (ms: number, what: string): AbortSignal => this.clock.deadlineAfter(ms, what);

  /** Moves the cloud's clock forward (promotions, failovers and DNS propagation complete on it). */
  advance(ms: number): void {
    this.clock.advance(ms);
  }

  /**
   * The ports for a guard running in `region`: its state store and notifier call that region's
   * replica and topic (and fail while it is dark); all regions share the same data. Every call is
   * as slow as the injected slowness says, and bounded by the caller's deadline, as over AWS.
   * @default - ports not bound to a region
   */
  ports(region?: string): GuardPorts {
    // One set per region, so what a process holds per store (its last view) survives from cycle to cycle.
    let ports = this.portsByRegion.get(region);
    if (!ports) {
      ports = boundedPorts(wrapPortCalls(this.adapters(region), (call) => this.slowed(call, region)));
      this.portsByRegion.set(region, ports);
    }
    return ports;
  }

  private adapters(region: string | undefined): GuardPorts {
    return {
      dns: this.dns,
      database: this.database,
      loadBalancer: this.loadBalancer,
      notifier: region ? this.notifier.forRegion(region) : this.notifier,
      store: region ? this.storeFor(region) : this.store,
    };
  }

  /** The state store a guard in `region` calls: its region's replica, or the home-replica routing over all of them. */
  private storeFor(region: string): GuardPorts['store'] {
    const replication = this.stateReplication;
    if (!this.stateTable || !replication) return this.store.forRegion(region);
    const table = this.stateTable;
    const replicaIn = (r: string) => new MemoryStateStore({ now: this.now, faults: this.faults, region: r, table });
    if (replication.routing === 'local-replica') return replicaIn(region);
    return new HomeReplicaStateStore({
      replicas: replication.regions.map((r) => ({ region: r, store: replicaIn(r) })),
      local: replicaIn(region),
      now: this.now,
    });
  }

  /** Matching calls take `slowness` on the cloud's clock (ms, or 'never' answering) until answerNormally. */
  slow(match: CallMatch, slowness: Slowness): void {
    this.faults.slow(match, slowness);
  }

  answerNormally(match?: CallMatch): void {
    this.faults.answerNormally(match);
  }

  /** The call after its injected latency; a call that never answers waits for the caller's deadline. */
  private slowed(call: PortCall, guardRegion: string | undefined): Promise<unknown> {
    const slowness = this.faults.slownessOf({
      service: call.service,
      operation: call.method,
      region: callRegion(call, guardRegion),
    });
    if (slowness === undefined) return call.invoke();
    if (slowness === 'never') return this.clock.hang(currentDeadline());
    return this.clock.sleep(slowness).then(call.invoke);
  }

  /**
   * For `windowMs` on the cloud's clock after each change, reads of the changed resource return it as
   * it was before, as AWS's eventually consistent reads do: Route 53 listings after a change batch,
   * RDS describes after a promote, failover, stop or security-group change, ELB target health after a
   * registration or health change. 0 turns it off.
   */
  staleReads(service: StaleReadService, windowMs: number): void {
    this.lagging.set(service, windowMs);
  }

  /** The next `times` calls of a port operation (e.g. promoteReadReplica, changeRecordSets) throw a retryable CloudCallError, or `error`; see also faults.throttle and faults.serverError. */
  failNext(operation: string, times: number, error?: Error): void {
    this.faults.failNext(operation, times, error);
  }

  /** Every API call in the region fails until setRegionLight; us-east-1 also carries Route 53's control plane. */
  setRegionDark(region: string): void {
    this.faults.setRegionDark(region);
  }

  setRegionLight(region: string): void {
    this.faults.setRegionLight(region);
  }

  failInstance(identifier: string, how: InstanceFailure = 'failed', region?: string): void {
    this.database.failInstance(identifier, how, region);
  }

  setLag(identifier: string, seconds: number | undefined, region?: string): void {
    this.database.setLag(identifier, seconds, region);
  }

  setTargetHealth(targetGroupArn: string, targetId: string, state: string, reason?: string): void {
    this.loadBalancer.setTargetHealth(targetGroupArn, targetId, state, reason);
  }

  zones(): ZoneListing[] {
    return this.dns.zones();
  }

  resolve(name: string, type: string): string[] {
    return this.dns.resolve(name, type);
  }

  onChange(listener: DnsChangeListener): () => void {
    return this.dns.onChange(listener);
  }
}

/** The region a port call is made in: Route 53's control plane, the region asked (RDS, ELB), or the guard's own (table, topic). */
function callRegion(call: PortCall, guardRegion: string | undefined): string | undefined {
  if (call.port === 'dns') return ROUTE53_CONTROL_PLANE_REGION;
  if (call.port === 'database' || call.port === 'loadBalancer')
    return typeof call.args[0] === 'string' ? call.args[0] : undefined;
  return guardRegion;
}
