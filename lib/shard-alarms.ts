// One heartbeat alarm per shard of a sharded checker: the region-wide heartbeat (any completed
// cycle) stays green while one shard runs, so a dead or late shard needs its own dead man's switch.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { GuardMetric, SHARD_DIMENSION } from '../lambdas/contracts/telemetry-names';
import { guardAlarmName, shardHeartbeatAlarmId } from './alarm-names';
import { guardMetric } from './guard-metrics';

export interface ShardAlarmsProps {
  readonly topologyName: string;
  readonly checkerRegion: string;
  readonly shards: number;
  readonly topic: sns.ITopic;
  /** Minutes without a completed cycle of a shard before its alarm fires. */
  readonly heartbeatMissingMinutes: number;
}

export class ShardAlarms extends Construct {
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ShardAlarmsProps) {
    super(scope, id);
    const notify = new actions.SnsAction(props.topic);
    this.alarms = Array.from({ length: props.shards }, (_, index) => {
      const alarm = new cloudwatch.Alarm(this, shardHeartbeatAlarmId(index), {
        alarmName: guardAlarmName(props.topologyName, props.checkerRegion, shardHeartbeatAlarmId(index)),
        alarmDescription:
          `Shard ${index} of ${props.shards} of the Failover Guard checker of ${props.topologyName} (checker ${props.checkerRegion}) completed no cycle for ${props.heartbeatMissingMinutes} minutes. ` +
          'Its targets keep their last state, marked stale, and nothing acts on them until it runs again. Read the checker log group for shard ' +
          index +
          '.',
        metric: guardMetric(props.topologyName, GuardMetric.shardHeartbeat, cloudwatch.Stats.SAMPLE_COUNT, {
          [SHARD_DIMENSION]: String(index),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: props.heartbeatMissingMinutes,
        // No datapoint is exactly what a dead shard looks like.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      return alarm;
    });
  }
}
