// The alarms of one guard region. Every alarm (and its return to OK) notifies the guard's topic.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { GuardMetric } from '../lambdas/contracts/telemetry-names';
import { GuardAlarmId, guardAlarmName, regionDarkAlarmId } from './alarm-names';
import { guardMetric, heartbeatMetric, readinessFailuresMetric, regionHealthyMetric } from './guard-metrics';

/** The period over which new dead-letter events are counted. */
const DEAD_LETTER_WINDOW = Duration.minutes(5);

/**
 * Events newly in the dead-letter queue per period. Lambda's on-failure destination and
 * EventBridge send them (NumberOfMessagesSent); a failed queued cycle is moved there by the
 * cycle queue's redrive policy, which NumberOfMessagesSent does not count, so the growth of the
 * visible count (DIFF) covers it. A queue nothing drains only grows: the level itself would latch.
 */
function deadLetterArrivals(queue: sqs.IQueue): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'MAX([FILL(sent, 0), FILL(DIFF(visible), 0)])',
    usingMetrics: {
      sent: queue.metricNumberOfMessagesSent({ period: DEAD_LETTER_WINDOW, statistic: cloudwatch.Stats.SUM }),
      visible: queue.metricApproximateNumberOfMessagesVisible({
        period: DEAD_LETTER_WINDOW,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
    },
    label: 'New dead-letter events',
    period: DEAD_LETTER_WINDOW,
  });
}

export interface GuardAlarmsProps {
  readonly topologyName: string;
  readonly checkerRegion: string;
  readonly judgedRegions: readonly string[];
  readonly checker: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
  readonly topic: sns.ITopic;
  /** Minutes without a heartbeat before the dead man's switch fires. */
  readonly heartbeatMissingMinutes: number;
  /** Consecutive minutes in which every sample is dark before a region-health alarm fires. */
  readonly regionDarkMinutes: number;
  /** The topology's guard.readinessCheckSeconds: how often the checker evaluates readiness. */
  readonly readinessCheckSeconds: number;
}

export class GuardAlarms extends Construct {
  readonly checkerErrors: cloudwatch.Alarm;
  readonly heartbeatMissing: cloudwatch.Alarm;
  readonly targetsUnhealthy: cloudwatch.Alarm;
  readonly failedInvocations: cloudwatch.Alarm;
  readonly notificationsFailed: cloudwatch.Alarm;
  readonly readinessFailures: cloudwatch.Alarm;
  /** One per judged region: the alarm a Route 53 CLOUDWATCH_METRIC health check can follow. */
  readonly regionHealth: Readonly<Record<string, cloudwatch.Alarm>>;

