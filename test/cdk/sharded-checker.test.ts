// A sharded checker: one schedule target per shard naming it (five a rule), room for each shard's
// overlap in the reserved concurrency, one heartbeat alarm per shard; with `tick`, the right to invoke
// itself (shard 0 starts the other shards on each queued cycle) and nothing more; cdk-nag clean.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import type { CheckerScheduleMode } from '../../lambdas/contracts/telemetry-names';
import type { FailoverGuardStack } from '../../lib/failover-guard-stack';
import { exampleInput, guardStacks } from './guard-fixtures';

type Target = { Arn: unknown; Input?: string };

describe.each<CheckerScheduleMode>(['loop', 'tick'])(
  'a checker of 7 shards (guard.shards), %s schedule',
  (schedule) => {
    let stack: FailoverGuardStack;
    let template: Template;

    beforeAll(() => {
      const input = exampleInput();
      // Reserved concurrency is off by default (new accounts cannot reserve it); on, each shard gets room.
      stack = guardStacks(parseTopology({ ...input, guard: { ...input.guard, shards: 7, schedule } }), {
        reserveConcurrency: true,
      })[0]!;
      template = Template.fromStack(stack);
    });

    it('starts every shard every minute, each target naming its shard, five targets a rule', () => {
      const rules = Object.values(template.findResources('AWS::Events::Rule')).map(
        (r) => (r as { Properties: { Targets: Target[]; ScheduleExpression: string } }).Properties,
      );
      expect(rules.map((r) => [r.ScheduleExpression, r.Targets.length])).toEqual([
        ['rate(1 minute)', 5],
        ['rate(1 minute)', 2],
      ]);
      const inputs = rules.flatMap((r) => r.Targets.map((t) => JSON.parse(t.Input!) as unknown));
      expect(inputs).toEqual(
        [0, 1, 2, 3, 4, 5, 6].map((shard) => ({
          'detail-type': 'Scheduled Event',
          source: 'failover-guard.schedule',
          shard,
        })),
      );
    });

    it('with reserved concurrency on, reserves room for one overlapping invocation of each shard (14), the actor keeps 2', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: `Failover Guard shop: probes every endpoint each 10 s (7 shards), plans, hands non-empty plans to the actor`,
        ReservedConcurrentExecutions: 14,
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('re-plans'),
        ReservedConcurrentExecutions: 2,
      });
    });

    it('alarms when a shard stays stale, or shard 0 publishes no figure, for 3 minutes (missing data breaches): one alarm for the 7 shards', () => {
      const alarms = template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'StaleShards' } });
      expect(Object.keys(alarms)).toHaveLength(1);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'failover-guard-shop-eu-west-1-ShardsStale',
        MetricName: 'StaleShards',
        Namespace: 'FailoverGuard',
        Dimensions: [{ Name: 'service', Value: 'failover-guard-shop' }],
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 3,
        TreatMissingData: 'breaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('NotificationsTopic') }],
      });
    });

    it(
      schedule === 'tick'
        ? 'lets the checker invoke its own function only (no versions), in a policy of its own that every rule waits for'
        : 'gives the checker no right to invoke itself',
      () => {
        const policies = template.findResources('AWS::IAM::Policy', {
          Properties: {
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({
                  Action: 'lambda:InvokeFunction',
                  Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('CheckerFunction'), 'Arn'] },
                }),
              ]),
            },
          },
        });
        if (schedule === 'loop') {
          expect(policies).toEqual({});
          return;
        }
        expect(Object.keys(policies)).toEqual([expect.stringMatching(/^GuardScheduleShardFanOut/)]);
        const [id, policy] = Object.entries(policies)[0]!;
        expect(policy).toMatchObject({
          Properties: {
            PolicyDocument: {
              Statement: [
                {
                  Action: 'lambda:InvokeFunction',
                  Effect: 'Allow',
                  Resource: { 'Fn::GetAtt': [expect.stringMatching(/^GuardCheckerFunction/), 'Arn'] },
                },
              ],
            },
            Roles: [{ Ref: expect.stringMatching(/^GuardCheckerRole/) }],
          },
        });
        const rules = Object.values(template.findResources('AWS::Events::Rule')) as { DependsOn?: string[] }[];
        for (const rule of rules) expect(rule.DependsOn).toContain(id);
        // The function itself does not wait for it (that would be a circular dependency)
        const [fn] = Object.values(
          template.findResources('AWS::Lambda::Function', {
            Properties: { Description: Match.stringLikeRegexp('probes') },
          }),
        ) as { DependsOn?: string[] }[];
        expect(fn!.DependsOn ?? []).not.toContain(id);
      },
    );

    it('never retries the checker’s asynchronous invocations (the ticks, the fanned-out cycles) and drops them after 60 s into the dead-letter queue', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: Match.stringLikeRegexp('^GuardCheckerFunction') },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 60,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GuardFailedInvocations'), 'Arn'] } },
        },
      });
    });

    it('passes cdk-nag', () => {
      expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    });
  },
);

describe('an unsharded checker', () => {
  it('keeps one rule with one plain target and no shard alarms', () => {
    const template = Template.fromStack(guardStacks(parseTopology(exampleInput()))[0]!);
    const rules = Object.values(template.findResources('AWS::Events::Rule')).map(
      (r) => (r as { Properties: { Targets: Target[] } }).Properties,
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Targets).toHaveLength(1);
    expect(rules[0]!.Targets[0]!.Input).toBeUndefined();
    expect(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'StaleShards' } })).toEqual({});
  });
});
