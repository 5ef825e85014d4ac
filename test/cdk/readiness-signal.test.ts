// ReadinessFailures is published while readiness fails, and a zero until the checker has found the
// ReadinessFailures alarm OK (noted in its readiness-signal document): then neither a datapoint nor a
// read of the alarm while ready. These tests run the real checker handler minute by minute, its "is the
// alarm OK?" answered by the synthesized alarm evaluated (alarm-evaluation.ts) on what the handler
// published so far, as CloudWatch would see it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MemoryCloud } from '../../lambdas/adapters/memory';
import { alarmStates, synthesizedAlarm, type AlarmShape } from './alarm-evaluation';
import { minuteAt as at, runTimeline, type Sample, TIMELINE_START as START } from '../handlers/checker-timeline';
import { exampleTopology } from './guard-fixtures';

/** The standby's first target group: with both its targets unhealthy, a region failover would not succeed. */
const FRA = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/shop-web-fra/0123456789abcdef';

describe('ReadinessFailures and its alarm', () => {
  const topology = exampleTopology();
  const periodMs = topology.guard.readinessCheckSeconds * 1000;
  let readiness: AlarmShape;

  beforeAll(() => {
    readiness = synthesizedAlarm(topology, 'ReadinessFailures');
  }, 120_000);

  /** Readiness fails while `failing(minute)`: the standby's target group has no healthy target. */
  const standby = (failing: (minute: number) => boolean) => (minute: number, cloud: MemoryCloud) => {
    for (const target of ['10.20.1.11', '10.20.2.11'])
      cloud.setTargetHealth(FRA, target, failing(minute) ? 'unhealthy' : 'healthy');
    return [];
  };

  // The guide does not say how many periods the range holds beyond N: every claim holds for a short and a long one.
  for (const rangePeriods of [3, 10]) {
    const states = (samples: readonly Sample[], minutes: number) =>
      alarmStates(readiness, samples, { fromMs: START, toMs: at(minutes), rangePeriods });
    /** The alarm's state now, from what CloudWatch received (`lost` never arrives); not OK before its first evaluation. */
    const alarmIsOk =
      (lost: (s: Sample) => boolean = () => false, reads: number[] = [], lagMs = 0) =>
      (samples: () => Sample[]) =>
      async () => {
        reads.push(Date.now());
        const evaluated = Math.floor((Date.now() - lagMs) / periodMs) * periodMs;
        const kept = samples().filter((s) => !lost(s) && s.atMs < evaluated + 1);
        return evaluated > START && states(kept, (evaluated - START) / 60_000).at(-1)?.state === 'OK';
      };
    /** What the checker published before this change: a datapoint every readiness period, 0 in the periods now silent. */
    const everyPeriod = (samples: readonly Sample[], minutes: number): Sample[] => {
      const published = new Map(samples.map((s) => [s.atMs, s.value]));
      return Array.from({ length: (minutes * 60_000) / periodMs }, (_, i) => START + i * periodMs).map((atMs) => ({
        atMs,
        value: published.get(atMs) ?? 0,
      }));
    };

    describe(`with an evaluation range of ${rangePeriods} periods`, () => {
      it('publishes a zero only until a fresh deployment’s alarm is OK, then neither a datapoint nor a DescribeAlarms call in a long idle run', async () => {
        // Act: two hours ready
        const reads: number[] = [];
        const samples = (
          await runTimeline({ topology, minutes: 120, readinessAlarmIsOk: alarmIsOk(undefined, reads) })
        ).metric('ReadinessFailures');
        // Assess: INSUFFICIENT_DATA at minute 0, OK found at minute 5 (its zero still goes out), then silence
        expect(samples).toEqual([
          { atMs: START, value: 0 },
          { atMs: at(5), value: 0 },
        ]);
        expect(reads).toEqual([START, at(5)]);
        expect(states(samples, 120).map((s) => s.state)).toEqual(Array(24).fill('OK'));
      });

      it('fires as fast as with a datapoint every period, returns to OK once readiness passes, and sends the zero again when it is lost', async () => {
        // Prepare: readiness fails from minute 10 to 20
        const failing = (minute: number) => minute >= 10 && minute < 20;
        const timeline = { topology, minutes: 40, before: standby(failing), readinessAlarmIsOk: alarmIsOk() };
        // Act
        const samples = (await runTimeline(timeline)).metric('ReadinessFailures');
        // Assess: the failures, the zero that clears the alarm, and nothing once it is OK
        expect(samples.map((s) => [(s.atMs - START) / 60_000, s.value])).toEqual([
          [0, 0],
          [5, 0],
          [10, 1],
          [15, 1],
          [20, 0],
          [25, 0],
        ]);
        const series = states(samples, 40);
        expect(series).toEqual(states(everyPeriod(samples, 40), 40));
        expect(series.filter((s) => s.state === 'ALARM').map((s) => (s.atMs - START) / 60_000)).toEqual([15, 20]);
        expect(series.at(-1)!.state).toBe('OK');

        // Act: the zero published at minute 20 never reaches CloudWatch
        const lostZero = (s: Sample) => s.atMs === at(20);
        const lossy = (await runTimeline({ ...timeline, readinessAlarmIsOk: alarmIsOk(lostZero) })).metric(
          'ReadinessFailures',
        );
        // Assess: the alarm is still in ALARM at minute 25, so the zero goes out again and clears it
        expect(lossy.map((s) => (s.atMs - START) / 60_000)).toEqual([0, 5, 10, 15, 20, 25, 30]);
        expect(
          states(
            lossy.filter((s) => !lostZero(s)),
            40,
          ).at(-1)!.state,
        ).toBe('OK');
      });

      it('leaves the alarm OK when the read that found it OK predates its evaluation of the last count', async () => {
        // Prepare: readiness fails for one period (minute 10); CloudWatch answers a period late
        const reads: number[] = [];
        const timeline = {
          topology,
          minutes: 40,
          before: standby((minute) => minute >= 10 && minute < 15),
          readinessAlarmIsOk: alarmIsOk(undefined, reads, periodMs),
        };
        // Act
        const samples = (await runTimeline(timeline)).metric('ReadinessFailures');
        // Assess: at minute 15 minute 10's count is under a period and a minute old: the zero, no read; at 20
        // the late read still says ALARM (as of 15): the zero; at 25 it says OK: the zero goes out with "ok"
        expect(samples.map((s) => [(s.atMs - START) / 60_000, s.value])).toEqual([
          [0, 0],
          [5, 0],
          [10, 1],
          [15, 0],
          [20, 0],
          [25, 0],
        ]);
        expect(reads.map((r) => (r - START) / 60_000)).toEqual([0, 5, 20, 25]);
        const series = states(samples, 40);
        expect(series.find((s) => s.atMs === at(15))?.state).toBe('ALARM');
        expect(series.at(-1)!.state).toBe('OK');
      });

      it('keeps the last judgement while the checker is silent, failing or ready', async () => {
        // Act: readiness fails from minute 10; the checker is silent from minute 17 on
        const output = await runTimeline({
          topology,
          minutes: 40,
          before: standby((minute) => minute >= 10),
          invoked: (minute) => minute < 17,
          readinessAlarmIsOk: alarmIsOk(),
        });
        const samples = output.metric('ReadinessFailures');
        // Assess: OK while ready (no datapoint from minute 5 to 10), ALARM from the first failure on
        const series = states(samples, 40);
        expect(series.filter((s) => s.atMs <= at(10)).every((s) => s.state === 'OK')).toBe(true);
        expect(series.filter((s) => s.atMs >= at(15)).every((s) => s.state === 'ALARM')).toBe(true);
      });
    });
  }
});
