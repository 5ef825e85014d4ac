// Promise: no alert is lost silently. A publish that fails gives its claim back, so the next cycle
// tells the alert instead of waiting out noticeRepeatSeconds; the failure is logged at error and counted.
import { describe, expect, it } from 'vitest';
import { alertNoticeKey, readGuardState, runCycle } from '../../lambdas/engine';
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

describe('a failed SNS publish of an applied action', () => {
  it.each([
    ['a failure', (h: ReturnType<typeof harness>) => h.cloud.notifier.failNext(1)],
    ['throttling', (h: ReturnType<typeof harness>) => h.cloud.faults.throttle('publish', 1)],
    ['a 5xx', (h: ReturnType<typeof harness>) => h.cloud.faults.serverError('publish', 1)],
  ])('does not lose the notice of the pull after %s: published the next cycle, once', async (_, fault) => {
    // Prepare: web-a crosses its threshold on the third cycle; that cycle's publish fails
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    h.probe.fail('web-a');
    const log: Record<string, unknown>[] = [];
    const logged = { log: (entry: Record<string, unknown>) => void log.push(entry) };
    await h.cycles(2, logged);
    fault(h);
    // Act
    const failed = await h.cycles(1, logged);
    const retried = await h.cycles(1, logged);
    await h.cycles(3, logged);
    // Assess
    expect(failed.execution.results.map((r) => [r.action.kind, r.outcome])).toEqual([['dns.pull', 'applied']]);
    expect(failed.execution).toMatchObject({ notificationsPublished: 0, notificationsFailed: 1 });
    expect(log.filter((e) => e.event === 'notify.failed')).toEqual([
      expect.objectContaining({ level: 'error', eventType: 'dns.pull', retry: 'next cycle (kept in the guard state)' }),
    ]);
    expect(retried.execution).toMatchObject({ notificationsPublished: 1, notificationsFailed: 0 });
    expect(h.notifications('dns.pull')).toEqual([
      expect.objectContaining({
        eventType: 'dns.pull',
        planId: failed.plan.id,
        resource: 'www.shop.example.com A 10.0.0.1',
      }),
    ]);
    expect((await readGuardState(h.cloud.store)).state.unsentNotifications ?? []).toEqual([]);
  });

  it('keeps it while the topic keeps failing, and publishes it once when it answers again, even with two checkers', async () => {
    // Prepare
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    h.probe.fail('web-a');
    await h.cycles(2);
    h.cloud.notifier.failNext(3);
    // Act: the pull's notice fails, then its retries fail twice
    await h.cycles(3);
    expect(h.notifications('dns.pull')).toEqual([]);
    expect((await readGuardState(h.cloud.store)).state.unsentNotifications).toHaveLength(1);
    await Promise.all(['eu-west-1', 'eu-central-1'].map((checker) => runCycle(h.context({ checker }))));
    // Assess
    expect(h.notifications('dns.pull')).toHaveLength(1);
    expect((await readGuardState(h.cloud.store)).state.unsentNotifications ?? []).toEqual([]);
  });
});
