// What the deployed guard uses in a month while nothing fails, derived from the topology and from
// how the guard is built (lib/, lambdas/handlers): one stack per guard region, each with a checker
// that probes every endpoint every interval (over K shard invocations when sharded), the actor idle.
// Quantities only; prices are applied in ./cost-estimate.
import type { Topology } from '../config/schema';
import { checkerMemoryMb, cycleSeconds, fanOutSeconds, largestSlice } from '../config/checker-sizing';
import { healthChecksKeptBy } from '../config/data-plane';
import { shardCount } from '../config/shards';
import { guardRegions, probeTargets } from '../config/targets';
import { HOURS_PER_MONTH } from './prices';

export type Schedule = Topology['guard']['schedule'];

/**
 * How the guard is deployed (lib/failover-guard.ts and the handlers); test/domain/cost checks
 * these against the constructs, so a change there cannot leave the estimate behind.
 */
export const DEPLOYMENT = {
  /** A looping checker starts no cycle later than this into its minute (CHECKER_LOOP_SECONDS). */
  loopSeconds: 55,
  /** An unchanged view's heartbeat item is rewritten at most this often (MAX_HEARTBEAT_REFRESH_SECONDS). */
  maxHeartbeatRefreshSeconds: 60,
  /**
   * Alarm metrics per stack (CloudWatch bills an alarm per metric it reads): CheckerErrors, HeartbeatMissing,
   * TargetsUnhealthy, NotificationsFailed, ReadinessFailures, and FailedInvocations, whose metric math reads
   * two (messages sent to the dead-letter queue, and its growth; the actor's errors land there); plus one
   * RegionDark per judged region and, when sharded, the stale-shards alarm.
   */
  alarmMetricsPerStack: 7,
  /** The notification topic's customer managed key: CloudWatch alarms can publish to an encrypted topic only through a key-policy grant. */
  kmsKeysPerStack: 1,
} as const;

/**
 * Measured figures the usage rests on (docs/cost.md says how): the compressed view per target
 * (bench/state-size) and log bytes; a cycle's CPU and wall time are in ../config/checker-sizing.
 */
export const MEASURED = {
  viewBaseKb: 0.1,
  viewKbPerTarget: 0.006,
  /** A view's heartbeat item as stored (keys, version and its JSON: which view write it vouches for, and when): 1 WRU. */
  heartbeatKb: 0.2,
  /**
   * One idle cycle's log: its summary line, and its share of the drift read's line once per drift period;
   * no metric is published while nothing fails (Lambda's own INFO lines are not sent: system log level WARN).
   */
  cycleLogBytes: 315,
  /** With `tick`, the minute's tick logs the cycles it queued: one line a minute and shard. */
  tickLogBytesPerMinute: 173,
  /** Empty long polls of an idle SQS event source mapping per minute (Lambda scales it down to 2 pollers, 20 s each). */
  idleQueuePollsPerMinute: 6,
} as const;

const MINUTES_PER_MONTH = HOURS_PER_MONTH * 60;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Cycles a second (per checker) that read everything while nothing fails: the drift read's and the
 * readiness check's, both clock-aligned, so the cycles both fall on are counted once (at equal
 * periods, the default, readiness adds no read).
 */
function fullReadsPerSecond(topology: Topology): number {
  const interval = topology.checks.intervalSeconds;
  const drift = Math.max(topology.guard.driftCheckSeconds, interval);
  const readiness = Math.max(topology.guard.readinessCheckSeconds, interval);
  const both = (drift * readiness) / gcd(drift, readiness);
  return 1 / drift + 1 / readiness - 1 / both;
}
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

