// The real checker handlers of both regions run minute by minute over the in-memory cloud from a fresh
// deployment (tick schedule: a cycle every 10 s, one per invocation), their EMF lines stamped by the
// fake clock, so tests can replay what eu-west-1's published against the alarms the stack synthesizes
// (test/cdk/alarm-evaluation.ts) and count what it writes.
import { vi } from 'vitest';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import type { Topology } from '../../lambdas/domain/config/schema';
import { createCheckerHandler, type CheckerDeps } from '../../lambdas/handlers/checker';
import type { LoopClock } from '../../lambdas/handlers/checker-loop';
import { serviceName } from '../../lambdas/contracts/telemetry-names';
import { captureOutput, fakeClock, powertools, tableProbe } from './handler-fixtures';

export const TIMELINE_START = Date.parse('2025-01-01T00:00:00.000Z');
export const minuteAt = (minute: number) => TIMELINE_START + minute * 60_000;

/** One published value at a time (ms since the epoch). */
export interface Sample {
  readonly atMs: number;
  readonly value: number;
}

export interface Timeline {
  readonly topology: Topology;
  readonly minutes: number;
  /** Before each invoked minute: what refuses (endpoint ids) and what else changes in the cloud. */
  readonly before?: (minute: number, cloud: MemoryCloud) => readonly string[];
  /** Whether eu-west-1's checker is invoked in that minute. @default - every minute */
  readonly invoked?: (minute: number) => boolean;
  readonly readinessAlarmIsOk?: (samples: () => Sample[]) => CheckerDeps['readinessAlarmIsOk'];
}

/** What eu-west-1's checker wrote over the timeline: its lines, and the datapoints of a metric in order. */
export interface TimelineOutput {
  readonly lines: readonly Record<string, unknown>[];
  metric(name: string, match?: (line: Record<string, unknown>) => boolean): Sample[];
}

export async function runTimeline(timeline: Timeline): Promise<TimelineOutput> {
  const stdout = captureOutput();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(TIMELINE_START);
  try {
    const base = fakeClock(new Date(TIMELINE_START).toISOString());
    // Powertools stamps each EMF line with Date.now(): the handler's fake clock drives it.
    const clock: LoopClock = {
      nowMs: base.nowMs,
      sleep: async (ms) => {
        await base.sleep(ms);
        vi.setSystemTime(base.nowMs());
      },
    };
    const own = () => stdout.lines().filter((l) => l.service === serviceName(timeline.topology.name));
    const metric = (name: string, match: (line: Record<string, unknown>) => boolean = () => true) =>
      own()
        .filter((l) => name in l && '_aws' in l && match(l))
        .map((m): Sample => ({ atMs: (m._aws as { Timestamp: number }).Timestamp, value: m[name] as number }));
    const cloud = MemoryCloud.fromTopology(timeline.topology, { now: () => new Date(clock.nowMs()) });
    const refusing = new Set<string>();
    const alarmIsOk = timeline.readinessAlarmIsOk?.(() => metric('ReadinessFailures'));
    // eu-central-1's checker runs too (its metrics under another service name), so neither region is silent.
    const [checker, peer] = (['eu-west-1', 'eu-central-1'] as const).map((region) =>
      createCheckerHandler({
        topology: timeline.topology,
        region,
        ports: cloud.ports(region),
        probe: tableProbe(clock, refusing).probe,
        invokeActor: async () => {},
        ...powertools(region === 'eu-west-1' ? timeline.topology.name : `${timeline.topology.name}-peer`),
        clock,
        schedule: {
          mode: 'tick',
          queueCycles: async () => {},
          startShardCycle: async (shard) => {
            throw new Error(`an unsharded region starts no shard (asked for shard ${shard})`);
          },
        },
        ...(region === 'eu-west-1' && alarmIsOk && { readinessAlarmIsOk: alarmIsOk }),
      }),
    );
    const context = { getRemainingTimeInMillis: () => 70_000 };
    for (let minute = 0; minute < timeline.minutes; minute += 1) {
      refusing.clear();
      for (const id of timeline.before?.(minute, cloud) ?? []) refusing.add(id);
      for (let cycle = 0; cycle < 6; cycle += 1) {
        await clock.sleep(minuteAt(minute) + cycle * 10_000 - clock.nowMs());
        // The minute's tick, then the cycles it queued: one cycle per invocation.
        const event = cycle === 0 ? { 'detail-type': 'Scheduled Event' } : {};
        if (!timeline.invoked || timeline.invoked(minute)) await checker!(event, context);
        await peer!(event, context);
      }
    }
    // The captured lines outlive the capture.
    return { lines: own(), metric };
  } finally {
    vi.useRealTimers();
    stdout.restore();
  }
}
