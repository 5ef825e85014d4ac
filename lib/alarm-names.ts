// Every guard alarm has a name made from the guard, its region and what it watches, so the one
// dashboard (in the first guard region's stack) can show every region's alarms by ARN: a stack cannot
// reference another region's resources, but it can name them.
import { Arn, ArnFormat, type Stack } from 'aws-cdk-lib';

/** The alarms every guard region's stack has, whatever the topology. */
export const GuardAlarmId = {
  checkerErrors: 'CheckerErrors',
  heartbeatMissing: 'HeartbeatMissing',
  targetsUnhealthy: 'TargetsUnhealthy',
  failedInvocations: 'FailedInvocations',
  notificationsFailed: 'NotificationsFailed',
  readinessFailures: 'ReadinessFailures',
} as const;

/** The region-dark alarm of one judged region (the one a Route 53 health check follows). */
export function regionDarkAlarmId(judgedRegion: string): string {
  return `RegionDark-${judgedRegion}`;
}

/** The alarm on a sharded checker's stale shards (one for all its shards). */
export const STALE_SHARDS_ALARM_ID = 'ShardsStale';

/** An alarm's name: unique per guard, region and alarm. */
export function guardAlarmName(topologyName: string, region: string, alarmId: string): string {
  return `failover-guard-${topologyName}-${region}-${alarmId}`;
}

/** The ids of every alarm one region's stack creates: what GuardAlarms and StaleShardsAlarm build. */
export function regionAlarmIds(judgedRegions: readonly string[], shards: number): string[] {
  return [
    ...Object.values(GuardAlarmId),
    ...judgedRegions.map(regionDarkAlarmId),
    ...(shards > 1 ? [STALE_SHARDS_ALARM_ID] : []),
  ];
}

/** The ARN of a guard alarm in any region of the stack's account. */
export function guardAlarmArn(stack: Stack, topologyName: string, region: string, alarmId: string): string {
  return Arn.format(
    {
      service: 'cloudwatch',
      region,
      resource: 'alarm',
      resourceName: guardAlarmName(topologyName, region, alarmId),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    stack,
  );
}
