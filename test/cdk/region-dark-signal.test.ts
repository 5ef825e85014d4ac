// RegionHealthy is published only while it can matter (some endpoint of the judged region not HEALTHY,
// stale, or changed within the settle time), so it costs nothing while nothing fails. These tests replay
// what the real checker handler publishes, minute by minute, against the RegionDark alarm the stack
// synthesizes and the Route 53 health check that follows it (alarm-evaluation.ts models CloudWatch).
import { beforeAll, describe, expect, it } from 'vitest';
import { regionDarkMinutes, regionHealthySettleSeconds } from '../../lambdas/contracts/region-health-signal';
import { probeTargets } from '../../lambdas/domain/config/targets';
import {
  alarmStates,
  evaluateIgnoringMissing,
  healthCheckHealthy,
  synthesizedAlarm,
  type AlarmShape,
} from './alarm-evaluation';
import { minuteAt as at, runTimeline, type Sample, TIMELINE_START as START } from '../handlers/checker-timeline';
import { exampleTopology } from './guard-fixtures';

describe('the alarm model', () => {
  it('evaluates the user guide’s example rows (3 of 3, and 2 of 3, over 5 datapoints) as the guide’s IGNORE column says', () => {
    // 0 is non-breaching, X breaching, - missing; the guide's rows, oldest first
    const row = (points: string) => points.split(' ').flatMap((p) => (p === '-' ? [] : [p === 'X']));
    const threeOfThree: [string, string][] = [
      ['0 - X - X', 'OK'],
      ['0 - - - -', 'OK'],
      ['- - - - -', 'retained'],
      ['0 X X - X', 'ALARM'],
      ['- - - - X', 'retained'],
      ['X - - - -', 'retained'],
    ];
    for (const [points, expected] of threeOfThree) {
      expect(evaluateIgnoringMissing(row(points), 3, 3, 'INSUFFICIENT_DATA')).toBe(
        expected === 'retained' ? 'INSUFFICIENT_DATA' : expected,
      );
    }
    const twoOfThree: [string, string][] = [
      ['0 - X - X', 'ALARM'],
      ['0 0 X 0 X', 'ALARM'],
      ['0 - X - -', 'OK'],
      ['- - - - 0', 'OK'],
      ['- - - - X', 'retained'],
    ];
    for (const [points, expected] of twoOfThree) {
      expect(evaluateIgnoringMissing(row(points), 3, 2, 'OK')).toBe(expected === 'retained' ? 'OK' : expected);
    }
  });
});

