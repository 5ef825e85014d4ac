// The checker's two schedules: `loop` (the default, one long invocation a minute) and `tick` (one
// short invocation per cycle, the later cycles of each minute queued as delayed SQS messages).
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import { tickDelaysSeconds } from '../../lambdas/handlers/checker-loop';
import { GuardEnv } from '../../lambdas/contracts/telemetry-names';
import { exampleInput, exampleTopology, guardStacks } from './guard-fixtures';

type Statement = { Action: string | string[]; Resource: unknown };

function checkerStatements(template: Template): Statement[] {
  const [policy] = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith('GuardCheckerRole'),
  );
  return (policy![1] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
    .Statement;
}

describe('the checker schedule', () => {
  it.each([
    [10, [10, 20, 30, 40, 50]],
    [15, [15, 30, 45]],
    [7, [7, 14, 21, 28, 35, 42, 49, 56]],
    [2.5, Array.from({ length: 23 }, (_, i) => Math.round((i + 1) * 2.5))],
    [30, [30]],
    [60, []],
    [120, []],
  ])('queues the cycles of a %s s interval at %j s after the tick', (interval, delays) => {
    expect(tickDelaysSeconds(interval)).toEqual(delays);
  });

  describe('loop (the default)', () => {
    let template: Template;
    beforeAll(() => {
      template = Template.fromStack(guardStacks(exampleTopology())[0]!);
    });

    it('tells the checker to loop for 55 s and adds no cycle queue or event source mapping', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('probes'),
        Environment: {
          Variables: Match.objectLike({
            [GuardEnv.schedule]: 'loop',
            [GuardEnv.loopSeconds]: '55',
            [GuardEnv.cycleQueueUrl]: Match.absent(),
          }),
        },
      });
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
      template.resourceCountIs('AWS::SQS::Queue', 1);
    });
  });

  describe('tick, chosen in the topology (guard.schedule)', () => {
    let template: Template;
    let stacks: ReturnType<typeof guardStacks>;
    beforeAll(() => {
      const input = exampleInput();
      stacks = guardStacks(parseTopology({ ...input, guard: { ...input.guard, schedule: 'tick' } }));
      template = Template.fromStack(stacks[0]!);
    });

    it('still starts the checker every minute through EventBridge', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        Description: Match.stringLikeRegexp('one cycle; it queues'),
      });
    });

    it('adds an encrypted, SSL-only cycle queue that sends failed cycles to the dead-letter queue at once', () => {
      template.resourceCountIs('AWS::SQS::Queue', 2);
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 90,
        MessageRetentionPeriod: 300,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('FailedInvocations'), 'Arn'] },
          maxReceiveCount: 1,
        },
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: Match.stringLikeRegexp('ScheduleCycles') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('invokes the checker for one queued cycle at a time, with no maximum concurrency (so idle polling can scale down)', () => {
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ScheduleCycles'), 'Arn'] },
        FunctionName: { Ref: Match.stringLikeRegexp('CheckerFunction') },
        BatchSize: 1,
        ScalingConfig: Match.absent(),
      });
    });

    it('gives the checker the queue URL and the tick schedule, not a loop length', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('probes'),
        Environment: {
          Variables: Match.objectLike({
            [GuardEnv.schedule]: 'tick',
            [GuardEnv.cycleQueueUrl]: { Ref: Match.stringLikeRegexp('ScheduleCycles') },
            [GuardEnv.loopSeconds]: Match.absent(),
          }),
        },
      });
    });

    it('lets the checker send to and consume from the cycle queue only, and the actor touch no queue but its dead-letter queue', () => {
      const onCycleQueue = checkerStatements(template).filter((s) =>
        JSON.stringify(s.Resource).includes('ScheduleCycles'),
      );
      const actions = onCycleQueue.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
      expect(actions).toEqual(
        [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
          'sqs:SendMessage',
        ].sort(),
      );
      for (const s of onCycleQueue)
        expect(s.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/ScheduleCycles/), 'Arn'] });
      const [actorPolicy] = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
        id.startsWith('GuardActorRole'),
      );
      expect(JSON.stringify(actorPolicy![1])).not.toContain('ScheduleCycles');
    });

    it('unsharded, gives the checker no right to invoke itself (nothing to fan out)', () => {
      const invokes = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
        (
          p as { Properties: { PolicyDocument: { Statement: Statement[] } } }
        ).Properties.PolicyDocument.Statement.filter((s) => s.Action === 'lambda:InvokeFunction'),
      );
      expect(invokes.map((s) => JSON.stringify(s.Resource))).toEqual([expect.stringMatching(/GuardActorFunction/)]);
    });

    it.each([0, 1])('passes the cdk-nag AwsSolutions checks with zero unacknowledged findings (stack %i)', (index) => {
      const report = new AwsSolutionsChecks().validateScope(stacks[index]!);
      expect(
        report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
      ).toEqual([]);
    });
  });

  it('lets the construct prop override the topology', () => {
    const template = Template.fromStack(guardStacks(exampleTopology(), { schedule: 'tick' })[1]!);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });
});
