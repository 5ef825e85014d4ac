// A model of how CloudWatch evaluates a single-metric alarm whose missing data is IGNOREd, as its user
// guide documents it ("How alarm state is evaluated when data is missing"), so tests can replay the
// datapoints a handler published against the alarm the stack synthesizes. Not checked against a live
// account; its own test replays the guide's example rows.
import { Template } from 'aws-cdk-lib/assertions';
import type { Topology } from '../../lambdas/domain/config/schema';
import type { Sample } from '../handlers/checker-timeline';
import { guardStacks } from './guard-fixtures';

/** The alarm as CloudFormation has it (Template.fromStack). */
export interface AlarmShape {
  readonly Statistic?: string;
  readonly Period?: number;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number;
  readonly Threshold: number;
  readonly ComparisonOperator: string;
  readonly TreatMissingData?: string;
}

export type AlarmState = 'INSUFFICIENT_DATA' | 'OK' | 'ALARM';

const aggregate: Record<string, (values: readonly number[]) => number> = {
  Minimum: (values) => Math.min(...values),
  Maximum: (values) => Math.max(...values),
  Sum: (values) => values.reduce((a, b) => a + b, 0),
};

const compare: Record<string, (value: number, threshold: number) => boolean> = {
  LessThanThreshold: (v, t) => v < t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
};

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The alarm model does not know ${what}`);
  return value;
}

/**
 * One evaluation from the breaching flags of the datapoints present in the evaluation range, oldest
 * first. With at least N present, the most recent N decide; with fewer, IGNORE retains the state when
 * every one present is breaching (or none is present), else fewer than M breaching is OK.
 */
export function evaluateIgnoringMissing(
  present: readonly boolean[],
  evaluationPeriods: number,
  datapointsToAlarm: number,
  current: AlarmState,
): AlarmState {
  const evaluated = present.slice(-evaluationPeriods);
  const breaching = evaluated.filter(Boolean).length;
  if (present.length < evaluationPeriods && breaching === present.length) return current;
  return breaching >= datapointsToAlarm ? 'ALARM' : 'OK';
}

/**
 * The alarm's state after each evaluation, one at the end of every period from `fromMs` (a period
 * boundary) to `toMs`, each seeing the periods of its evaluation range (`rangePeriods`, more than
 * EvaluationPeriods: the guide's example retrieves 5 for 3) that `samples` published. A new alarm
 * starts in INSUFFICIENT_DATA.
 */
export function alarmStates(
  alarm: AlarmShape,
  samples: readonly Sample[],
  { fromMs, toMs, rangePeriods }: { fromMs: number; toMs: number; rangePeriods: number },
): { atMs: number; state: AlarmState }[] {
  if (alarm.TreatMissingData !== 'ignore') throw new Error('The alarm model covers TreatMissingData ignore only');
  const periodMs = required(alarm.Period, 'the period') * 1000;
  const statistic = required(aggregate[required(alarm.Statistic, 'the statistic')], alarm.Statistic ?? '');
  const breaches = required(compare[alarm.ComparisonOperator], alarm.ComparisonOperator);
  const byPeriod = new Map<number, number[]>();
  for (const { atMs, value } of samples) {
    const period = Math.floor(atMs / periodMs);
    byPeriod.set(period, [...(byPeriod.get(period) ?? []), value]);
  }
  const states: { atMs: number; state: AlarmState }[] = [];
  let state: AlarmState = 'INSUFFICIENT_DATA';
  for (let end = fromMs / periodMs + 1; end * periodMs <= toMs; end += 1) {
    const present: boolean[] = [];
    for (let period = end - rangePeriods; period < end; period += 1) {
      const values = byPeriod.get(period);
      if (values) present.push(breaches(statistic(values), alarm.Threshold));
    }
    state = evaluateIgnoringMissing(
      present,
      alarm.EvaluationPeriods,
      alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods,
      state,
    );
    states.push({ atMs: end * periodMs, state });
  }
  return states;
}

/**
 * A Route 53 health check of type CLOUDWATCH_METRIC on the alarm, with insufficient data treated as
 * LAST_KNOWN_STATUS: unhealthy only while the alarm is in ALARM; a new check with no known status is healthy.
 */
export function healthCheckHealthy(states: readonly { state: AlarmState }[]): boolean[] {
  let healthy = true;
  return states.map(({ state }) => {
    if (state !== 'INSUFFICIENT_DATA') healthy = state === 'OK';
    return healthy;
  });
}

/** The alarm on `metricName` of the first guard region's stack, as synthesized. */
export function synthesizedAlarm(topology: Topology, metricName: string): AlarmShape {
  const [home] = guardStacks(topology);
  const alarms = Object.values(Template.fromStack(home!).findResources('AWS::CloudWatch::Alarm')).map(
    (a) => (a as { Properties: AlarmShape & { MetricName?: string } }).Properties,
  );
  const alarm = alarms.find((a) => a.MetricName === metricName);
  if (!alarm) throw new Error(`the stack has no alarm on ${metricName}`);
  return alarm;
}
