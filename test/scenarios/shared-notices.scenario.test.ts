// Two checkers (one per region) sharing one state store, as the global table makes them: a notice
// is claimed with a compare-and-swap write before it is published, so only one checker tells it.
import { describe, expect, it } from 'vitest';
import {
  alertNoticeKey,
  executePlan,
  observe,
  planCycle,
  readGuardState,
  runCycle,
  type GuardContext,
} from '../../lambdas/engine';
import { CYCLE_MS, harness, ipSetRecord, webTopology, type Harness } from './engine-harness';

const CHECKERS = ['eu-west-1', 'eu-central-1'] as const;

/** One cycle of both checkers, started together so their executions overlap. */
async function racingCycle(h: Harness): Promise<void> {
  await Promise.all(CHECKERS.map((checker) => runCycle(h.context({ checker }))));
  h.cloud.advance(CYCLE_MS);
}

describe('notices shared by several checkers', () => {
  it('publishes an all-targets-down alert once when two checkers raise it in the same instant', async () => {
    // Prepare
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    for (const id of ['web-a', 'web-b', 'web-c']) h.probe.fail(id);
    // Act
    for (let i = 0; i < 6; i += 1) await racingCycle(h);
    // Assess
    expect(h.notifications('dns.all-targets-down')).toHaveLength(1);
    const { state } = await readGuardState(h.cloud.store);
    expect(state.notices[alertNoticeKey('dns.all-targets-down:www')]?.raisedBy.slice().sort()).toEqual(
      [...CHECKERS].sort(),
    );
  });

  it('lets exactly one of two checkers that planned the same alert win the claim', async () => {
    // Prepare
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    for (const id of ['web-a', 'web-b', 'web-c']) h.probe.fail(id);
    for (let i = 0; i < 2; i += 1) await racingCycle(h);
    const contexts: GuardContext[] = CHECKERS.map((checker) => h.context({ checker }));
    for (const ctx of contexts) await observe(ctx);
    const plans = await Promise.all(contexts.map((ctx) => planCycle(ctx)));
    // Act
    const reports = await Promise.all(contexts.map((ctx, i) => executePlan(ctx, plans[i]!)));
    // Assess
    expect(plans.map((p) => p.alerts.map((a) => a.eventType))).toEqual([
      ['dns.all-targets-down'],
      ['dns.all-targets-down'],
    ]);
    expect(reports.map((r) => r.notificationsPublished).sort()).toEqual([0, 1]);
    expect(h.notifications('dns.all-targets-down')).toHaveLength(1);
  });

  it('tells the alert again once the outage ended and came back, still once', async () => {
    // Prepare
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    const all = ['web-a', 'web-b', 'web-c'];
    for (const id of all) h.probe.fail(id);
    for (let i = 0; i < 4; i += 1) await racingCycle(h);
    // Act
    for (const id of all) h.probe.recover(id);
    for (let i = 0; i < 3; i += 1) await racingCycle(h);
    const afterRecovery = await readGuardState(h.cloud.store);
    for (const id of all) h.probe.fail(id);
    for (let i = 0; i < 4; i += 1) await racingCycle(h);
    // Assess
    expect(afterRecovery.state.notices).toEqual({});
    expect(h.notifications('dns.all-targets-down')).toHaveLength(2);
  });

  it('repeats a still-open alert after noticeRepeatSeconds, from one checker', async () => {
    // Prepare
    const h = harness(webTopology({ dns: [ipSetRecord()] }), { noticeRepeatSeconds: 60 });
    for (const id of ['web-a', 'web-b', 'web-c']) h.probe.fail(id);
    // Act: 3 cycles to confirm, then 9 more (90 s): told at confirmation and once more 60 s later
    for (let i = 0; i < 12; i += 1) await racingCycle(h);
    // Assess
    expect(h.notifications('dns.all-targets-down')).toHaveLength(2);
  });

  it('pulls a dead server and tells it once when both checkers act on it together', async () => {
    // Prepare
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    h.probe.fail('web-b');
    // Act
    for (let i = 0; i < 4; i += 1) await racingCycle(h);
    // Assess
    expect(h.cloud.resolve('www.shop.example.com', 'A').sort()).toEqual(['10.0.0.1', '10.0.0.3']);
    expect(h.notifications('dns.pull')).toHaveLength(1);
    expect(
      h
        .notifications()
        .filter((n) => n.eventType.startsWith('dns.pull.'))
        .map((n) => n.reason),
    ).toEqual([]);
  });
});
