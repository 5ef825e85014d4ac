// Readiness lost is never silent: the checker publishes ReadinessFailures in each readiness period while a check fails
// (readiness-signal.test.ts), this alarm fires on any failing check and notifies when it fires and clears, and the dashboard graphs it.
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import { exampleInput, exampleTopology, guardStacks } from './guard-fixtures';

describe('the ReadinessFailures alarm', () => {
  it('fires on any failing readiness check in one readiness period, keeps its state between datapoints, and notifies the topic both ways', () => {
    // Act
    const template = Template.fromStack(guardStacks(exampleTopology())[0]!);
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReadinessFailures',
      Namespace: 'FailoverGuard',
      Dimensions: [{ Name: 'service', Value: 'failover-guard-shop' }],
      Statistic: 'Maximum',
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      TreatMissingData: 'ignore',
      AlarmActions: [{ Ref: 'GuardNotificationsTopicF8D509CB' }],
      OKActions: [{ Ref: 'GuardNotificationsTopicF8D509CB' }],
    });
  });

  it.each([
    [60, 60],
    [90, 120],
    [600, 600],
  ])('rounds readinessCheckSeconds %i up to a CloudWatch period of %i s', (readinessCheckSeconds, period) => {
    // Prepare
    const input = exampleInput();
    const topology = parseTopology({ ...input, guard: { ...input.guard, readinessCheckSeconds } }, 'test');
    // Act
    const template = Template.fromStack(guardStacks(topology)[1]!);
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ReadinessFailures', Period: period });
  });

  it('is graphed per region on the dashboard, beside the readiness reports the actor logged', () => {
    // Prepare
    const input = exampleInput();
    const topology = parseTopology({ ...input, guard: { ...input.guard, dashboard: true } }, 'test');
    // Act
    const template = Template.fromStack(guardStacks(topology)[0]!);
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    // Assess
    expect(body).toContain('readiness checks failing (0 = ready for failover)');
    expect(body).toContain('\\"ReadinessFailures\\"');
    expect(body).toContain('readiness lost / ready again');
  });
});
