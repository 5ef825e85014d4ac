// CloudWatch metric objects for the figures the handlers publish (names shared with the handlers).
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  GuardMetric,
  JUDGED_REGION_DIMENSION,
  METRIC_NAMESPACE,
  SERVICE_DIMENSION,
  serviceName,
} from '../lambdas/contracts/telemetry-names';

export function guardMetric(
  topologyName: string,
  metricName: (typeof GuardMetric)[keyof typeof GuardMetric],
  statistic: string,
  extraDimensions: Record<string, string> = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { [SERVICE_DIMENSION]: serviceName(topologyName), ...extraDimensions },
    statistic,
    period: Duration.minutes(1),
  });
}

/**
 * RegionHealthy of one judged region per minute. Minimum (the default) is 0 when any sample of the
 * minute was dark; Maximum is 0 only when every sample was.
 */
export function regionHealthyMetric(
  topologyName: string,
  judgedRegion: string,
  statistic: string = cloudwatch.Stats.MINIMUM,
): cloudwatch.Metric {
  return guardMetric(topologyName, GuardMetric.regionHealthy, statistic, { [JUDGED_REGION_DIMENSION]: judgedRegion });
}

/**
 * The heartbeat: the checker function's own invocations per minute (AWS/Lambda, free). An invocation
 * that crashes, times out or fails a cycle still counts here; those are the errors alarm's business.
 */
export function heartbeatMetric(checker: lambda.IFunction): cloudwatch.Metric {
  return checker.metricInvocations({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM });
}

/**
 * ReadinessFailures per readiness period (readinessCheckSeconds rounded up to whole minutes, as
 * CloudWatch periods are): a datapoint in each while checks fail or the alarm is not OK yet.
 */
export function readinessFailuresMetric(topologyName: string, readinessCheckSeconds: number): cloudwatch.Metric {
  return guardMetric(topologyName, GuardMetric.readinessFailures, cloudwatch.Stats.MAXIMUM).with({
    period: Duration.minutes(Math.ceil(readinessCheckSeconds / 60)),
  });
}
