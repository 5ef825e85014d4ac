// Whether this stack's ReadinessFailures alarm is OK: a checker that finds readiness passing publishes
// its zero only while the alarm still says otherwise, so a ready guard publishes no custom metric (one
// is billed for every hour it receives data) and a lost zero is simply sent again next period.
import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';

export function readinessAlarmIsOk(client: CloudWatchClient, alarmName: string): () => Promise<boolean> {
  return async () => {
    const result = await client.send(
      new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['MetricAlarm'] }),
    );
    const alarm = result.MetricAlarms?.[0];
    if (!alarm) {
      throw new Error(
        `CloudWatch has no alarm ${alarmName}; the checker publishes its readiness figure every period until it finds the alarm OK (redeploy the stack if it was deleted).`,
      );
    }
    return alarm.StateValue === 'OK';
  };
}
