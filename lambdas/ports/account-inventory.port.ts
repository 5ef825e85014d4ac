// Account inventory port: what an account holds, read-only and whole (every page of every list),
// for drafting a topology and for noticing resources added or deleted since it was written.
import type { RecordSet } from './dns.port';

export interface InventoryHostedZone {
  /** The zone id without its "/hostedzone/" prefix. */
  readonly id: string;
  /** The zone's name, lowercase, without the trailing dot. */
  readonly name: string;
  readonly privateZone: boolean;
}

interface InventoryListener {
  readonly port: number;
  /** HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE */
  readonly protocol: string;
}

export interface InventoryTarget {
  /** An instance id (target type instance), an IP address (ip), or a function / load balancer ARN. */
  readonly id: string;
  readonly port?: number;
  /** The target's health as the load balancer sees it (healthy, unhealthy, initial, unused, draining, unavailable). */
  readonly state: string;
}

export interface InventoryTargetGroup {
  readonly arn: string;
  readonly name: string;
  /** instance, ip, lambda, alb */
  readonly targetType: string;
  readonly protocol?: string;
  readonly port?: number;
  readonly healthCheck: {
    /** HTTP, HTTPS, TCP, … */
    readonly protocol?: string;
    /** A number, or "traffic-port" (the port each target receives traffic on). */
    readonly port?: string;
    readonly path?: string;
    /** The status codes the load balancer counts as healthy ("200", "200-399", "200,302"). */
    readonly matcher?: string;
  };
  readonly targets: readonly InventoryTarget[];
}

export interface InventoryLoadBalancer {
  readonly arn: string;
  readonly name: string;
  /** application, network, gateway */
  readonly type: string;
  /** internet-facing or internal */
  readonly scheme: string;
  /** The load balancer's DNS name, lowercase, without the trailing dot. */
  readonly dnsName: string;
  /** Static addresses (a network load balancer's Elastic IPs or private IPv4 / IPv6 addresses per zone). */
  readonly addresses: readonly string[];
  readonly listeners: readonly InventoryListener[];
  readonly targetGroups: readonly InventoryTargetGroup[];
}

export interface InventoryInstance {
  readonly id: string;
  readonly state: string;
  /** The Name tag, if any. */
  readonly name?: string;
  readonly privateIps: readonly string[];
  readonly publicIps: readonly string[];
  readonly ipv6: readonly string[];
}

export interface InventoryDbInstance {
  readonly identifier: string;
  readonly arn: string;
  readonly engine: string;
  readonly status: string;
  readonly endpoint?: { readonly host: string; readonly port: number };
  /** The source of a read replica: an identifier (same region) or an ARN (another region). */
  readonly replicaOf?: string;
  /** The Aurora cluster this instance belongs to. */
  readonly clusterIdentifier?: string;
}

export interface InventoryDbCluster {
  readonly identifier: string;
  readonly arn: string;
  readonly engine: string;
  readonly status: string;
  /** The writer endpoint, with the cluster's port. */
  readonly endpoint?: { readonly host: string; readonly port: number };
  readonly members: readonly {
    readonly instanceIdentifier: string;
    readonly isWriter: boolean;
    readonly promotionTier?: number;
  }[];
}

export interface InventoryGlobalCluster {
  readonly identifier: string;
  readonly members: readonly { readonly clusterArn: string; readonly isWriter: boolean }[];
}

export interface AccountInventoryPort {
  /** Every hosted zone of the account (Route 53 is global). */
  listHostedZones(): Promise<InventoryHostedZone[]>;
  /** Every record set of a zone, alias and CNAME sets included. */
  listRecordSets(zoneId: string): Promise<RecordSet[]>;
  /** Every load balancer of the region with its listeners and target groups (their registered targets and health). */
  listLoadBalancers(region: string): Promise<InventoryLoadBalancer[]>;
  /** Every instance of the region that is not terminated. */
  listInstances(region: string): Promise<InventoryInstance[]>;
  /** The instances of the region with these ids that are not terminated; an id that matches none is left out. */
  listInstancesById(region: string, ids: readonly string[]): Promise<InventoryInstance[]>;
  /** Every DB instance of the region. */
  listDbInstances(region: string): Promise<InventoryDbInstance[]>;
  /** Every DB cluster of the region. */
  listDbClusters(region: string): Promise<InventoryDbCluster[]>;
  /** Every Aurora global database of the account, asked in `region`. */
  listGlobalClusters(region: string): Promise<InventoryGlobalCluster[]>;
}
