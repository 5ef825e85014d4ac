// The IAM statements of the two functions, built from the topology's resource lists. Reading is
// the checker's; changing DNS and promoting databases is the actor's alone.
import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { dataPlaneRecords } from '../lambdas/domain/config/data-plane';
import type { Topology } from '../lambdas/domain/config/schema';
import { VIEW_NAMESPACE } from '../lambdas/engine';
import { databaseScope, hostedZoneIds, zoneChangeScopes } from './guard-resources';

function hostedZoneArn(zoneId: string): string {
  return `arn:${Aws.PARTITION}:route53:::hostedzone/${zoneId}`;
}

function rdsArn(stack: Stack, resource: 'db' | 'cluster', region: string, identifier: string): string {
  return stack.formatArn({
    service: 'rds',
    region,
    resource,
    resourceName: identifier,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

function globalClusterArn(stack: Stack, identifier: string): string {
  // Global clusters span regions: their ARN has an empty region field.
  return stack.formatArn({
    service: 'rds',
    region: '',
    resource: 'global-cluster',
    resourceName: identifier,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** Actions the AWS API authorizes only against "*"; the acknowledgement beside the policy says so. */
const UNSCOPABLE_READ_ACTIONS = ['cloudwatch:GetMetricData', 'elasticloadbalancing:DescribeTargetHealth'] as const;

/** Read-only access to the cloud state the planner needs: records, databases, lag, target health. */
export function readCloudStatements(stack: Stack, topology: Topology): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  const zones = hostedZoneIds(topology);
  if (zones.length > 0) {
    statements.push(
      new iam.PolicyStatement({ actions: ['route53:ListResourceRecordSets'], resources: zones.map(hostedZoneArn) }),
    );
  }
  const dbs = databaseScope(topology);
  if (dbs.instances.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['rds:DescribeDBInstances'],
        resources: dbs.instances.map((i) => rdsArn(stack, 'db', i.region, i.identifier)),
      }),
    );
  }
  const describedClusters = [...dbs.failoverClusters, ...dbs.globalClusters.flatMap((g) => g.memberClusters)];
  if (describedClusters.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['rds:DescribeDBClusters'],
        resources: describedClusters.map((c) => rdsArn(stack, 'cluster', c.region, c.identifier)),
      }),
    );
  }
  if (dbs.globalClusters.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['rds:DescribeGlobalClusters'],
        resources: dbs.globalClusters.map((g) => globalClusterArn(stack, g.identifier)),
      }),
    );
  }
  statements.push(new iam.PolicyStatement({ actions: [...UNSCOPABLE_READ_ACTIONS], resources: ['*'] }));
  return statements;
}

/**
 * The checker's readiness reads in a topology with records marked dataPlaneFailover: the guard's region health
 * checks, found by their tags, so readiness tells the guard's own check on a set from a foreign one.
 * ListHealthChecks authorizes only against "*"; ListTagsForResources is scoped to health checks.
 */
export function readinessReadStatements(topology: Topology): iam.PolicyStatement[] {
  if (dataPlaneRecords(topology).length === 0) return [];
  return [
    new iam.PolicyStatement({ actions: ['route53:ListHealthChecks'], resources: ['*'] }),
    new iam.PolicyStatement({
      actions: ['route53:ListTagsForResources'],
      resources: [`arn:${Aws.PARTITION}:route53:::healthcheck/*`],
    }),
  ];
}

/**
 * Record changes in the configured zones only, and there only to the configured names and types
 * (ForAllValues: every record of a change batch must be one of them).
 */
export function changeDnsStatements(topology: Topology): iam.PolicyStatement[] {
  return zoneChangeScopes(topology).map(
    (scope) =>
      new iam.PolicyStatement({
        actions: ['route53:ChangeResourceRecordSets'],
        resources: [hostedZoneArn(scope.hostedZoneId)],
        conditions: {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': [...scope.recordNames],
            'route53:ChangeResourceRecordSetsRecordTypes': [...scope.recordTypes],
          },
        },
      }),
  );
}

/** Promotions, failovers and fences of the configured databases only. */
export function promoteDatabaseStatements(stack: Stack, topology: Topology): iam.PolicyStatement[] {
  const dbs = databaseScope(topology);
  const statements: iam.PolicyStatement[] = [];
  if (dbs.promotableInstances.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['rds:PromoteReadReplica'],
        resources: dbs.promotableInstances.map((i) => rdsArn(stack, 'db', i.region, i.identifier)),
      }),
    );
  }
  const fences = [
    ['rds:StopDBInstance', dbs.stoppableInstances],
    ['rds:ModifyDBInstance', dbs.isolatableInstances],
  ] as const;
  for (const [action, instances] of fences) {
    if (instances.length === 0) continue;
    // Fencing the old primary: the database's members only (any of them may be the old primary).
    statements.push(
      new iam.PolicyStatement({
        actions: [action],
        resources: instances.map((i) => rdsArn(stack, 'db', i.region, i.identifier)),
      }),
    );
  }
  if (dbs.failoverClusters.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['rds:FailoverDBCluster'],
        resources: dbs.failoverClusters.map((c) => rdsArn(stack, 'cluster', c.region, c.identifier)),
      }),
    );
  }
  if (dbs.globalClusters.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['rds:FailoverGlobalCluster'],
        resources: dbs.globalClusters.flatMap((g) => [
          globalClusterArn(stack, g.identifier),
          ...g.memberClusters.map((c) => rdsArn(stack, 'cluster', c.region, c.identifier)),
        ]),
      }),
    );
  }
  return statements;
}

/** The actions on the state table: documents, versioned writes, leases, the audit log. */
export const STATE_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
] as const;

export const STATE_TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/**
 * The checker reads the state and writes only its views: PutItem on items whose partition key is
 * the view namespace (it never deletes, takes leases, or writes runbooks, guard state or audit).
 */
export function checkerStateStatements(tableArns: readonly string[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: [...STATE_TABLE_READ_ACTIONS], resources: [...tableArns] }),
    new iam.PolicyStatement({
      actions: ['dynamodb:PutItem'],
      resources: [...tableArns],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [VIEW_NAMESPACE] } },
    }),
  ];
}
