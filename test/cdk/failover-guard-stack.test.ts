// Assertions on the synthesized templates of the example topology (bundling skipped: one fast synth per file).
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { GuardEnv } from '../../lambdas/contracts/telemetry-names';
import { exampleTopology, guardStacks } from './guard-fixtures';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

function statementsOf(template: Template, rolePrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const entry = Object.entries(policies).find(([id]) => id.startsWith(rolePrefix));
  if (!entry) throw new Error(`no policy whose logical id starts with ${rolePrefix}`);
  return (entry[1] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
    .Statement;
}

function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** A resource rendered as text: tokens become readable `arn:${AWS::Partition}:…` strings. */
function resourceText(resource: unknown): string[] {
  const one = (r: unknown): string =>
    typeof r === 'string'
      ? r
      : JSON.stringify(r)
          .replace(/\{"Ref":"AWS::Partition"\}/g, '"aws"')
          .replace(/\{"Fn::Join":\["",\[(.*)\]\]\}/, '$1')
          .replace(/","|"/g, '');
  return Array.isArray(resource) ? resource.map(one) : [one(resource)];
}

describe('the FailoverGuard stacks of the example topology', () => {
  const topology = exampleTopology();
  let home: Template;
  let other: Template;

  beforeAll(() => {
    const [first, second] = guardStacks(topology);
    home = Template.fromStack(first!);
    other = Template.fromStack(second!);
  });

  it('starts the checker every minute through EventBridge, with retries bounded to a minute and a dead-letter queue', () => {
    home.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({
          RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });

  it.each([
    ['checker', 128, 70, 'probes every endpoint'],
    ['actor', 256, 60, 're-plans from the stored evidence'],
  ])('runs the %s on Node 22 arm64 with %i MB and a %i s timeout', (_name, memory, timeout, description) => {
    home.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: memory,
      Timeout: timeout,
      // Off by default: new accounts cannot reserve concurrency (reserved-concurrency.test.ts).
      ReservedConcurrentExecutions: Match.absent(),
      Description: Match.stringLikeRegexp(description),
      LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN', LogGroup: Match.anyValue() },
    });
  });

  it('gives the checker the table, the topic, the actor, its loop length and its readiness alarm’s name through the environment', () => {
    home.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('probes'),
      Environment: {
        Variables: {
          [GuardEnv.tableName]: 'failover-guard-shop',
          [GuardEnv.topicArn]: { Ref: Match.stringLikeRegexp('NotificationsTopic') },
          [GuardEnv.actorFunction]: { Ref: Match.stringLikeRegexp('ActorFunction') },
          [GuardEnv.loopSeconds]: '55',
          [GuardEnv.readinessAlarm]: 'failover-guard-shop-eu-west-1-ReadinessFailures',
          POWERTOOLS_SERVICE_NAME: 'failover-guard-shop',
          POWERTOOLS_METRICS_NAMESPACE: 'FailoverGuard',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
    home.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('re-plans'),
      Environment: {
        Variables: Match.objectLike({
          [GuardEnv.tableName]: 'failover-guard-shop',
          [GuardEnv.actorFunction]: Match.absent(),
        }),
      },
    });
  });

  it('sends failed asynchronous invocations of both functions to the dead-letter queue, without retries', () => {
    const configs = home.findResources('AWS::Lambda::EventInvokeConfig');
    expect(Object.values(configs)).toHaveLength(2);
    for (const config of Object.values(configs) as { Properties: Record<string, unknown> }[]) {
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 60,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(/FailedInvocations/), 'Arn'] } },
        },
      });
    }
    home.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    home.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('creates the global table in the first guard region only, with a replica in the other, PITR, TTL and encryption', () => {
    home.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    home.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'failover-guard-shop',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      // SSEEnabled false is DynamoDB's own key, not plaintext: every table is encrypted at rest. No KMS key of the
      // account is asked, so no KMS request is billed (docs/cost.md).
      SSESpecification: { SSEEnabled: false },
      Replicas: Match.arrayWith([
        Match.objectLike({
          Region: 'eu-central-1',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
        Match.objectLike({
          Region: 'eu-west-1',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ]),
    });
    home.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    other.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });

  it('decides in the home replica (eu-west-1, then eu-central-1 as takeover) from every region, and may call both replicas', () => {
    const replicas = ['eu-central-1', 'eu-west-1'].map(
      (r) => `arn:aws:dynamodb:${r}:123456789012:table/failover-guard-shop`,
    );
    for (const template of [home, other]) {
      const table = statementsOf(template, 'GuardActorRole').find((s) => actionsOf([s]).includes('dynamodb:PutItem'));
      expect(resourceText(table?.Resource).sort()).toEqual(replicas);
      expect(actionsOf([table!])).toEqual([
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:DeleteItem',
      ]);
      const views = statementsOf(template, 'GuardCheckerRole').find((s) => actionsOf([s]).includes('dynamodb:PutItem'));
      expect(resourceText(views?.Resource).sort()).toEqual(replicas);
      expect(actionsOf([views!])).toEqual(['dynamodb:PutItem']);
      for (const fn of ['Checker', 'Actor']) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          Description: Match.stringLikeRegexp(fn === 'Checker' ? 'probes every endpoint' : 're-plans'),
          Environment: { Variables: Match.objectLike({ FAILOVER_GUARD_STATE_REGIONS: 'eu-west-1,eu-central-1' }) },
        });
      }
    }
  });

  it('encrypts the topic with a rotating customer-managed key that CloudWatch alarms may use, and refuses plain HTTP', () => {
    home.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotificationsKey'), 'Arn'] },
    });
    home.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    home.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('subscribes every configured e-mail address in every region', () => {
    for (const template of [home, other]) {
      template.resourceCountIs('AWS::SNS::Subscription', 1);
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'oncall@shop.example.com',
      });
    }
  });

  it('alarms on checker errors, a missing heartbeat (missing data breaching), unhealthy targets, failed invocations, readiness failures and the other region going dark', () => {
    home.resourceCountIs('AWS::CloudWatch::Alarm', 7);
    // The heartbeat is the checker function's own invocations (free): fewer than one a minute for 3 minutes.
    home.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'failover-guard-shop-eu-west-1-HeartbeatMissing',
      MetricName: 'Invocations',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Period: 60,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('CheckerFunction') } }],
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
    });
    // Published only when non-zero: no datapoint is no unhealthy target.
    home.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'UnhealthyTargets',
      Statistic: 'Maximum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(
      Object.values(home.findResources('AWS::CloudWatch::Alarm')).filter(
        (a) => (a as { Properties: { MetricName?: string } }).Properties.MetricName === 'UnhealthyTargets',
      ),
    ).toHaveLength(1);
    home.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('CheckerFunction') } }],
    });
    // No errors alarm on the actor: invoked asynchronously and never retried, each of its errors is a
    // dead-letter event at once, which FailedInvocations tells (with the error in the event).
    expect(
      Object.values(home.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
        JSON.stringify((a as { Properties: { Dimensions?: unknown } }).Properties.Dimensions ?? []).includes(
          'ActorFunction',
        ),
      ),
    ).toEqual([]);
    // The dead-letter alarm's shape (new events, not the queue's level) is asserted in guard-alarms.test.ts.
    // A region is judged from outside: the eu-west-1 stack watches eu-central-1 and vice versa.
    home.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RegionHealthy',
      Dimensions: Match.arrayWith([{ Name: 'JudgedRegion', Value: 'eu-central-1' }]),
      Statistic: 'Maximum',
      EvaluationPeriods: 2,
      TreatMissingData: 'ignore',
    });
    other.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RegionHealthy',
      Dimensions: Match.arrayWith([{ Name: 'JudgedRegion', Value: 'eu-west-1' }]),
    });
  });

  it('outputs the topic, the table and the region-health alarm', () => {
    home.hasOutput('TopicArn', { Value: { Ref: Match.stringLikeRegexp('NotificationsTopic') } });
    home.hasOutput('StateTableName', Match.objectLike({}));
    home.hasOutput('RegionHealthAlarmeucentral1', {
      Value: { Ref: Match.stringLikeRegexp('AlarmsRegionDarkeucentral1') },
    });
  });

  it('creates no Route 53 health check when no record is marked dataPlaneFailover: nothing would follow it', () => {
    for (const template of [home, other]) {
      template.resourceCountIs('AWS::Route53::HealthCheck', 0);
      expect(Object.keys(template.findOutputs('*')).filter((id) => id.startsWith('RegionHealthCheck'))).toEqual([]);
    }
  });

  it('follows an alarm Route 53 can evaluate: standard resolution, a plain statistic, no metric math', () => {
    const alarms = Object.values(home.findResources('AWS::CloudWatch::Alarm')) as {
      Properties: Record<string, unknown>;
    }[];
    const regionDark = alarms.find((a) => a.Properties.MetricName === 'RegionHealthy');
    expect(regionDark?.Properties).toMatchObject({ Period: 60, Statistic: 'Maximum' });
    expect(regionDark?.Properties.Metrics).toBeUndefined();
    expect(regionDark?.Properties.ExtendedStatistic).toBeUndefined();
  });

  it('has every alarm notify the topic when it fires and when it clears', () => {
    const alarms = Object.values(home.findResources('AWS::CloudWatch::Alarm')) as {
      Properties: Record<string, unknown>;
    }[];
    for (const alarm of alarms) {
      const topicRef = [{ Ref: expect.stringMatching(/NotificationsTopic/) }];
      expect(alarm.Properties).toMatchObject({ AlarmActions: topicRef, OKActions: topicRef });
    }
  });

  it.each([
    ['checker', 'GuardCheckerLogs'],
    ['actor', 'GuardActorLogs'],
  ])('names the %s log group so the one dashboard can query it in every region', (handler, logicalPrefix) => {
    for (const template of [home, other]) {
      const groups = Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([id]) =>
        id.startsWith(logicalPrefix),
      );
      expect(groups.map(([, g]) => (g as { Properties: { LogGroupName: string } }).Properties.LogGroupName)).toEqual([
        `/failover-guard/shop/${handler}`,
      ]);
    }
  });

  it('lets the checker read the cloud and its readiness alarm, write its view and invoke the actor — and change nothing', () => {
    const checker = statementsOf(home, 'GuardCheckerRole');
    expect(actionsOf(checker).sort()).toEqual(
      [
        'cloudwatch:DescribeAlarms',
        'cloudwatch:GetMetricData',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'elasticloadbalancing:DescribeTargetHealth',
        'lambda:InvokeFunction',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'rds:DescribeDBInstances',
        'route53:ListResourceRecordSets',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ].sort(),
    );
    const invoke = checker.find((s) => s.Action === 'lambda:InvokeFunction');
    expect(invoke?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/ActorFunction/), 'Arn'] });
  });

  it('uses "*" only for the two read actions that have no resource-level permission', () => {
    for (const role of ['GuardCheckerRole', 'GuardActorRole']) {
      const wildcards = statementsOf(home, role).filter((s) => s.Resource === '*');
      expect(wildcards).toEqual([
        {
          Action: ['cloudwatch:GetMetricData', 'elasticloadbalancing:DescribeTargetHealth'],
          Effect: 'Allow',
          Resource: '*',
        },
      ]);
    }
  });

  it('lets the actor change only the configured record names and types, in the configured zone only', () => {
    const changes = statementsOf(home, 'GuardActorRole').filter((s) =>
      actionsOf([s]).includes('route53:ChangeResourceRecordSets'),
    );
    expect(changes).toHaveLength(1);
    expect(actionsOf(changes)).toEqual(['route53:ChangeResourceRecordSets']);
    expect(resourceText(changes[0]!.Resource)).toEqual(['arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ']);
    expect(changes[0]!.Condition).toEqual({
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
          'db-writer.shop.example.com',
          'origin.shop.example.com',
          'www.shop.example.com',
        ],
        'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'CNAME'],
      },
    });
  });

  it('lets the actor promote only the configured replicas, by ARN in their own regions', () => {
    const promote = statementsOf(home, 'GuardActorRole').filter((s) =>
      actionsOf([s]).some((a) => /Promote|Failover/.test(a)),
    );
    expect(promote).toHaveLength(1);
    expect(promote[0]!.Action).toBe('rds:PromoteReadReplica');
    expect(resourceText(promote[0]!.Resource)).toEqual([
      'arn:aws:rds:eu-west-1:123456789012:db:orders-replica-1',
      'arn:aws:rds:eu-central-1:123456789012:db:orders-replica-fra',
    ]);
  });

  it.each([0, 1])('passes the cdk-nag AwsSolutions checks with zero unacknowledged findings (stack %i)', (index) => {
    const stacks = guardStacks(topology);
    const report = new AwsSolutionsChecks().validateScope(stacks[index]!);
    expect(
      report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
    ).toEqual([]);
  });
});