export interface GuardUsage {
  readonly schedule: Schedule;
  readonly guardRegions: number;
  /** Endpoints every checker probes (servers, load balancers, database members). */
  readonly endpoints: number;
  /** Shards each checker region runs (one invocation each per cycle). */
  readonly shards: number;
  readonly intervalSeconds: number;
  /** Endpoints of the largest shard's slice (every endpoint when not sharded). */
  readonly sliceEndpoints: number;
  /** The checker's memory, sized for that slice (../config/checker-sizing). */
  readonly checkerMemoryMb: number;
  /**
   * Estimated wall time of the planning shard's cycle over the largest slice (the whole checker's when not
   * sharded): the longest of a region's cycles, as it also reads and judges every region's targets.
   */
  readonly cycleSeconds: number;
  /** Estimated wall time of a probing shard's cycle over the largest slice (sharded regions only). */
  readonly probingCycleSeconds?: number;
  readonly cyclesPerMinute: number;
  readonly checkerInvocations: number;
  readonly checkerGbSeconds: number;
  readonly sqsRequests: number;
  readonly dynamoWriteUnits: number;
  readonly dynamoReplicatedWriteUnits: number;
  readonly dynamoReadUnits: number;
  readonly viewKb: number;
  readonly customMetrics: number;
  readonly alarms: number;
  readonly getMetricDataMetrics: number;
  /**
   * DescribeAlarms of each checker's ReadinessFailures alarm: only after a failure count, until the
   * checker has found the alarm OK, so none at idle.
   */
  readonly cloudWatchApiRequests: number;
  readonly logsGb: number;
  readonly kmsKeys: number;
  readonly kmsRequests: number;
  readonly regionHealthChecks: number;
  readonly dnsQueries: number;
  readonly snsEmails: number;
  readonly dashboards: number;
}

/** Regions a stack judges for region failover: the other regions, or its own when the topology has one. */
function judgedPerStack(topology: Topology): number {
  return Math.max(1, topology.regions.length - 1);
}

/** The cycles a `tick` queues after the minute's own (one per interval within the minute). */
export function queuedCyclesPerMinute(intervalSeconds: number): number {
  return Math.max(0, Math.ceil(60 / intervalSeconds) - 1);
}

