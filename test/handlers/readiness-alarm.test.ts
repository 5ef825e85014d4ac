import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { readinessAlarmIsOk } from '../../lambdas/handlers/readiness-alarm';

const cloudwatch = mockClient(CloudWatchClient);
const ALARM = 'failover-guard-shop-eu-west-1-ReadinessFailures';
const isOk = () => readinessAlarmIsOk(new CloudWatchClient({ region: 'eu-west-1' }), ALARM)();

describe('readinessAlarmIsOk', () => {
  afterEach(() => cloudwatch.reset());

  it.each([
    ['OK', true],
    ['ALARM', false],
    ['INSUFFICIENT_DATA', false],
  ] as const)('reads the alarm by name: %s is OK → %s', async (state, ok) => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: ALARM, StateValue: state }] });
    await expect(isOk()).resolves.toBe(ok);
    expect(cloudwatch).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 1);
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input).toEqual({
      AlarmNames: [ALARM],
      AlarmTypes: ['MetricAlarm'],
    });
  });

  it('names the alarm when CloudWatch has none of that name', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    await expect(isOk()).rejects.toThrow(`CloudWatch has no alarm ${ALARM}`);
  });
});
