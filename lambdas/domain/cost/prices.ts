// Every price and always-free allowance the cost estimate uses, in one place: AWS list prices,
// us-east-1 (most regions charge the same for these items; some charge more), as published on the
// services' pricing pages on PRICES_AS_OF. Update the figures and the date together.

export const PRICES_AS_OF = '2026-11-26';

/** Hours in AWS's pricing month (metrics, alarms, keys and health checks are prorated by the hour). */
export const HOURS_PER_MONTH = 730;

export const PRICES = {
  /** Lambda, arm64: per GB-second of duration and per request. */
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  /** SQS standard queue: per request (64 KB chunks; a batch of up to ten messages is one request). */
  sqsRequest: 0.4 / 1e6,
  /** DynamoDB on-demand: per write request unit (1 KB), replicated write unit (global tables, per other replica), read unit (4 KB strongly consistent). */
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReplicatedWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  /** CloudWatch: custom metric-month (first 10,000), standard-resolution alarm-month, metric requested by GetMetricData, GB of logs ingested (standard class). */
  cloudWatchMetric: 0.3,
  cloudWatchAlarm: 0.1,
  getMetricDataMetric: 0.01 / 1000,
  /** CloudWatch API requests other than GetMetricData, GetInsightRuleReport and GetMetricWidgetImage (DescribeAlarms). */
  cloudWatchApiRequest: 0.01 / 1000,
  logsIngestedGb: 0.5,
  /** KMS: customer managed key-month, request. */
  kmsKey: 1,
  kmsRequest: 0.03 / 10_000,
  /** Route 53: health check-month on an AWS endpoint, each optional feature on it (HTTPS, string matching, fast interval), standard query. */
  route53HealthCheck: 0.5,
  route53HealthCheckOption: 1,
  route53Query: 0.4 / 1e6,
  /** SNS: e-mail notification (the publish requests themselves are free for the first million). */
  snsEmail: 2 / 100_000,
  /** CloudWatch dashboard-month beyond the free ones. */
  dashboard: 3,
} as const;

/** Always-free allowances per account and month, shared with everything else in the account. */
export const FREE_TIER = {
  lambdaGbSeconds: 400_000,
  lambdaRequests: 1_000_000,
  sqsRequests: 1_000_000,
  cloudWatchMetrics: 10,
  cloudWatchAlarms: 10,
  cloudWatchApiRequests: 1_000_000,
  logsIngestedGb: 5,
  kmsRequests: 20_000,
  /** Route 53 includes health checks on AWS endpoints; whether alarm-based checks count toward them is not confirmed, so the estimate does not apply it to them. */
  route53AwsEndpointHealthChecks: 50,
  snsEmails: 1000,
  dashboards: 3,
  /** DynamoDB on-demand request units, GetMetricData and KMS customer managed keys have no always-free allowance. */
} as const;
