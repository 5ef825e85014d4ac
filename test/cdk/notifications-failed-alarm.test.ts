// A failed SNS publish is never silent: the actor counts it in NotificationsFailed and this alarm fires.
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, it } from 'vitest';
import { exampleTopology, guardStacks } from './guard-fixtures';

describe('the NotificationsFailed alarm', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(guardStacks(exampleTopology())[0]!);
  });

  it('fires on any failed publish in a 1-minute period, treats no data as fine, and notifies the topic when it fires and clears', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'NotificationsFailed',
      Namespace: 'FailoverGuard',
      Dimensions: [{ Name: 'service', Value: 'failover-guard-shop' }],
      Statistic: 'Sum',
      Period: 60,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'GuardNotificationsTopicF8D509CB' }],
      OKActions: [{ Ref: 'GuardNotificationsTopicF8D509CB' }],
    });
  });
});
