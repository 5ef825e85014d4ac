// Database port: what the guard reads of RDS / Aurora and the promotions it can start.
// Every call names the region: a checker in one region may act on a database in another.

export interface DbInstanceState {
  readonly identifier: string;
  readonly region: string;
  /** DBInstanceStatus: available, failed, stopped, modifying, rebooting, … */
  readonly status: string;
  /** Set while the instance is a read replica. */
  readonly replicaSourceIdentifier?: string;
  readonly replicaIdentifiers: readonly string[];
  readonly endpoint?: { readonly host: string; readonly port: number };
  /** The "read replication" status info: replicating, error, stopped, terminated, … */
  readonly replicationStatus?: string;
  /** Its VPC security groups, each with its membership status (active, adding, removing). */
  readonly securityGroups?: readonly { readonly id: string; readonly status: string }[];
}

interface DbClusterMember {
  readonly instanceIdentifier: string;
  readonly isWriter: boolean;
  readonly promotionTier?: number;
}

export interface DbClusterState {
  readonly identifier: string;
  readonly region: string;
  readonly arn: string;
  readonly status: string;
  readonly members: readonly DbClusterMember[];
  readonly endpoint?: string;
}

export interface GlobalClusterState {
  readonly identifier: string;
  readonly status: string;
  readonly members: readonly { readonly clusterArn: string; readonly isWriter: boolean }[];
  /** Set while a global failover or switchover is under way. */
  readonly failoverStatus?: string;
}

export type LagEngine = 'rds-instance' | 'aurora-cluster' | 'aurora-global';

export interface DatabasePort {
  /** undefined when the instance does not exist (deleted, or never existed). */
  describeInstance(region: string, identifier: string): Promise<DbInstanceState | undefined>;
  describeCluster(region: string, identifier: string): Promise<DbClusterState | undefined>;
  describeGlobalCluster(region: string, identifier: string): Promise<GlobalClusterState | undefined>;
  /** Latest replica lag in seconds; undefined when unknown (no datapoint, or -1 reported). */
  replicaLagSeconds(region: string, identifier: string, engine: LagEngine): Promise<number | undefined>;
  promoteReadReplica(region: string, identifier: string): Promise<void>;
  failoverCluster(region: string, clusterIdentifier: string, targetInstanceIdentifier: string): Promise<void>;
  failoverGlobalCluster(
    region: string,
    globalClusterIdentifier: string,
    targetClusterArn: string,
    allowDataLoss: boolean,
  ): Promise<void>;
  /** Fences an instance by stopping it (StopDBInstance); RDS starts it again after 7 days. */
  stopInstance(region: string, identifier: string): Promise<void>;
  /** Fences an instance by replacing its VPC security groups with these (ModifyDBInstance, applied immediately). */
  isolateInstance(region: string, identifier: string, securityGroupIds: readonly string[]): Promise<void>;
}
