// The AWS SDK v3 adapters behind the ports.
export { awsClientConfig, awsClientSettings, createAwsPorts, followDeadline } from './aws-ports';
export { sdkRegionCatalog } from './region-catalog';
