// The monthly bill of a deployed guard, line by line, at list prices and after the always-free
// allowances, next to what Route 53 health checks on the same endpoints would cost.
import type { Topology } from '../config/schema';
import { ASSUMED_ANSWER_MS } from '../config/checker-sizing';
import { probeTargets } from '../config/targets';
import { guardUsage, MEASURED, type GuardUsage, type Schedule } from './guard-usage';
import { FREE_TIER, PRICES, PRICES_AS_OF } from './prices';

interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly listUsd: number;
  readonly afterFreeUsd: number;
  /** How the figure is made, in words a person can check. */
  readonly basis: string;
}

export interface CostEstimate {
  readonly topology: string;
  readonly schedule: Schedule;
  readonly pricesAsOf: string;
  readonly usage: GuardUsage;
  readonly lines: readonly CostLine[];
  readonly totalListUsd: number;
  readonly totalAfterFreeUsd: number;
  /** Route 53 health checks on every probed endpoint at the same interval, list price. */
  readonly route53HealthChecksUsd: number;
  readonly warnings: readonly string[];
}

const round = (usd: number) => Math.round(usd * 100) / 100;
const fmt = (n: number) =>
  Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });

function line(item: string, quantity: number, unit: string, price: number, free: number, basis: string): CostLine {
  return { item, quantity, unit, listUsd: quantity * price, afterFreeUsd: Math.max(0, quantity - free) * price, basis };
}

/** One Route 53 health check per endpoint, with the options that match its probe: fast interval, HTTPS, string matching. */
function route53HealthCheckUsd(topology: Topology): number {
  return probeTargets(topology).reduce((sum, t) => {
    const options =
      Number(t.checks.intervalSeconds < 30) +
      Number(t.probe.type === 'https') +
      Number((t.probe.type === 'http' || t.probe.type === 'https') && t.probe.bodyMatch !== undefined);
    return sum + PRICES.route53HealthCheck + options * PRICES.route53HealthCheckOption;
  }, 0);
}

function checkers(u: GuardUsage): string {
  return u.shards > 1 ? `${u.guardRegions} checkers × ${u.shards} shards` : `${u.guardRegions} checkers`;
}

/** How long a cycle is billed: the planning shard's (it also reads and judges every region's targets), and a probing shard's. */
function cycleLengths(u: GuardUsage): string {
  return u.probingCycleSeconds === undefined
    ? `≈ ${fmt(u.cycleSeconds)} s`
    : `≈ ${fmt(u.cycleSeconds)} s (shard 0, which plans) or ${fmt(u.probingCycleSeconds)} s (the other shards, when endpoints answer within about ${ASSUMED_ANSWER_MS} ms of their probe)`;
}