  constructor(scope: Construct, id: string, props: GuardAlarmsProps) {
    super(scope, id);
    const where = `${props.topologyName} (checker ${props.checkerRegion})`;
    const named = (alarmId: string) => ({
      alarmName: guardAlarmName(props.topologyName, props.checkerRegion, alarmId),
    });
    // The checker only: the actor is invoked asynchronously and never retried, so each of its errors
    // lands in the dead-letter queue at once and FailedInvocations tells it, with the error in the event.
    this.checkerErrors = new cloudwatch.Alarm(this, 'CheckerErrors', {
      ...named(GuardAlarmId.checkerErrors),
      alarmDescription: `The Failover Guard checker of ${where} threw errors. Read its log group for the stack trace.`,
      metric: props.checker.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.heartbeatMissing = new cloudwatch.Alarm(this, 'HeartbeatMissing', {
      ...named(GuardAlarmId.heartbeatMissing),
      alarmDescription:
        `Dead man's switch: the checker of ${where} was not invoked for ${props.heartbeatMissingMinutes} minutes ` +
        '(schedule, queue or throttling). Endpoints are not being probed from this region. ' +
        'A checker invoked but crashing, timing out or failing a cycle raises CheckerErrors instead.',
      metric: heartbeatMetric(props.checker),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: props.heartbeatMissingMinutes,
      // No datapoint is exactly what a checker nobody invokes looks like (Lambda publishes no zero).
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    this.targetsUnhealthy = new cloudwatch.Alarm(this, 'TargetsUnhealthy', {
      ...named(GuardAlarmId.targetsUnhealthy),
      alarmDescription: `The checker of ${where} sees at least one target UNHEALTHY. The dashboard's health widget lists which.`,
      metric: guardMetric(props.topologyName, GuardMetric.unhealthyTargets, cloudwatch.Stats.MAXIMUM),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // Published only when non-zero; silence is also the heartbeat alarm's business.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.failedInvocations = new cloudwatch.Alarm(this, 'FailedInvocations', {
      ...named(GuardAlarmId.failedInvocations),
      alarmDescription:
        `A Failover Guard invocation of ${where} failed or expired in the last ${DEAD_LETTER_WINDOW.toMinutes()} minutes; its event is in the dead-letter queue, with the error. ` +
        'The actor is never retried: each of its errors lands there at once (read its log group for the stack trace). ' +
        'The alarm clears once no new event arrives, so every later failure notifies again.',
      metric: deadLetterArrivals(props.deadLetterQueue),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // Two periods in view so the growth of the queue (a difference) has a previous period to compare with.
      evaluationPeriods: 2,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.notificationsFailed = new cloudwatch.Alarm(this, 'NotificationsFailed', {
      ...named(GuardAlarmId.notificationsFailed),
      alarmDescription:
        `The actor of ${where} could not publish a notification to the topic (logged at error as notify.failed). ` +
        'Alerts, repeats and the notices of applied actions are published again next cycle; check the topic, its KMS key policy and the actor role.',
      metric: guardMetric(props.topologyName, GuardMetric.notificationsFailed, cloudwatch.Stats.SUM),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // Published only when a publish fails.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.readinessFailures = new cloudwatch.Alarm(this, 'ReadinessFailures', {
      ...named(GuardAlarmId.readinessFailures),
      alarmDescription:
        `The checker of ${where} found a failover that would not succeed now (a replica over its lag, a standby short of healthy targets, ` +
        'a missing record or health check, an expiring certificate, a silent guard region, drift). ' +
        'The readiness.lost notification and `failover-guard readiness` say which and how to fix it.',
      metric: readinessFailuresMetric(props.topologyName, props.readinessCheckSeconds),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // A datapoint per readiness period while checks fail, then a zero until this alarm is OK, then
      // none: without data, and while the checker is silent (the heartbeat alarm's business), it keeps its state.
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });

    const regionHealth: Record<string, cloudwatch.Alarm> = {};
    for (const region of props.judgedRegions) {
      regionHealth[region] = new cloudwatch.Alarm(this, regionDarkAlarmId(region), {
        ...named(regionDarkAlarmId(region)),
        alarmDescription:
          `Every probed endpoint of ${region} has been UNHEALTHY for ${props.regionDarkMinutes} minutes, as seen by the checker in ${props.checkerRegion}. ` +
          'A Route 53 health check of type CLOUDWATCH_METRIC on this alarm can drive failover records without any API call.',
        // Maximum below 1: every sample of the minute was dark. A blip that leaves one healthy sample
        // in a minute (a 30 s blip across a minute boundary leaves one in each) never fires it.
        metric: regionHealthyMetric(props.topologyName, region, cloudwatch.Stats.MAXIMUM),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: props.regionDarkMinutes,
        datapointsToAlarm: props.regionDarkMinutes,
        // A silent checker keeps its last judgement; the heartbeat alarm reports the silence.
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      });
    }
    this.regionHealth = regionHealth;

    const notify = new actions.SnsAction(props.topic);
    for (const alarm of this.all()) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
  }

  all(): cloudwatch.Alarm[] {
    return [
      this.checkerErrors,
      this.heartbeatMissing,
      this.targetsUnhealthy,
      this.failedInvocations,
      this.notificationsFailed,
      this.readinessFailures,
      ...Object.values(this.regionHealth),
    ];
  }
}
