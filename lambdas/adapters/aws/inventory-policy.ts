// The least-privilege, read-only IAM policy the AWS inventory adapter needs: exactly the calls it makes,
// each on the narrowest resource the action accepts.

export interface InventoryPolicyScope {
  /** The account, for RDS resource ARNs. @default - any account ("*") */
  readonly account?: string;
  /** Hosted zone ids the record sets are read from. @default - every zone */
  readonly zoneIds?: readonly string[];
}

/** The policy document as IAM takes it. */
export function inventoryPolicy(scope: InventoryPolicyScope = {}) {
  const account = scope.account ?? '*';
  const zones = scope.zoneIds && scope.zoneIds.length > 0 ? scope.zoneIds : ['*'];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ListHostedZones',
        Effect: 'Allow',
        Action: ['route53:ListHostedZones'],
        Resource: '*',
      },
      {
        Sid: 'ReadRecordSets',
        Effect: 'Allow',
        Action: ['route53:ListResourceRecordSets'],
        Resource: zones.map((zone) => `arn:aws:route53:::hostedzone/${zone}`),
      },
      {
        // These Describe actions take no resource-level permission: "*" is the only resource IAM accepts.
        Sid: 'DescribeLoadBalancersAndInstances',
        Effect: 'Allow',
        Action: [
          'elasticloadbalancing:DescribeLoadBalancers',
          'elasticloadbalancing:DescribeListeners',
          'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeTargetHealth',
          'ec2:DescribeInstances',
        ],
        Resource: '*',
      },
      {
        Sid: 'DescribeDatabases',
        Effect: 'Allow',
        Action: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'rds:DescribeGlobalClusters'],
        Resource: [
          `arn:aws:rds:*:${account}:db:*`,
          `arn:aws:rds:*:${account}:cluster:*`,
          `arn:aws:rds::${account}:global-cluster:*`,
        ],
      },
    ],
  };
}
