// The AWS SDK v3 adapters behind the ports.
export {
  awsClientConfig,
  awsClientSettings,
  createAwsInventory,
  createAwsPorts,
  followDeadline,
  regionOfArn,
  DEFAULT_CONNECT_TIMEOUT_SECONDS,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  ROUTE53_MAX_ATTEMPTS,
  type AwsClientSettings,
  type AwsPortsOptions,
} from './aws-ports';
export { callAws, errorCode, isRetryable, isUnreachable, toCloudCallError } from './cloud-errors';
export {
  DynamoDbStateStoreAdapter,
  AUDIT_NAMESPACE,
  AUDIT_RETENTION_SECONDS,
  LEASE_NAMESPACE,
  type DynamoDbStateStoreOptions,
} from './dynamodb-state-store.adapter';
export { Elbv2LoadBalancerAdapter } from './elbv2-load-balancer.adapter';
export { LAG_METRICS, RdsDatabaseAdapter, type RdsDatabaseAdapterOptions } from './rds-database.adapter';
export { RegionalClients } from './regional-clients';
export { ROUTE53_REGION, Route53DnsAdapter } from './route53-dns.adapter';
export { messageBody, snsSubject } from '../sns-message';
export { SnsNotifierAdapter } from './sns-notifier.adapter';
