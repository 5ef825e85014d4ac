// Every IAM statement of both functions, for the example topology in both schedules: nothing the
// code never calls (no route53:GetChange; the checker neither deletes, publishes nor decrypts),
// and the checker's only write limited to its views by a leading-key condition.
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import { exampleInput, exampleTopology, guardStacks } from './guard-fixtures';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };
type Readable = { actions: string[]; resources: string[]; condition?: unknown };

/** `{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":rds:…"]]}` → `arn:aws:rds:…`; other tokens → `<logical id prefix>`. */
function text(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const token = resource as { 'Fn::Join'?: [string, unknown[]]; 'Fn::GetAtt'?: [string, string]; Ref?: string };
  if (token['Fn::Join'])
    return token['Fn::Join'][1]
      .map((part) =>
        typeof part === 'string' ? part : (part as { Ref: string }).Ref === 'AWS::Partition' ? 'aws' : text(part),
      )
      .join('');
  if (token['Fn::GetAtt']) return `<${token['Fn::GetAtt'][0].replace(/[0-9A-F]{8}$/, '')}.${token['Fn::GetAtt'][1]}>`;
  return `<${String(token.Ref).replace(/[0-9A-F]{8}$/, '')}>`;
}

function statementsOf(template: Template, rolePrefix: string): Readable[] {
  const [policy] = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith(rolePrefix),
  );
  const statements = (policy![1] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
    .PolicyDocument.Statement;
  return statements.map((s) => {
    expect(s.Effect).toBe('Allow');
    return {
      actions: Array.isArray(s.Action) ? s.Action : [s.Action],
      resources: (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(text),
      ...(s.Condition !== undefined && { condition: s.Condition }),
    };
  });
}

// Every replica the guard decides in: the home (eu-west-1), then the takeover (eu-central-1).
const TABLES = ['eu-west-1', 'eu-central-1'].map((r) => `arn:aws:dynamodb:${r}:123456789012:table/failover-guard-shop`);
const ZONE = 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ';
const LOGS = (role: string) => ({
  actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  resources: [`<Guard${role}Logs.Arn>`],
});
const DEAD_LETTERS = {
  actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
  resources: ['<GuardFailedInvocations.Arn>'],
};
const READS: Readable[] = [
  { actions: ['route53:ListResourceRecordSets'], resources: [ZONE] },
  {
    actions: ['rds:DescribeDBInstances'],
    resources: [
      'arn:aws:rds:eu-west-1:123456789012:db:orders-primary',
      'arn:aws:rds:eu-west-1:123456789012:db:orders-replica-1',
      'arn:aws:rds:eu-central-1:123456789012:db:orders-replica-fra',
    ],
  },
  { actions: ['cloudwatch:GetMetricData', 'elasticloadbalancing:DescribeTargetHealth'], resources: ['*'] },
];

describe('the IAM statements of the example topology (eu-west-1)', () => {
  let loop: Template;
  let tick: Template;

  // Two synths: generous on a loaded machine, a couple of seconds otherwise.
  beforeAll(() => {
    loop = Template.fromStack(guardStacks(exampleTopology())[0]!);
    tick = Template.fromStack(guardStacks(exampleTopology(), { schedule: 'tick' })[0]!);
  }, 120_000);

  it('lets the checker read the cloud and the state, write only items of the view namespace, read its own readiness alarm and invoke the actor', () => {
    expect(statementsOf(loop, 'GuardCheckerRole')).toEqual([
      LOGS('Checker'),
      DEAD_LETTERS,
      ...READS,
      { actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: TABLES },
      {
        actions: ['dynamodb:PutItem'],
        resources: TABLES,
        condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['view'] } },
      },
      {
        actions: ['cloudwatch:DescribeAlarms'],
        resources: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:failover-guard-shop-eu-west-1-ReadinessFailures'],
      },
      { actions: ['lambda:InvokeFunction'], resources: ['<GuardActorFunction.Arn>'] },
    ]);
  });

  it('adds, for the tick schedule, consuming the cycle queue and sqs:SendMessage on it (SendMessageBatch is authorized as SendMessage)', () => {
    const statements = statementsOf(tick, 'GuardCheckerRole');
    expect(statements.filter((s) => s.resources.some((r) => r.includes('Cycles')))).toEqual([
      {
        actions: [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ],
        resources: ['<GuardScheduleCycles.Arn>'],
      },
      { actions: ['sqs:SendMessage'], resources: ['<GuardScheduleCycles.Arn>'] },
    ]);
  });

  it('lets the actor read, change the configured records, promote the configured replicas, keep the state and publish — and call nothing else', () => {
    expect(statementsOf(loop, 'GuardActorRole')).toEqual([
      LOGS('Actor'),
      DEAD_LETTERS,
      ...READS,
      {
        actions: ['route53:ChangeResourceRecordSets'],
        resources: [ZONE],
        condition: {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
              'db-writer.shop.example.com',
              'origin.shop.example.com',
              'www.shop.example.com',
            ],
            'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'CNAME'],
          },
        },
      },
      {
        actions: ['rds:PromoteReadReplica'],
        resources: [
          'arn:aws:rds:eu-west-1:123456789012:db:orders-replica-1',
          'arn:aws:rds:eu-central-1:123456789012:db:orders-replica-fra',
        ],
      },
      // The default fence of an rds-instance database: StopDBInstance, on its members only.
      {
        actions: ['rds:StopDBInstance'],
        resources: [
          'arn:aws:rds:eu-west-1:123456789012:db:orders-primary',
          'arn:aws:rds:eu-west-1:123456789012:db:orders-replica-1',
          'arn:aws:rds:eu-central-1:123456789012:db:orders-replica-fra',
        ],
      },
      { actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], resources: TABLES },
      { actions: ['sns:Publish'], resources: ['<GuardNotificationsTopic>'] },
      { actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['<GuardNotificationsKey.Arn>'] },
    ]);
  });

  it('lets the actor isolate (ModifyDBInstance) instead of stop, on the members only, when the database’s fence is "isolate"', () => {
    const input = exampleInput();
    const databases = input.databases!.map((db) => ({
      ...db,
      fence: 'isolate' as const,
      isolationSecurityGroups: { 'eu-west-1': 'sg-0123456789abcdef0', 'eu-central-1': 'sg-0fedcba9876543210' },
    }));
    const [stack] = guardStacks(parseTopology({ ...input, databases }));
    const fences = statementsOf(Template.fromStack(stack!), 'GuardActorRole').filter((s) =>
      s.actions.some((a) => /Stop|Modify/.test(a)),
    );
    expect(fences).toEqual([
      {
        actions: ['rds:ModifyDBInstance'],
        resources: [
          'arn:aws:rds:eu-west-1:123456789012:db:orders-primary',
          'arn:aws:rds:eu-west-1:123456789012:db:orders-replica-1',
          'arn:aws:rds:eu-central-1:123456789012:db:orders-replica-fra',
        ],
      },
    ]);
  }, 120_000);

  it.each(['loop', 'tick'] as const)(
    'passes cdk-nag AwsSolutions with no acknowledgement left over for a grant that is gone (%s schedule)',
    (schedule) => {
      const [stack] = guardStacks(exampleTopology(), { schedule });
      const report = new AwsSolutionsChecks().validateScope(stack!);
      expect(report.violations).toEqual([]);
      const reasons = JSON.stringify(stack!.node.findAll().flatMap((c) => c.node.metadata.map((m) => m.data)));
      expect(reasons).not.toMatch(/route53:GetChange|change\/\*/);
    },
    120_000,
  );
});