function costLines(u: GuardUsage): CostLine[] {
  const per = (n: number) => `${fmt(n)} per month`;
  return [
    line(
      'Lambda compute',
      u.checkerGbSeconds,
      'GB-s',
      PRICES.lambdaGbSecond,
      FREE_TIER.lambdaGbSeconds,
      u.schedule === 'loop'
        ? `${checkers(u)}, each one ${u.checkerMemoryMb} MB invocation a minute billed until its last cycle ends (${u.cyclesPerMinute} cycles of ${cycleLengths(u)}, sleeping between them included); the actor is idle`
        : `${checkers(u)} × ${u.cyclesPerMinute} invocations a minute × ${cycleLengths(u)} × ${fmt(u.checkerMemoryMb / 1024)} GB (sized for ${fmt(u.sliceEndpoints)} endpoints); the actor is idle`,
    ),
    line(
      'Lambda requests',
      u.checkerInvocations,
      'requests',
      PRICES.lambdaRequest,
      FREE_TIER.lambdaRequests,
      per(u.checkerInvocations),
    ),
    line(
      'SQS requests',
      u.sqsRequests,
      'requests',
      PRICES.sqsRequest,
      FREE_TIER.sqsRequests,
      u.schedule === 'tick'
        ? 'per checker region a minute: the batch send of its queued cycles (one message a cycle, for every shard: shard 0 starts the others), a receive and a delete per cycle; per queue ≈ 6 empty long polls'
        : 'loop: no cycle queue',
    ),
    line(
      'DynamoDB writes',
      u.dynamoWriteUnits,
      'WRU',
      PRICES.dynamoWriteUnit,
      0,
      `while nothing changes no view (${fmt(u.viewKb)} KB compressed) is rewritten: each checker${u.shards > 1 ? ' shard' : ''} refreshes its heartbeat item (1 WRU) once a minute`,
    ),
    line(
      'DynamoDB replicated writes',
      u.dynamoReplicatedWriteUnits,
      'rWRU',
      PRICES.dynamoReplicatedWriteUnit,
      0,
      `the global table writes each heartbeat item again in the ${u.guardRegions - 1} other replica(s)`,
    ),
    line(
      'DynamoDB reads',
      u.dynamoReadUnits,
      'RRU',
      PRICES.dynamoReadUnit,
      0,
      'per cycle: a strongly consistent Query of every view and heartbeat item (4 KB units), the guard state and the runbooks (the planning shard only); per readiness period its readiness-signal document',
    ),
    line(
      'CloudWatch custom metrics',
      u.customMetrics,
      'metrics',
      PRICES.cloudWatchMetric,
      FREE_TIER.cloudWatchMetrics,
      `${u.shards > 1 ? 'per stack: StaleShards (one for every shard, published every cycle); ' : ''}UnhealthyTargets, RegionHealthy and ReadinessFailures only while something fails (or settles), so not at idle; the heartbeat is the checker's own Invocations`,
    ),
    line(
      'CloudWatch alarms',
      u.alarms,
      'alarm metrics',
      PRICES.cloudWatchAlarm,
      FREE_TIER.cloudWatchAlarms,
      `per stack: checker errors, actor errors, heartbeat, unhealthy targets, failed notifications, readiness, dead letters (2 metrics), region dark per judged region${u.shards > 1 ? ', stale shards' : ''}`,
    ),
    line(
      'CloudWatch GetMetricData',
      u.getMetricDataMetrics,
      'metrics',
      PRICES.getMetricDataMetric,
      0,
      'replica lag of every replica, once per drift or readiness period per checker (and in cycles where a promotion could follow, which idle has none)',
    ),
    line(
      'CloudWatch API requests',
      u.cloudWatchApiRequests,
      'requests',
      PRICES.cloudWatchApiRequest,
      FREE_TIER.cloudWatchApiRequests,
      'DescribeAlarms of its ReadinessFailures alarm: only after a readiness failure, until the checker has found the alarm OK (its readiness-signal document says so), so none at idle',
    ),
    line(
      'CloudWatch Logs ingestion',
      u.logsGb,
      'GB',
      PRICES.logsIngestedGb,
      FREE_TIER.logsIngestedGb,
      `≈ ${MEASURED.cycleLogBytes} B per cycle${u.shards > 1 ? ' and shard' : ''} (its summary line; no metric at idle)${u.schedule === 'tick' ? `, ${MEASURED.tickLogBytesPerMinute} B per minute's tick (the cycles it queued)` : ''}; Lambda's START/END/REPORT lines are not sent (system log level WARN)`,
    ),
    line(
      'KMS keys',
      u.kmsKeys,
      'keys',
      PRICES.kmsKey,
      0,
      'one customer managed key per stack for the encrypted notification topic',
    ),
    line(
      'KMS requests',
      u.kmsRequests,
      'requests',
      PRICES.kmsRequest,
      FREE_TIER.kmsRequests,
      "none at idle: the state table is encrypted with DynamoDB's own key (no KMS request), and nothing is published to the topic",
    ),
    line(
      'Route 53 health checks',
      u.regionHealthChecks,
      'checks',
      PRICES.route53HealthCheck,
      0,
      'one CLOUDWATCH_METRIC check per judged region per stack (the data-plane region switch)',
    ),
    line(
      'Route 53 queries',
      u.dnsQueries,
      'queries',
      PRICES.route53Query,
      0,
      'DNS probes: every record at each of its configured nameservers, every cycle',
    ),
    line(
      'SNS e-mail',
      u.snsEmails,
      'e-mails',
      PRICES.snsEmail,
      FREE_TIER.snsEmails,
      'nothing is published while nothing fails',
    ),
    line(
      'CloudWatch dashboards',
      u.dashboards,
      'dashboards',
      PRICES.dashboard,
      FREE_TIER.dashboards,
      'one for the whole guard, in the first guard region (a dashboard is global)',
    ),
  ];
}

function slowCycleWarnings(usage: GuardUsage): string[] {
  return usage.cycleSeconds > usage.intervalSeconds
    ? [
        `a checker ${usage.shards > 1 ? 'shard' : ''} cycle over ${fmt(usage.sliceEndpoints)} endpoints takes ≈ ${fmt(round(usage.cycleSeconds))} s at ${usage.checkerMemoryMb} MB, longer than the ${usage.intervalSeconds} s interval: `.replace(
          '  ',
          ' ',
        ) +
          'cycles run back to back, so targets are probed less often than configured (lower guard.shardCapacity for more shards)',
      ]
    : [];
}

/**
 * A looping checker is billed for its whole minute at the memory its slice needs: past 128 MB, what
 * tick would cost instead (the cost estimate and `cdk synth` both say it).
 */
export function loopCostWarning(topology: Topology, schedule: Schedule): string | undefined {
  if (schedule !== 'loop') return undefined;
  const usage = guardUsage(topology, 'loop');
  if (usage.checkerMemoryMb <= 128) return undefined;
  const total = (u: GuardUsage) => costLines(u).reduce((sum, l) => sum + l.listUsd, 0);
  return `loop bills every checker for its whole minute at ${usage.checkerMemoryMb} MB (sized for ${fmt(usage.sliceEndpoints)} endpoints): $${total(usage).toFixed(2)} a month, where tick (guard.schedule: "tick") would cost $${total(guardUsage(topology, 'tick')).toFixed(2)}`;
}

export function estimateCost(topology: Topology, schedule: Schedule = topology.guard.schedule): CostEstimate {
  const usage = guardUsage(topology, schedule);
  const lines = costLines(usage);
  const loop = loopCostWarning(topology, schedule);
  const warnings = [...slowCycleWarnings(usage), ...(loop === undefined ? [] : [loop])];
  return {
    topology: topology.name,
    schedule,
    pricesAsOf: PRICES_AS_OF,
    usage,
    lines,
    totalListUsd: lines.reduce((sum, l) => sum + l.listUsd, 0),
    totalAfterFreeUsd: lines.reduce((sum, l) => sum + l.afterFreeUsd, 0),
    route53HealthChecksUsd: route53HealthCheckUsd(topology),
    warnings,
  };
}

/** The estimate as a table, one line per item, the totals and the Route 53 comparison. */
export function formatCostEstimate(e: CostEstimate): string {
  const rows = e.lines.map((l) => [
    l.item,
    `${fmt(round(l.quantity * 100) / 100)} ${l.unit}`,
    round(l.listUsd).toFixed(2),
    round(l.afterFreeUsd).toFixed(2),
  ]);
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...[['item', 'quantity', 'list $', 'after free $'], ...rows].map((r) => (r[i] ?? '').length)),
  );
  const row = (r: readonly string[]) =>
    r
      .map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    `Monthly cost of guard "${e.topology}", schedule ${e.schedule}: ${e.usage.guardRegions} guard region(s), ${e.usage.endpoints} endpoints probed every ${e.usage.intervalSeconds} s from each`,
    `(AWS list prices of ${e.pricesAsOf}, us-east-1, 730-hour month; nothing failing; free allowances are per account, shared with everything else in it)`,
    '',
    row(['item', 'quantity', 'list $', 'after free $']),
    ...rows.map(row),
    row(['total', '', round(e.totalListUsd).toFixed(2), round(e.totalAfterFreeUsd).toFixed(2)]),
    '',
    `Route 53 health checks on the same ${e.usage.endpoints} endpoints instead: $${round(e.route53HealthChecksUsd).toFixed(2)} a month at list price.`,
    ...e.warnings.map((w) => `warning: ${w}`),
    '',
  ].join('\n');
}