export function guardUsage(topology: Topology, schedule: Schedule = topology.guard.schedule): GuardUsage {
  const regions = guardRegions(topology).length;
  const endpoints = probeTargets(topology).length;
  const shards = shardCount(topology);
  // A sharded region adds one StaleShards metric and its alarm, whatever K.
  const sharded = shards > 1 ? 1 : 0;
  const interval = topology.checks.intervalSeconds;
  // Every shard is sized for the largest slice (as lib/ deploys it), and pays a cycle's waiting and its slice's CPU.
  const slice = largestSlice(topology);
  const memoryMb = checkerMemoryMb(slice);
  const memoryGb = memoryMb / 1024;
  // Shard 0 plans for the region every cycle: its plan reads, and every region's targets read and judged.
  const cycle = cycleSeconds(slice, memoryMb, 'planning', regions * endpoints);
  const probingCycle = cycleSeconds(slice, memoryMb, 'probing');
  // A looping checker starts a cycle every interval (or as soon as the last ended) until loopSeconds.
  const loopCyclesOf = (seconds: number) => Math.floor(DEPLOYMENT.loopSeconds / Math.max(interval, seconds)) + 1;
  const queued = queuedCyclesPerMinute(interval);
  const cyclesPerMinute = schedule === 'loop' ? loopCyclesOf(cycle) : 1 + queued;
  const invocationsPerMinute = schedule === 'loop' ? 1 : cyclesPerMinute;
  // A looping invocation is billed until its last cycle ends, sleeping included.
  const billedSecondsPerMinute = (seconds: number) =>
    schedule === 'loop'
      ? (loopCyclesOf(seconds) - 1) * Math.max(interval, seconds) + seconds
      : cyclesPerMinute * seconds;
  const shardMinutes = regions * shards * MINUTES_PER_MONTH;
  const cycles = regions * cyclesPerMinute * MINUTES_PER_MONTH;
  // With tick, shard 0 starts the other shards on each queued cycle before it probes (one queue message a region).
  const fanOutPerMinute = schedule === 'tick' ? queued * fanOutSeconds(shards - 1, memoryMb) : 0;
  const regionBilledSecondsPerMinute =
    billedSecondsPerMinute(cycle) + fanOutPerMinute + (shards - 1) * billedSecondsPerMinute(probingCycle);
  // Each shard writes its own view: its slice of the targets.
  const viewKb = MEASURED.viewBaseKb + (MEASURED.viewKbPerTarget * endpoints) / shards;
  // While nothing changes no view is rewritten: each shard refreshes its heartbeat with its heartbeat item.
  const heartbeatRefresh = Math.min(DEPLOYMENT.maxHeartbeatRefreshSeconds, topology.guard.heartbeatStaleSeconds / 2);
  const heartbeatWrites = regions * shards * (SECONDS_PER_MONTH / heartbeatRefresh);
  const writeUnitsPerHeartbeat = Math.ceil(MEASURED.heartbeatKb);
  // Each cycle the planning shard reads every view and heartbeat item of every region strongly consistently
  // (one Query, 4 KB units), the guard state and the runbooks (1 unit each); the other shards hold their own view.
  const readUnitsPerCycle = Math.ceil((regions * shards * (viewKb + MEASURED.heartbeatKb)) / 4) + 2;
  // Once per readiness period the planning shard reads its readiness-signal document (1 unit).
  const readinessPeriods = (regions * SECONDS_PER_MONTH) / Math.max(topology.guard.readinessCheckSeconds, interval);
  const lagReplicas = topology.databases.reduce((n, db) => n + db.replicas.length, 0);
  const fullReads = regions * SECONDS_PER_MONTH * fullReadsPerSecond(topology);
  const judged = judgedPerStack(topology);
  const nameserverQueriesPerCycle = topology.dns.reduce((n, r) => n + r.nameservers.length, 0);
  return {
    schedule,
    guardRegions: regions,
    endpoints,
    shards,
    intervalSeconds: interval,
    sliceEndpoints: slice,
    checkerMemoryMb: memoryMb,
    cycleSeconds: cycle,
    ...(shards > 1 && { probingCycleSeconds: probingCycle }),
    cyclesPerMinute,
    checkerInvocations: shardMinutes * invocationsPerMinute,
    checkerGbSeconds: regions * MINUTES_PER_MONTH * regionBilledSecondsPerMinute * memoryGb,
    // tick, per region: the minute's SendMessageBatch calls (ten messages each, one message a queued cycle for
    // every shard: shard 0 starts the others), a receive and a delete per message; and per queue the idle polls.
    sqsRequests:
      schedule === 'tick'
        ? regions * MINUTES_PER_MONTH * (Math.ceil(queued / 10) + 2 * queued) +
          regions * MINUTES_PER_MONTH * MEASURED.idleQueuePollsPerMinute
        : 0,
    dynamoWriteUnits: heartbeatWrites * writeUnitsPerHeartbeat,
    dynamoReplicatedWriteUnits: heartbeatWrites * writeUnitsPerHeartbeat * (regions - 1),
    dynamoReadUnits: cycles * readUnitsPerCycle + readinessPeriods,
    viewKb,
    // Billed only for the hours they receive data: while nothing fails, only a sharded region's StaleShards
    // (every cycle by design). UnhealthyTargets, RegionHealthy and ReadinessFailures wait for a failure (or
    // its settling), and the heartbeat alarm reads the checker's own Invocations.
    customMetrics: regions * sharded,
    alarms: regions * (DEPLOYMENT.alarmMetricsPerStack + judged + sharded),
    getMetricDataMetrics: fullReads * lagReplicas,
    cloudWatchApiRequests: 0,
    logsGb:
      (shardMinutes *
        (cyclesPerMinute * MEASURED.cycleLogBytes + (schedule === 'tick' ? MEASURED.tickLogBytesPerMinute : 0))) /
      1e9,
    kmsKeys: regions * DEPLOYMENT.kmsKeysPerStack,
    // The state table is encrypted with DynamoDB's own key, and nothing is published to the topic at idle.
    kmsRequests: 0,
    // Only for the regions a record marked dataPlaneFailover has sets in, one each, in its owner stack.
    regionHealthChecks: guardRegions(topology).reduce(
      (n, region) => n + healthChecksKeptBy(topology, region).length,
      0,
    ),
    // Each DNS query belongs to one shard: the region asks each once a cycle.
    dnsQueries: cycles * nameserverQueriesPerCycle,
    snsEmails: 0,
    // One dashboard for the whole guard (global, per-region widgets) when `guard.dashboard` asks for it.
    dashboards: topology.guard.dashboard ? 1 : 0,
  };
}
