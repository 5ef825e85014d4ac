// Promise: no alert is lost silently. A publish that fails gives its claim back, so the next cycle
// tells the alert instead of waiting out noticeRepeatSeconds; the failure is logged at error and counted.
import { describe, expect, it } from 'vitest';
import { alertNoticeKey, readGuardState } from '../../lambdas/engine';
import { harness, ipSetRecord, webTopology } from './engine-harness';

describe('a failed SNS publish', () => {
  it('does not lose the all-targets-down alert: the claim is released, the next cycle publishes it, the failure is logged at error and counted', async () => {
    // Prepare: every target of www is down; the third cycle raises the alert and its publish fails once
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    for (const id of ['web-a', 'web-b', 'web-c', 'web-s']) h.probe.fail(id);
    const log: Record<string, unknown>[] = [];
    const logged = { log: (entry: Record<string, unknown>) => void log.push(entry) };
    await h.cycles(2, logged);
    h.cloud.notifier.failNext(1);
    // Act
    const failed = await h.cycles(1, logged);
    const noticeAfterFailure = (await readGuardState(h.cloud.store)).state.notices[
      alertNoticeKey('dns.all-targets-down:www')
    ];
    const retried = await h.cycles(1, logged);
    // Assess
    expect(failed.plan.alerts.map((a) => a.eventType)).toEqual(['dns.all-targets-down']);
    expect(failed.execution).toMatchObject({ notificationsPublished: 0, notificationsFailed: 1 });
    expect(noticeAfterFailure?.publishedAt).toBeUndefined();
    expect(log.filter((e) => e.event === 'notify.failed')).toEqual([
      expect.objectContaining({
        level: 'error',
        eventType: 'dns.all-targets-down',
        retry: 'next cycle (claim released)',
      }),
    ]);
    expect(retried.execution).toMatchObject({ notificationsPublished: 1, notificationsFailed: 0 });
    expect(h.notifications('dns.all-targets-down')).toHaveLength(1);
  });
});
