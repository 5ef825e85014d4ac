// The guard's state: one DynamoDB global table (pk = namespace, sk = name) with a replica in every
// guard region. The first guard region's stack owns it; the others refer to their local replica.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** TTL attribute the state-store adapter sets on audit entries and leases. */
export const EXPIRES_AT_ATTRIBUTE = 'expiresAt';

export interface StateTableProps {
  readonly tableName: string;
  /** Create the global table (in this stack's region) or refer to the replica another stack created. */
  readonly create: boolean;
  /** Regions, other than this stack's, that get a replica (only when creating). */
  readonly replicaRegions: readonly string[];
}

export class StateTable extends Construct {
  readonly table: dynamodb.ITableV2;

  constructor(scope: Construct, id: string, props: StateTableProps) {
    super(scope, id);
    this.table = props.create
      ? new dynamodb.TableV2(this, 'Table', {
          tableName: props.tableName,
          partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
          billing: dynamodb.Billing.onDemand(),
          timeToLiveAttribute: EXPIRES_AT_ATTRIBUTE,
          pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
          // An AWS-owned key would do for cdk-nag too; the AWS-managed key leaves key use in CloudTrail.
          encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
          replicas: props.replicaRegions.map((region) => ({ region })),
          // Runbook state and the audit trail outlive a `cdk destroy`.
          removalPolicy: RemovalPolicy.RETAIN,
        })
      : dynamodb.TableV2.fromTableName(this, 'Table', props.tableName);
  }
}

