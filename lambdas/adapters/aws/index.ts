// The AWS SDK v3 adapters behind the ports.
export {
  awsClientConfig,
  awsClientSettings,
  createAwsHealthCheckDirectory,
  createAwsInventory,
  createAwsPorts,
  followDeadline,
  ROUTE53_MAX_ATTEMPTS,
} from './aws-ports';
export { sdkRegionCatalog } from './region-catalog';
export { ROUTE53_REGION } from './route53-dns.adapter';
