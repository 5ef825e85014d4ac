// The guard's state: one DynamoDB global table (pk = namespace, sk = name) with a replica in every
// guard region. The first guard region's stack owns it; the others refer to their local replica.
// Consistency: 'eventual' (the default mode, last writer wins: the guard sends every deciding call to
// the home replica, the first guard region's, with a takeover in guard order) or 'strong' (multi-Region
// strong consistency: every replica decides; three replicas, or two and a witness, in one region set).
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** TTL attribute the state-store adapter sets on audit entries and leases. */
const EXPIRES_AT_ATTRIBUTE = 'expiresAt';

export type StateConsistency = 'eventual' | 'strong';

/** The region sets in which DynamoDB offers multi-Region strong consistency (replicas and witness in one set). */
const STRONG_CONSISTENCY_REGION_SETS: Readonly<Record<string, readonly string[]>> = {
  US: ['us-east-1', 'us-east-2', 'us-west-2'],
  EU: ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'],
  AP: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
};

export interface StateTableProps {
  readonly tableName: string;
  /** Create the global table (in this stack's region) or refer to the replica another stack created. */
  readonly create: boolean;
  /** Regions, other than this stack's, that get a replica (only when creating). */
  readonly replicaRegions: readonly string[];
  /** @default 'eventual' */
  readonly consistency?: StateConsistency;
  /** 'strong' with two replicas: the witness region. */
  readonly witnessRegion?: string;
}

/**
 * Why a strongly consistent table cannot have these replicas (and witness); undefined when it can.
 * DynamoDB needs three replicas, or two plus a witness, all in one of its region sets.
 */
export function strongConsistencyProblem(replicas: readonly string[], witness: string | undefined): string | undefined {
  const all = [...replicas, ...(witness ? [witness] : [])];
  if (witness && replicas.includes(witness)) return `the witness ${witness} is also a replica region`;
  if (replicas.length !== (witness ? 2 : 3)) {
    return `it needs three replica regions, or two and a witness region; got ${replicas.length} replica(s) (${replicas.join(', ')})${witness ? ` and witness ${witness}` : ''}`;
  }
  const set = Object.entries(STRONG_CONSISTENCY_REGION_SETS).find(([, regions]) =>
    all.every((r) => regions.includes(r)),
  );
  if (!set) {
    const sets = Object.entries(STRONG_CONSISTENCY_REGION_SETS)
      .map(([name, regions]) => `${name}: ${regions.join(', ')}`)
      .join('; ');
    return `${all.join(', ')} are not all in one region set where DynamoDB offers it (${sets})`;
  }
  return undefined;
}

/**
 * The replicas whose answer decides, in the order a checker tries them: with eventual consistency the
 * home (first guard region) then the takeover order; with strong consistency the local replica alone.
 */
export function decidingStateRegions(
  consistency: StateConsistency,
  guardRegionOrder: readonly string[],
  localRegion: string,
): string[] {
  return consistency === 'strong' ? [localRegion] : [...guardRegionOrder];
}

export class StateTable extends Construct {
  readonly table: dynamodb.ITableV2;

  constructor(scope: Construct, id: string, props: StateTableProps) {
    super(scope, id);
    const strong = props.consistency === 'strong';
    if (!strong && props.witnessRegion) {
      throw new Error(
        `StateTable "${this.node.path}": a witness region (${props.witnessRegion}) needs stateConsistency 'strong'`,
      );
    }
    this.table = props.create
      ? this.createTable(props, strong)
      : dynamodb.TableV2.fromTableName(this, 'Table', props.tableName);
  }

  private createTable(props: StateTableProps, strong: boolean): dynamodb.TableV2 {
    const problem = strong
      ? strongConsistencyProblem([Stack.of(this).region, ...props.replicaRegions], props.witnessRegion)
      : undefined;
    if (problem)
      throw new Error(
        `StateTable "${this.node.path}": stateConsistency 'strong' is not possible: ${problem}. Use 'eventual' (the guard then decides in the home replica).`,
      );
    return new dynamodb.TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: EXPIRES_AT_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Encrypted at rest with DynamoDB's own key, at no charge: the AWS managed key (aws/dynamodb) bills a KMS
      // request every few minutes per caller, each checker shard one, for no protection the guard needs more.
      encryption: dynamodb.TableEncryptionV2.dynamoOwnedKey(),
      replicas: props.replicaRegions.map((region) => ({ region })),
      ...(strong ? { multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG } : {}),
      ...(props.witnessRegion ? { witnessRegion: props.witnessRegion } : {}),
      // Runbook state and the audit trail outlive a `cdk destroy`.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
