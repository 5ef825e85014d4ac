// The operations runbook cannot fall behind the code: every notification event type the guard can
// send and every alarm it creates has its row in docs/operations.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { regionAlarmIds } from '../../lib/alarm-names';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const runbook = read('docs/operations.md');

const eventTypes = [
  ...read('lambdas/engine/executors/notification-subjects.ts').matchAll(/^\s+'([a-z-]+(?:\.[a-z-]+)+)'/gm),
  ...read('lambdas/engine/types.ts').matchAll(/:\s*'(region\.[a-z.-]+)'/g),
].map((m) => m[1]!);
// Every alarm a sharded stack judging one region creates, with the region as the runbook writes it.
const alarmIds = regionAlarmIds(['<region>'], 2);

describe('docs/operations.md', () => {
  it('finds the event types and alarms to look for', () => {
    expect(eventTypes.length).toBeGreaterThan(20);
    expect(alarmIds).toEqual(
      expect.arrayContaining([
        'HeartbeatMissing',
        'TargetsUnhealthy',
        'FailedInvocations',
        'NotificationsFailed',
        'RegionDark-<region>',
        'ShardsStale',
      ]),
    );
  });

  it.each([...new Set(eventTypes)])('says what %s means and what to do', (eventType) => {
    expect(runbook).toContain(`\`${eventType}\``);
  });

  it.each([...new Set(alarmIds)])('says what the %s alarm means and what to do', (alarm) => {
    expect(runbook).toContain(`\`${alarm}\``);
  });
});
