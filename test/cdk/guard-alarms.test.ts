// The shape of the alarms that must mean what their descriptions say: RegionDark fires only when
// every sample of its window is dark; FailedInvocations fires on each new dead-letter event and clears.
import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { regionDarkMinutes } from '../../lambdas/contracts/region-health-signal';
import { exampleTopology, guardStacks } from './guard-fixtures';

type AlarmProperties = {
  MetricName?: string;
  Statistic?: string;
  Period?: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData: string;
  Metrics?: {
    Id: string;
    Expression?: string;
    ReturnData?: boolean;
    MetricStat?: { Metric: { MetricName: string; Namespace: string }; Period: number; Stat: string };
  }[];
};

/** A sample the checker publishes: seconds since the start, RegionHealthy 1 (up) or 0 (dark). */
type Sample = readonly [atSeconds: number, healthy: 0 | 1];

const aggregate: Record<string, (values: number[]) => number> = {
  Minimum: (values) => Math.min(...values),
  Maximum: (values) => Math.max(...values),
  Average: (values) => values.reduce((a, b) => a + b, 0) / values.length,
};

/**
 * Evaluates a single-metric alarm the way CloudWatch does on complete data: one datapoint per
 * period from the alarm's own statistic, then M of the last N datapoints breaching fires it.
 */
function firesOn(alarm: AlarmProperties, samples: readonly Sample[]): boolean {
  const period = alarm.Period!;
  const byPeriod = new Map<number, number[]>();
  for (const [at, value] of samples)
    byPeriod.set(Math.floor(at / period), [...(byPeriod.get(Math.floor(at / period)) ?? []), value]);
  const datapoints = [...byPeriod.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, values]) => aggregate[alarm.Statistic!]!(values));
  expect(alarm.ComparisonOperator).toBe('LessThanThreshold');
  const breaching = datapoints.map((d) => d < alarm.Threshold);
  const needed = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods;
  return breaching.some(
    (_, end) =>
      breaching.slice(Math.max(0, end - alarm.EvaluationPeriods + 1), end + 1).filter(Boolean).length >= needed,
  );
}

/** A checker publishing every 10 s for `minutes`, dark while `dark(at)` holds. */
function samples(minutes: number, dark: (atSeconds: number) => boolean): Sample[] {
  return Array.from({ length: (minutes * 60) / 10 }, (_, i) => [i * 10, dark(i * 10) ? 0 : 1] as const);
}

describe('the alarms of the example topology', () => {
  const topology = exampleTopology();
  let alarms: AlarmProperties[];

  beforeAll(() => {
    const [home] = guardStacks(topology);
    alarms = Object.values(Template.fromStack(home!).findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: AlarmProperties }).Properties,
    );
  }, 120_000);

  const regionDark = () => alarms.find((a) => a.MetricName === 'RegionHealthy')!;
  const failedInvocations = () =>
    alarms.find((a) => a.Metrics?.some((m) => m.MetricStat?.Metric.Namespace === 'AWS/SQS'))!;

  it('fires RegionDark only when every sample of every minute of its window is dark: Maximum below 1, all periods breaching', () => {
    const minutes = regionDarkMinutes(topology);
    expect(regionDark()).toMatchObject({
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: minutes,
      DatapointsToAlarm: minutes,
      TreatMissingData: 'ignore',
    });
  });

  it('never fires RegionDark on a 30 s blip across a minute boundary', () => {
    expect(
      firesOn(
        regionDark(),
        samples(10, (at) => at >= 45 && at < 75),
      ),
    ).toBe(false);
  });

  it('never fires RegionDark on one dark sample in each of several adjacent minutes', () => {
    expect(
      firesOn(
        regionDark(),
        samples(10, (at) => at % 60 === 50),
      ),
    ).toBe(false);
  });

  it('fires RegionDark once the region has been dark for its whole window, and not a minute before', () => {
    const minutes = regionDarkMinutes(topology);
    // Dark from the start of minute 3: after minutes-1 full minutes it has not fired, after `minutes` it has.
    expect(
      firesOn(
        regionDark(),
        samples(3 + minutes - 1, (at) => at >= 180),
      ),
    ).toBe(false);
    expect(
      firesOn(
        regionDark(),
        samples(3 + minutes, (at) => at >= 180),
      ),
    ).toBe(true);
  });

  it('fires FailedInvocations on new dead-letter events (sent, or moved there by the cycle queue), not on the queue’s level', () => {
    const alarm = failedInvocations();
    expect(alarm.MetricName).toBeUndefined();
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    });
    const byId = Object.fromEntries(alarm.Metrics!.map((m) => [m.Id, m]));
    expect(alarm.Metrics!.filter((m) => m.ReturnData !== false).map((m) => m.Expression)).toEqual([
      'MAX([FILL(sent, 0), FILL(DIFF(visible), 0)])',
    ]);
    expect(byId.sent?.MetricStat).toMatchObject({
      Metric: { MetricName: 'NumberOfMessagesSent', Namespace: 'AWS/SQS' },
      Period: 300,
      Stat: 'Sum',
    });
    expect(byId.visible?.MetricStat).toMatchObject({
      Metric: { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' },
      Period: 300,
      Stat: 'Maximum',
    });
    expect(alarm.Metrics!.map((m) => [m.Id, m.ReturnData ?? true])).toEqual([
      [expect.any(String), true],
      ['sent', false],
      ['visible', false],
    ]);
  });

  it('is the FailedInvocations alarm docs/operations.md explains at the edge of its window', () => {
    const alarm = failedInvocations();
    const docs = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const expression = alarm.Metrics!.find((m) => m.Expression)?.Expression;
    expect(docs).toContain(
      `\`${expression}\` ≥ ${alarm.Threshold}, period 300 s, ${alarm.EvaluationPeriods} evaluation periods, ${alarm.DatapointsToAlarm} datapoint to alarm`,
    );
    expect(docs).toContain('unverified against a live account');
  });
});
