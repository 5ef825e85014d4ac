// The five ports over AWS, with SDK v3 clients taking the standard configuration chain
// (credentials, AWS_REGION, profiles, AWS_ENDPOINT_URL[_<SERVICE>], AWS_MAX_ATTEMPTS, AWS_RETRY_MODE).
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { RDSClient, type RDSClientConfig } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SNSClient } from '@aws-sdk/client-sns';
import type { GuardPorts } from '../../engine/types';
import type { StateStorePort } from '../../ports/state-store.port';
import { HomeReplicaStateStore } from '../home-replica-state-store';
import { DynamoDbStateStoreAdapter } from './dynamodb-state-store.adapter';
import { Elbv2LoadBalancerAdapter } from './elbv2-load-balancer.adapter';
import { RdsDatabaseAdapter } from './rds-database.adapter';
import { RegionalClients } from './regional-clients';
import { ROUTE53_REGION, Route53DnsAdapter } from './route53-dns.adapter';
import { SnsNotifierAdapter } from './sns-notifier.adapter';

/**
 * Attempts for Route 53 calls: the SDK's standard retry strategy classifies PriorRequestNotComplete
 * (zone busy with an earlier change) as throttling and backs off, which needs more patience than 3 tries.
 */
export const ROUTE53_MAX_ATTEMPTS = 5;

/** Settings passed to every client; leave out to use the SDK's configuration chain. */
export interface AwsClientSettings {
  /** @default - AWS_MAX_ATTEMPTS, else 3 (Route 53: 5) */
  readonly maxAttempts?: number;
  /** @default - AWS_RETRY_MODE, else standard */
  readonly retryMode?: 'standard' | 'adaptive';
  /** @default - the default credential provider chain */
  readonly credentials?: RDSClientConfig['credentials'];
}

export interface AwsPortsOptions {
  /** The guard's own region: its DynamoDB table replica. */
  readonly region: string;
  readonly tableName: string;
  /**
   * The state table replicas that decide (conditional writes, leases), in takeover order: the home
   * first. A default-mode (last-writer-wins) global table needs every guard region here, home first;
   * a strongly consistent (MRSC) table can decide in the local replica alone.
   * @default - [region]: the local replica only
   */
  readonly stateRegions?: readonly string[];
  /** The topic is called in its own region (from its ARN). */
  readonly topicArn: string;
  readonly clientConfig?: AwsClientSettings;
}

export function createAwsPorts(options: AwsPortsOptions): GuardPorts {
  const settings = options.clientConfig ?? {};
  const regional = <C>(create: (config: AwsClientSettings & { region: string }) => C) =>
    new RegionalClients((region) => create({ ...settings, region }));
  return {
    dns: new Route53DnsAdapter(new Route53Client({ maxAttempts: ROUTE53_MAX_ATTEMPTS, ...settings, region: ROUTE53_REGION })),
    database: new RdsDatabaseAdapter({
      rds: regional((config) => new RDSClient(config)),
      cloudWatch: regional((config) => new CloudWatchClient(config)),
    }),
    loadBalancer: new Elbv2LoadBalancerAdapter(regional((config) => new ElasticLoadBalancingV2Client(config))),
    notifier: new SnsNotifierAdapter(new SNSClient({ ...settings, region: regionOfArn(options.topicArn) ?? options.region }), options.topicArn),
    store: stateStore(options, regional((config) => new DynamoDBClient(config))),
  };
}

/** The local replica when it alone decides, else the home-replica routing over the deciding replicas. */
function stateStore(options: AwsPortsOptions, clients: RegionalClients<DynamoDBClient>): StateStorePort {
  const replicaIn = (region: string) => new DynamoDbStateStoreAdapter({ client: clients.get(region), tableName: options.tableName });
  const deciding = options.stateRegions ?? [options.region];
  const local = replicaIn(options.region);
  if (deciding.length === 1 && deciding[0] === options.region) return local;
  return new HomeReplicaStateStore({ replicas: deciding.map((region) => ({ region, store: replicaIn(region) })), local, now: () => new Date() });
}

/** The region field of an ARN (arn:partition:service:region:account:resource). */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region ? region : undefined;
}
