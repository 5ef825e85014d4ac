// The stale-shards alarm of a sharded checker: the region-wide heartbeat (any completed cycle) stays
// green while one shard runs, so shard 0 publishes how many shards are stale (the checker.shard.stale
// notices of its plan) every cycle, and one alarm watches that figure for every shard: a count of
// one or more, or no figure at all (shard 0 itself silent), for heartbeatMissingMinutes. One metric
// and one alarm instead of one of each per shard: $0.40 a month less per shard and region.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { GuardMetric } from '../lambdas/contracts/telemetry-names';
import { guardAlarmName, STALE_SHARDS_ALARM_ID } from './alarm-names';
import { guardMetric } from './guard-metrics';

export interface StaleShardsAlarmProps {
  readonly topologyName: string;
  readonly checkerRegion: string;
  readonly shards: number;
  readonly topic: sns.ITopic;
  /** Minutes a shard stays stale (or shard 0 silent) before the alarm fires. */
  readonly heartbeatMissingMinutes: number;
}

export class StaleShardsAlarm extends Construct {
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: StaleShardsAlarmProps) {
    super(scope, id);
    this.alarm = new cloudwatch.Alarm(this, STALE_SHARDS_ALARM_ID, {
      alarmName: guardAlarmName(props.topologyName, props.checkerRegion, STALE_SHARDS_ALARM_ID),
      alarmDescription:
        `A shard of the ${props.shards} shards of the Failover Guard checker of ${props.topologyName} (checker ${props.checkerRegion}) has written no view for ${props.heartbeatMissingMinutes} minutes, or shard 0 publishes no figure. ` +
        "The stale shard's targets keep their last state, marked stale, and nothing acts on them; the checker.shard.stale notice names the shard. Read the checker log group.",
      metric: guardMetric(props.topologyName, GuardMetric.staleShards, cloudwatch.Stats.MAXIMUM),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: props.heartbeatMissingMinutes,
      // No datapoint: shard 0 (which counts the stale shards) is not running or not planning.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    const notify = new actions.SnsAction(props.topic);
    this.alarm.addAlarmAction(notify);
    this.alarm.addOkAction(notify);
  }
}
