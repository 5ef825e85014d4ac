// The cost model against figures worked by hand. Topology: 100 HTTP servers over 2 regions plus a
// 3-member database (103 endpoints, each probed from both guard regions every 10 s), 730-hour month
// = 43,800 minutes = 2,628,000 s.
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../lambdas/domain/config/load';
import { estimateCost, formatCostEstimate } from '../../../lambdas/domain/cost/cost-estimate';
import { DEPLOYMENT, queuedCyclesPerMinute } from '../../../lambdas/domain/cost/guard-usage';
import { tickDelaysSeconds } from '../../../lambdas/handlers/checker-loop';
import { MAX_HEARTBEAT_REFRESH_SECONDS } from '../../../lambdas/engine/state/views';
import { regionAlarmIds } from '../../../lib/alarm-names';
import { CHECKER_LOOP_SECONDS, defaultCheckerMemorySize } from '../../../lib/failover-guard';
import { costTopologyInput } from './cost-topology';

const topology = parseTopology(costTopologyInput(100));
const usd = (estimate: ReturnType<typeof estimateCost>, item: string) => {
  const found = estimate.lines.find((l) => l.item === item);
  if (!found) throw new Error(`no line ${item}`);
  return { list: found.listUsd, afterFree: found.afterFreeUsd, quantity: found.quantity };
};

describe('the deployment the model assumes', () => {
  it('is the one lib/ and the handlers build', () => {
    expect(DEPLOYMENT.loopSeconds).toBe(CHECKER_LOOP_SECONDS);
    for (const servers of [100, 1000, 10_000]) {
      const sized = parseTopology(costTopologyInput(servers));
      expect(estimateCost(sized).usage.checkerMemoryMb).toBe(defaultCheckerMemorySize(sized));
    }
    expect(DEPLOYMENT.maxHeartbeatRefreshSeconds).toBe(MAX_HEARTBEAT_REFRESH_SECONDS);
    // Every alarm a stack always has, FailedInvocations' metric math counted as its two metrics.
    expect(DEPLOYMENT.alarmMetricsPerStack).toBe(regionAlarmIds([], 1).length + 1);
  });

  it.each([1, 7, 10, 15, 30, 60, 300])(
    'queues as many cycles a minute as the tick handler does at a %i s interval',
    (interval) => {
      expect(queuedCyclesPerMinute(interval)).toBe(tickDelaysSeconds(interval).length);
    },
  );
});

