// The five ports over AWS, with SDK v3 clients taking the standard configuration chain
// (credentials, AWS_REGION, profiles, AWS_ENDPOINT_URL[_<SERVICE>], AWS_MAX_ATTEMPTS), every client
// bounded: a connect and a request timeout per attempt, the retry mode, and the cycle's deadline.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { RDSClient, type RDSClientConfig } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Topology } from '../../domain/config/schema';
import type { AccountInventoryPort } from '../../ports/account-inventory.port';
import type { GuardPorts } from '../../ports/guard-ports';
import type { HealthCheckDirectoryPort } from '../../ports/health-check-directory.port';
import { currentDeadline } from '../../ports/deadline';
import type { StateStorePort } from '../../ports/state-store.port';
import { boundedPorts } from '../bounded-ports';
import { HomeReplicaStateStore } from '../home-replica-state-store';
import { AwsInventoryAdapter } from './aws-inventory.adapter';
import { DynamoDbStateStoreAdapter } from './dynamodb-state-store.adapter';
import { Elbv2LoadBalancerAdapter } from './elbv2-load-balancer.adapter';
import { RdsDatabaseAdapter } from './rds-database.adapter';
import { RegionalClients } from './regional-clients';
import { ROUTE53_REGION, Route53DnsAdapter } from './route53-dns.adapter';
import { Route53HealthCheckDirectory } from './route53-health-checks.adapter';
import { SnsNotifierAdapter } from './sns-notifier.adapter';

/**
 * Attempts for Route 53 calls: the SDK's standard retry strategy classifies PriorRequestNotComplete
 * (zone busy with an earlier change) as throttling and backs off, which needs more patience than 3 tries.
 */
export const ROUTE53_MAX_ATTEMPTS = 5;

/** Settings passed to every client; leave out to use the SDK's configuration chain. */
export interface AwsClientSettings {
  /** One attempt's TCP connect. @default - 3 s (the SDK has none) */
  readonly connectTimeoutSeconds?: number;
  /** One attempt, from sending to the whole answer. @default - 5 s (the SDK's socket default is minutes) */
  readonly requestTimeoutSeconds?: number;
  /** @default - AWS_MAX_ATTEMPTS, else 3 (Route 53: 5) */
  readonly maxAttempts?: number;
  /** @default - AWS_RETRY_MODE, else standard */
  readonly retryMode?: 'standard' | 'adaptive';
  /** @default - the default credential provider chain */
  readonly credentials?: RDSClientConfig['credentials'];
}

const DEFAULT_CONNECT_TIMEOUT_SECONDS = 3;
const DEFAULT_REQUEST_TIMEOUT_SECONDS = 5;

/** The client settings a topology asks for (guard.aws). */
export function awsClientSettings(topology: Pick<Topology, 'guard'>): AwsClientSettings {
  const { connectTimeoutSeconds, requestTimeoutSeconds, maxAttempts, retryMode } = topology.guard.aws;
  return {
    connectTimeoutSeconds,
    requestTimeoutSeconds,
    retryMode,
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
  };
}

/** SDK client configuration from the settings: timeouts on the node HTTP handler (a request over its time fails). */
export function awsClientConfig(settings: AwsClientSettings = {}) {
  const { connectTimeoutSeconds, requestTimeoutSeconds, ...rest } = settings;
  return {
    ...rest,
    requestHandler: {
      connectionTimeout: (connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000,
      requestTimeout: (requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS) * 1000,
      throwOnRequestTimeout: true,
    },
  };
}

type SendOptions = { abortSignal?: AbortSignal };

/**
 * The client with every send cancelled by the current deadline (ports/deadline.ts): the SDK stops the
 * request and its retries, so nothing of a cycle that ran out keeps a socket or a process alive.
 */
export function followDeadline<C extends object>(client: C): C {
  const sendable = client as unknown as { send: (command: unknown, options?: SendOptions) => Promise<unknown> };
  const send = sendable.send.bind(client);
  sendable.send = (command, options) => {
    const abortSignal = currentDeadline();
    return send(command, abortSignal ? { abortSignal, ...options } : options);
  };
  return client;
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

/** The ports over AWS; every call bounded by the client timeouts and by the current deadline. */
export function createAwsPorts(options: AwsPortsOptions): GuardPorts {
  const config = awsClientConfig(options.clientConfig);
  const regional = regionalClients(config);
  return boundedPorts({
    dns: new Route53DnsAdapter(route53Client(config)),
    database: new RdsDatabaseAdapter({
      rds: regional((c) => new RDSClient(c)),
      cloudWatch: regional((c) => new CloudWatchClient(c)),
    }),
    loadBalancer: new Elbv2LoadBalancerAdapter(regional((c) => new ElasticLoadBalancingV2Client(c))),
    notifier: new SnsNotifierAdapter(
      followDeadline(new SNSClient({ ...config, region: regionOfArn(options.topicArn) ?? options.region })),
      options.topicArn,
    ),
    store: stateStore(
      options,
      regional((c) => new DynamoDBClient(c)),
    ),
  });
}

type ClientConfig = ReturnType<typeof awsClientConfig>;

/** Makes per-region clients on first use, each following the current deadline. */
function regionalClients(config: ClientConfig) {
  return <C extends object>(create: (config: ClientConfig & { region: string }) => C) =>
    new RegionalClients((region) => followDeadline(create({ ...config, region })));
}

/** Route 53's client: its API is served from us-east-1, with more attempts than the SDK's default. */
function route53Client(config: ClientConfig): Route53Client {
  return followDeadline(new Route53Client({ maxAttempts: ROUTE53_MAX_ATTEMPTS, ...config, region: ROUTE53_REGION }));
}

/** The read-only account inventory (`discover`) over AWS, every client bounded as the guard's are. */
export function createAwsInventory(settings?: AwsClientSettings): AccountInventoryPort {
  const config = awsClientConfig(settings);
  const regional = regionalClients(config);
  return new AwsInventoryAdapter({
    route53: route53Client(config),
    elb: regional((c) => new ElasticLoadBalancingV2Client(c)),
    ec2: regional((c) => new EC2Client(c)),
    rds: regional((c) => new RDSClient(c)),
  });
}

/**
 * The guard's region health checks in Route 53, found by their tags: what the readiness cycle reads
 * (GuardContext.readinessReads) in the Lambda checker and the CLI.
 */
export function createAwsHealthCheckDirectory(settings?: AwsClientSettings): HealthCheckDirectoryPort {
  return new Route53HealthCheckDirectory(route53Client(awsClientConfig(settings)));
}

/** The local replica when it alone decides, else the home-replica routing over the deciding replicas. */
function stateStore(options: AwsPortsOptions, clients: RegionalClients<DynamoDBClient>): StateStorePort {
  const replicaIn = (region: string) =>
    new DynamoDbStateStoreAdapter({ client: clients.get(region), tableName: options.tableName });
  const deciding = options.stateRegions ?? [options.region];
  const local = replicaIn(options.region);
  if (deciding.length === 1 && deciding[0] === options.region) return local;
  return new HomeReplicaStateStore({
    replicas: deciding.map((region) => ({ region, store: replicaIn(region) })),
    local,
    now: () => new Date(),
  });
}

/** The region field of an ARN (arn:partition:service:region:account:resource). */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region ? region : undefined;
}