describe('RegionHealthy and the RegionDark alarm', () => {
  const topology = exampleTopology();
  const judged = 'eu-central-1';
  const judgedIds = probeTargets(topology)
    .filter((t) => t.region === judged)
    .map((t) => t.id);
  const everyId = probeTargets(topology).map((t) => t.id);
  const darkMinutes = regionDarkMinutes(topology);
  let regionDark: AlarmShape;

  beforeAll(() => {
    regionDark = synthesizedAlarm(topology, 'RegionHealthy');
  }, 120_000);

  /** The RegionHealthy datapoints for eu-central-1 of the checker in eu-west-1; `down(minute)` refuses. */
  const run = async (
    minutes: number,
    down: (minute: number) => readonly string[],
    invoked?: (minute: number) => boolean,
  ) =>
    (await runTimeline({ topology, minutes, before: (minute) => down(minute), ...(invoked && { invoked }) })).metric(
      'RegionHealthy',
      (line) => line.JudgedRegion === judged,
    );

  /** What the checker published before this change: a datapoint every cycle, 1 in the cycles now silent. */
  function everyCycle(samples: readonly Sample[], minutes: number): Sample[] {
    const published = new Map(samples.map((s) => [s.atMs, s.value]));
    return Array.from({ length: minutes * 6 }, (_, i) => START + i * 10_000).map((atMs) => ({
      atMs,
      value: published.get(atMs) ?? 1,
    }));
  }

  // The guide does not say how many periods the range holds beyond N: every claim holds for a short and a long one.
  const ranges = () => [darkMinutes + 2, darkMinutes + 10];
  const states = (samples: readonly Sample[], minutes: number, rangePeriods: number) =>
    alarmStates(regionDark, samples, { fromMs: START, toMs: at(minutes), rangePeriods });

  it('publishes nothing once a freshly deployed guard has seen the region healthy for the settle time, and its alarm never leaves OK', async () => {
    // Act
    const samples = await run(20, () => []);
    // Assess: datapoints (all healthy) only in the settle time after the first probes, then silence
    const settleMs = regionHealthySettleSeconds(topology) * 1000;
    expect(samples.length).toBe(settleMs / 10_000);
    expect(samples.every((s) => s.value === 1 && s.atMs < START + settleMs)).toBe(true);
    for (const rangePeriods of ranges()) {
      const series = states(samples, 20, rangePeriods);
      expect(series.map((s) => s.state)).toEqual(Array(20).fill('OK'));
      expect(healthCheckHealthy(series).every(Boolean)).toBe(true);
    }
  });

  it('fires as fast as when RegionHealthy was published every cycle, and returns to OK after the recovery, even with a minute of datapoints lost', async () => {
    // Prepare: eu-central-1 dark from minute 10 to minute 20
    const minutes = 40;
    const dark = (minute: number) => minute >= 10 && minute < 20;
    // Act
    const samples = await run(minutes, (minute) => (dark(minute) ? judgedIds : []));
    // Assess: silent once settled again (the settle time after the recovery has passed)
    const lastSample = Math.max(...samples.map((s) => s.atMs));
    expect(lastSample).toBeLessThan(at(20) + 60_000 + regionHealthySettleSeconds(topology) * 1000);
    expect(samples.filter((s) => s.atMs >= at(30))).toEqual([]);
    for (const rangePeriods of ranges()) {
      const series = states(samples, minutes, rangePeriods);
      // The same state at every evaluation as with a datapoint every cycle: detection is as fast as before.
      expect(series).toEqual(states(everyCycle(samples, minutes), minutes, rangePeriods));
      // Dark from 10:00, UNHEALTHY from 10:20 (3 failures): minutes 11 and 12 are dark throughout.
      const firstAlarm = series.find((s) => s.state === 'ALARM')!.atMs;
      expect(firstAlarm).toBe(at(11 + darkMinutes));
      const lastAlarm = series.findLast((s) => s.state === 'ALARM')!.atMs;
      expect(lastAlarm).toBeLessThanOrEqual(at(21));
      expect(series.at(-1)!.state).toBe('OK');
      // Any one minute of datapoints after the recovery lost: the alarm still ends OK.
      for (let lost = 20; lost < minutes; lost += 1) {
        const kept = samples.filter((s) => s.atMs < at(lost) || s.atMs >= at(lost + 1));
        expect(states(kept, minutes, rangePeriods).at(-1)!.state).toBe('OK');
      }
    }
  });

  it('never fails the region over while the checker is blind (it cannot see its own region either), publishing nothing meanwhile', async () => {
    // Act: everything refuses from minute 10 on, the checker's own region included
    const samples = await run(30, (minute) => (minute >= 10 ? everyId : []));
    // Assess
    expect(samples.filter((s) => s.atMs >= at(11))).toEqual([]);
    for (const rangePeriods of ranges()) {
      const series = states(samples, 30, rangePeriods);
      expect(series.some((s) => s.state === 'ALARM')).toBe(false);
      expect(healthCheckHealthy(series).every(Boolean)).toBe(true);
    }
  });

  it('never fails the region over while the checker is silent, and keeps the judgement it had when it went silent', async () => {
    // Act: not invoked from minute 5 to 25 (a healthy region), then again silent from 40 while the region is dark
    const invoked = (minute: number) => minute < 5 || (minute >= 25 && minute < 40);
    const samples = await run(60, (minute) => (minute >= 32 ? judgedIds : []), invoked);
    // Assess
    for (const rangePeriods of ranges()) {
      const series = states(samples, 60, rangePeriods);
      const healthy = healthCheckHealthy(series);
      expect(series.filter((s) => s.atMs <= at(32)).every((s) => s.state === 'OK')).toBe(true);
      expect(healthy.slice(0, 32).every(Boolean)).toBe(true);
      // Dark and judged so before the silence: the judgement stands through it (the heartbeat alarm reports the silence).
      expect(series.filter((s) => s.atMs >= at(36)).every((s) => s.state === 'ALARM')).toBe(true);
    }
  });
});