describe('estimateCost, 2 regions × 100 endpoints + a 3-member database at 10 s', () => {
  // a fresh instance's cycle CPU: 0.01 + 103 × 0.0003 = 0.0409 CPU-s → 72.35 MB for a second of wall: 128 MB;
  // unsharded, the one shard plans: a warm cycle, as billed, is 0.25 s waiting + its CPU: its own 0.015 + 103 ×
  // 0.00015 = 0.03045, its plan reads 0.01, and every region's targets read and judged, 2 × 103 × 0.000001 =
  // 0.000206: 0.040656 CPU-s × 1769 / 128 = 0.561879 s; 0.811879 s in all
  const cycle = 0.25 + (0.040656 * 1769) / 128;

  it('sizes the checker for its slice and estimates a cycle from its CPU at that size', () => {
    const e = estimateCost(topology, 'tick');
    expect(e.usage.sliceEndpoints).toBe(103);
    expect(e.usage.checkerMemoryMb).toBe(128);
    expect(e.usage.cycleSeconds).toBeCloseTo(0.811879, 5);
    expect(e.usage.probingCycleSeconds).toBeUndefined();
  });

  it('tick: line by line', () => {
    const e = estimateCost(topology, 'tick');
    // 2 checkers × 6 invocations a minute × 43,800 min = 525,600; × 0.811879 s × 0.125 GB = 53,340.43 GB-s
    expect(usd(e, 'Lambda compute').quantity).toBeCloseTo(525_600 * cycle * 0.125, 2);
    expect(usd(e, 'Lambda compute').list).toBeCloseTo(53_340.43 * 0.0000133334, 3); // 0.7112
    expect(usd(e, 'Lambda compute').afterFree).toBe(0);
    expect(usd(e, 'Lambda requests').list).toBeCloseTo(525_600 * 0.2e-6, 6); // 0.1051
    // per checker a minute: 1 batch send + 5 receives + 5 deletes + 6 idle polls = 17; × 2 × 43,800 = 1,489,200
    expect(usd(e, 'SQS requests').quantity).toBe(1_489_200);
    expect(usd(e, 'SQS requests').list).toBeCloseTo(0.59568, 5);
    expect(usd(e, 'SQS requests').afterFree).toBeCloseTo(489_200 * 0.4e-6, 5); // 0.19568
    // no view rewritten while nothing changes (0.1 + 103 × 0.006 = 0.718 KB); the heartbeat item, 0.2 KB → 1 WRU,
    // once a minute: 2 × 2,628,000 / 60 = 87,600 WRU, and again in the other replica
    expect(usd(e, 'DynamoDB writes').quantity).toBe(87_600);
    expect(usd(e, 'DynamoDB writes').list).toBeCloseTo(0.05475, 5);
    expect(usd(e, 'DynamoDB replicated writes').list).toBeCloseTo(0.05475, 5);
    // per cycle views and heartbeat items ⌈2 × (0.718 + 0.2) / 4⌉ = 1 + guard state 1 + runbooks 1 = 3 RRU;
    // 525,600 cycles → 1,576,800 RRU, + the readiness-signal document once per readiness period:
    // 2 × 2,628,000 / 300 = 17,520 → 1,594,320 × $0.125 / M
    expect(usd(e, 'DynamoDB reads').quantity).toBe(1_594_320);
    expect(usd(e, 'DynamoDB reads').list).toBeCloseTo(0.19929, 5);
    // none while nothing fails: UnhealthyTargets, RegionHealthy and ReadinessFailures wait for a failure
    expect(usd(e, 'CloudWatch custom metrics')).toEqual({ quantity: 0, list: 0, afterFree: 0 });
    // 2 × (7 alarm metrics + 1 region dark) = 16 × $0.10; 10 free → 6 × $0.10
    expect(usd(e, 'CloudWatch alarms').quantity).toBe(16);
    expect(usd(e, 'CloudWatch alarms').list).toBeCloseTo(1.6, 6);
    expect(usd(e, 'CloudWatch alarms').afterFree).toBeCloseTo(0.6, 6);
    // drift reads 2 × 2,628,000 / 300 = 17,520 × 2 replicas = 35,040 metrics × $0.01 / 1,000; no free tier
    expect(usd(e, 'CloudWatch GetMetricData')).toEqual({
      quantity: 35_040,
      list: expect.closeTo(0.3504, 6),
      afterFree: expect.closeTo(0.3504, 6),
    });
    // DescribeAlarms of the readiness alarm: only after a readiness failure, none at idle
    expect(usd(e, 'CloudWatch API requests')).toEqual({ quantity: 0, list: 0, afterFree: 0 });
    // 2 × 43,800 × (6 × 315 + 173) B = 180,718,800 B = 0.1807188 GB × $0.50 (no platform lines: system log level WARN); 5 GB free
    expect(usd(e, 'CloudWatch Logs ingestion').quantity).toBeCloseTo(0.1807188, 7);
    expect(usd(e, 'CloudWatch Logs ingestion').list).toBeCloseTo(0.0903594, 7);
    expect(usd(e, 'KMS keys').list).toBe(2);
    // none at idle: the table is encrypted with DynamoDB's own key, and nothing is published to the topic
    expect(usd(e, 'KMS requests')).toEqual({ quantity: 0, list: 0, afterFree: 0 });
    // no record marked dataPlaneFailover: no region health check to follow
    expect(usd(e, 'Route 53 health checks')).toEqual({ quantity: 0, list: 0, afterFree: 0 });
    expect(usd(e, 'Route 53 queries').list).toBe(0);
    // no dashboard unless guard.dashboard asks for one
    expect(usd(e, 'CloudWatch dashboards')).toEqual({ quantity: 0, list: 0, afterFree: 0 });
    // 0.7112 + 0.1051 + 0.5957 + 0.0548 + 0.0548 + 0.1993 + 0 + 1.60 + 0.3504 + 0 + 0.0904 + 2 + 0 = 5.76
    expect(e.totalListUsd).toBeCloseTo(5.7616, 3);
    // 0.1957 + 0.0548 + 0.0548 + 0.1993 + 0.60 + 0.3504 + 2 = 3.45
    expect(e.totalAfterFreeUsd).toBeCloseTo(3.455, 2);
    expect(e.warnings).toEqual([]);
  });

  it('loop: one invocation a minute billed from its first cycle to the end of its sixth', () => {
    const e = estimateCost(topology, 'loop');
    // cycles at 0, 10, … 50 s: 50 s + 0.811879 s = 50.811879 s × 2 × 43,800 × 0.125 GB = 556,390.07 GB-s
    expect(usd(e, 'Lambda compute').quantity).toBeCloseTo(2 * 43_800 * (50 + cycle) * 0.125, 2);
    expect(usd(e, 'Lambda compute').list).toBeCloseTo(7.4186, 3);
    expect(usd(e, 'Lambda compute').afterFree).toBeCloseTo((556_390.07 - 400_000) * 0.0000133334, 3); // 2.0852
    expect(usd(e, 'Lambda requests').quantity).toBe(87_600);
    expect(usd(e, 'SQS requests').quantity).toBe(0);
    // 2 × 43,800 × 6 × 315 B = 0.165564 GB (no tick line)
    expect(usd(e, 'CloudWatch Logs ingestion').quantity).toBeCloseTo(0.165564, 6);
  });

  it('counts a region health check for each region a record marked dataPlaneFailover has sets in', () => {
    // Prepare: a weighted record with a set in each region, marked
    const input = costTopologyInput(100);
    const [dub, fra] = ['eu-west-1', 'eu-central-1'].map((region) => input.servers!.find((s) => s.region === region)!);
    const marked = parseTopology({
      ...input,
      dns: [
        {
          id: 'origin',
          name: 'origin.big.example.com',
          type: 'A',
          hostedZoneId: 'Z0123456789ABCDEFGHIJ',
          routing: 'weighted',
          dataPlaneFailover: true,
          targets: [
            { endpoint: dub!.id, setIdentifier: 'dub' },
            { endpoint: fra!.id, setIdentifier: 'fra' },
          ],
        },
      ],
    });
    // Act
    const e = estimateCost(marked, 'tick');
    // Assess: one check per region, each in the stack judging it: 2 × $0.50
    expect(usd(e, 'Route 53 health checks')).toEqual({ quantity: 2, list: 1, afterFree: 1 });
  });

  it('prices Route 53 health checks on the same endpoints: $0.50 + $1 fast interval each, HTTPS and string matching $1 more', () => {
    // 103 × ($0.50 + $1.00) = $154.50
    expect(estimateCost(topology).route53HealthChecksUsd).toBeCloseTo(154.5, 6);
    const https = parseTopology({
      ...costTopologyInput(1),
      servers: [
        {
          id: 'web-0',
          region: 'eu-west-1',
          ip: '198.18.0.0',
          probe: { type: 'https', url: 'https://198.18.0.0/', bodyMatch: { substring: 'ok' } },
        },
      ],
    });
    // the https server: 0.5 + 3 × 1; the 3 database members: 1.5 each
    expect(estimateCost(https).route53HealthChecksUsd).toBeCloseTo(3.5 + 4.5, 6);
  });

  it('counts every shard: 10,003 endpoints run 11 shards per region, each its invocations and its heartbeat item; one stale-shards metric and alarm', () => {
    const e = estimateCost(parseTopology(costTopologyInput(10_000)), 'tick');
    // K = ⌈10,003 / 1,000⌉ = 11; the largest slice has 933 endpoints: 0.01 + 933 × 0.0003 = 0.2899 CPU-s
    // → 512.83 MB for a second of wall: 576 MB; a probing shard's warm cycle: 0.075 + (0.015 + 933 × 0.00015 =
    // 0.15495) × 1769 / 576 = 0.075 + 0.475879 = 0.550879 s; shard 0 also makes its plan reads (0.01) and reads
    // 2 × 10,003 targets a cycle (20,006 × 0.000001 = 0.020006): 0.25 + 0.184956 × 1769 / 576 = 0.818033 s
    const probingCycle = 0.075 + (0.15495 * 1769) / 576;
    const planningCycle = 0.25 + (0.184956 * 1769) / 576;
    expect(e.usage.shards).toBe(11);
    expect(e.usage.sliceEndpoints).toBe(933);
    expect(e.usage.checkerMemoryMb).toBe(576);
    expect(e.usage.cycleSeconds).toBeCloseTo(0.818033, 5);
    expect(e.usage.probingCycleSeconds).toBeCloseTo(0.550879, 5);
    // the basis says which cycle is which, and on what a probing shard's waiting rests
    expect(e.lines.find((l) => l.item === 'Lambda compute')?.basis).toContain(
      '× ≈ 0.82 s (shard 0, which plans) or 0.55 s (the other shards, when endpoints answer within about 50 ms of their probe) × 0.56 GB (sized for 933 endpoints)',
    );
    // 2 regions × 11 shards × 6 invocations a minute × 43,800 = 5,781,600
    expect(usd(e, 'Lambda requests').quantity).toBe(5_781_600);
    // per region-cycle one planning and 10 probing cycles at 0.5625 GB: 525,600 × (0.818033 + 10 × 0.550879) × 0.5625;
    // and on each of the 5 queued cycles a minute shard 0 starts the 10 others first: 0.05 s + 10 × 0.0015 CPU-s ×
    // 1769 / 576 = 0.096068 s, 2 × 5 × 43,800 = 438,000 times
    const fanOut = 0.05 + (10 * 0.0015 * 1769) / 576;
    expect(usd(e, 'Lambda compute').quantity).toBeCloseTo(
      (525_600 * (planningCycle + 10 * probingCycle) + 438_000 * fanOut) * 0.5625,
      0,
    );
    // per region a minute, whatever the shards, 1 batch send + 5 receives + 5 deletes: 2 × 43,800 × 11 = 963,600;
    // + 2 queues × 6 polls × 43,800
    expect(usd(e, 'SQS requests').quantity).toBe(963_600 + 525_600);
    // a shard's view (0.1 + 0.006 × 909.36 = 5.556 KB) is not rewritten while nothing changes; its heartbeat
    // item, 1 WRU, once a minute: 2 × 11 × 43,800 = 963,600 WRU ($0.60), and as many replicated
    expect(usd(e, 'DynamoDB writes').quantity).toBe(963_600);
    expect(usd(e, 'DynamoDB replicated writes').list).toBeCloseTo(0.60225, 5);
    // per cycle ⌈2 × 11 × (5.556 + 0.2) / 4⌉ = ⌈31.66⌉ = 32 + 2 = 34 RRU; 2 × 6 × 43,800 = 525,600 cycles;
    // + 17,520 readiness-signal reads
    expect(usd(e, 'DynamoDB reads').quantity).toBe(525_600 * 34 + 17_520);
    // per stack StaleShards only (every cycle by design) = 2 metrics; 7 + 1 + 1 = 9 alarm metrics
    expect(usd(e, 'CloudWatch custom metrics').quantity).toBe(2);
    expect(usd(e, 'CloudWatch alarms').quantity).toBe(18);
    // none at idle, however many shards ask the table
    expect(usd(e, 'KMS requests').quantity).toBe(0);
    expect(e.warnings).toEqual([]);
  });

  it.each([
    // drift 300 s and readiness 300 s (the defaults) share their cycles: 2 × 8,760 × 2 replicas
    [300, 35_040],
    // readiness every 60 s: every fifth of its cycles is also the drift read's → 2 × 43,800 × 2
    [60, 175_200],
    // readiness every 120 s: 1/300 + 1/120 - 1/600 = 1/100 → 2 × 26,280 × 2
    [120, 105_120],
  ])(
    'counts the replica lag reads of readiness every %i s with the drift read every 300 s: %i metrics',
    (readinessCheckSeconds, metrics) => {
      const input = costTopologyInput(100);
      const e = estimateCost(parseTopology({ ...input, guard: { ...input.guard, readinessCheckSeconds } }), 'tick');
      expect(usd(e, 'CloudWatch GetMetricData').quantity).toBeCloseTo(metrics, 6);
    },
  );

  it('warns when one shard cannot finish a cycle within the interval', () => {
    // 207 endpoints (204 servers and the 3 database members) at a 1 s interval (timeout 500 ms): a fresh
    // instance's cycle 0.01 + 207 × 0.0003 = 0.0721 CPU-s → 127.5 MB: 128 MB; a warm one, planning, 0.015 + 207 ×
    // 0.00015 + 0.01 + 2 × 207 × 0.000001 = 0.056464 CPU-s: 0.25 + 0.056464 × 1769 / 128 ≈ 1.03 s > 1 s
    const input = costTopologyInput(204);
    const checks = { intervalSeconds: 1, timeoutMs: 500 };
    const e = estimateCost(parseTopology({ ...input, checks }), 'tick');
    expect(e.usage.shards).toBe(1);
    expect(e.warnings[0]).toContain(
      'a checker cycle over 207 endpoints takes ≈ 1.03 s at 128 MB, longer than the 1 s interval',
    );
  });

  it('says what tick would cost when loop bills a checker sized past 128 MB for its whole minute', () => {
    const big = parseTopology(costTopologyInput(10_000));
    const [loop, tick] = [estimateCost(big, 'loop'), estimateCost(big, 'tick')];
    expect(loop.warnings).toEqual([
      `loop bills every checker for its whole minute at 576 MB (sized for 933 endpoints): $${loop.totalListUsd.toFixed(2)} a month, where tick (guard.schedule: "tick") would cost $${tick.totalListUsd.toFixed(2)}`,
    ]);
    expect(estimateCost(topology, 'loop').warnings).toEqual([]);
  });

  it('prints one line per item, the totals and the comparison', () => {
    const text = formatCostEstimate(estimateCost(topology, 'tick'));
    expect(text).toContain('schedule tick: 2 guard region(s), 103 endpoints probed every 10 s from each');
    expect(text).toMatch(/^total\s+5\.76\s+3\.45$/m);
    expect(text).toMatch(/^CloudWatch GetMetricData\s+35,040 metrics\s+0\.35\s+0\.35$/m);
    expect(text).toContain('Route 53 health checks on the same 103 endpoints instead: $154.50 a month at list price.');
  });
});
