// The in-memory cloud as hostile as AWS in a regional event: calls that never answer, throttling, 5xx,
// latency, one region's APIs down while its endpoints answer. Every cycle still ends by its deadline
// and writes its view (the heartbeat); nothing acts on a failed read; nothing is done twice; the
// notifications say what happened. The deadline runs on the cloud's clock: no real waiting.
import { describe, expect, it } from 'vitest';
import { readView, runCycle } from '../../lambdas/engine';
import { CYCLE_MS, harness, ipSetRecord, START, webTopology } from './engine-harness';

const DEADLINE_MS = 10_000;

function hostileHarness() {
  const h = harness(webTopology({ dns: [ipSetRecord()] }));
  const cycles = (n: number) => h.cycles(n, { startDeadline: h.cloud.deadlineAfter });
  /** The cloud's time beyond the harness's own 10 s a cycle: what was spent waiting on slow calls. */
  const waitedMs = (cyclesRun: number) => h.cloud.now().getTime() - START.getTime() - cyclesRun * CYCLE_MS;
  return { h, cycles, waitedMs };
}

describe('a hostile cloud', () => {
  it("Route 53's control plane never answering while its data plane does: each cycle ends by its deadline, writes its view, pulls nothing and says why", async () => {
    // Prepare
    const { h, cycles, waitedMs } = hostileHarness();
    h.probe.fail('web-a');
    h.cloud.slow({ service: 'Route 53' }, 'never');
    // Act
    const last = await cycles(4);
    // Assess
    expect(waitedMs(4)).toBeGreaterThan(0);
    expect(waitedMs(4)).toBeLessThanOrEqual(4 * DEADLINE_MS);
    expect((await readView(h.cloud.store, 'eu-west-1'))?.value.health['web-a']?.status).toBe('UNHEALTHY');
    expect(h.cloud.dns.changes).toEqual([]);
    expect(h.cloud.resolve('www.shop.example.com', 'A').sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(last.plan.actions).toEqual([]);
    const [readFailed] = h.notifications('dns.read-failed');
    expect(readFailed?.reason).toMatch(
      /cannot read www\.shop\.example\.com A; no DNS change this cycle: Route 53 listRecordSets on .* failed: DeadlineExceeded: no answer within the plan's reads deadline of 5 s/,
    );
    // Act: the control plane answers again
    h.cloud.answerNormally({ service: 'Route 53' });
    await cycles(1);
    // Assess: pulled once, as soon as the record could be read
    expect(h.cloud.dns.changes).toHaveLength(1);
    expect(h.cloud.resolve('www.shop.example.com', 'A').sort()).toEqual(['10.0.0.2', '10.0.0.3']);
  });

  it.each(['Throttling', 'PriorRequestNotComplete', 'RequestLimitExceeded'] as const)(
    'a change batch throttled with %s fails that cycle, is told, and is applied once the next cycle',
    async (code) => {
      // Prepare
      const { h, cycles } = hostileHarness();
      h.probe.fail('web-a');
      await cycles(2);
      h.cloud.faults.throttle('changeRecordSets', 1, code);
      // Act
      const throttled = await cycles(1);
      await cycles(2);
      // Assess
      expect(throttled.execution.results.map((r) => [r.action.kind, r.outcome])).toEqual([['dns.pull', 'failed']]);
      expect(h.notifications('dns.pull.failed')[0]?.reason).toContain(code);
      expect(h.cloud.dns.changes).toHaveLength(1);
      expect(h.cloud.resolve('www.shop.example.com', 'A').sort()).toEqual(['10.0.0.2', '10.0.0.3']);
    },
  );

  it('a 5xx on the record read changes nothing that cycle, then pulls once', async () => {
    // Prepare
    const { h, cycles } = hostileHarness();
    h.probe.fail('web-a');
    await cycles(2);
    h.cloud.faults.serverError('listRecordSets', 10);
    // Act
    const failedRead = await cycles(1);
    h.cloud.faults.serverError('listRecordSets', 0);
    await cycles(2);
    // Assess
    expect(failedRead.plan.actions).toEqual([]);
    expect(h.notifications('dns.read-failed')[0]?.reason).toContain('InternalFailure');
    expect(h.cloud.dns.changes).toHaveLength(1);
  });

  it('every call slow (0.5 s each on the cloud clock) still fits the deadline and pulls once', async () => {
    // Prepare
    const { h, cycles, waitedMs } = hostileHarness();
    h.cloud.slow({}, 500);
    h.probe.fail('web-a');
    // Act
    await cycles(5);
    // Assess
    expect(waitedMs(5)).toBeGreaterThan(0);
    expect(h.cloud.dns.changes).toHaveLength(1);
    expect(h.cloud.resolve('www.shop.example.com', 'A').sort()).toEqual(['10.0.0.2', '10.0.0.3']);
  });

  it("the guard's own region's APIs hung while its endpoints answer: each cycle fails by its deadline naming DynamoDB, and nothing acts", async () => {
    // Prepare: the checker in eu-west-1, whose table replica and topic never answer
    const { h, waitedMs } = hostileHarness();
    h.probe.fail('web-a');
    h.cloud.slow({ region: 'eu-west-1' }, 'never');
    const context = h.context({ ports: h.cloud.ports('eu-west-1'), startDeadline: h.cloud.deadlineAfter });
    // Act
    const outcomes: unknown[] = [];
    for (let i = 0; i < 4; i += 1) {
      outcomes.push(await runCycle(context).catch((error: unknown) => error));
      h.cloud.advance(CYCLE_MS);
    }
    // Assess
    expect(outcomes.map((o) => (o as Error).message)).toEqual(
      Array(4).fill(
        expect.stringMatching(
          /^DynamoDB get on view\/eu-west-1 failed: DeadlineExceeded: no answer within the cycle's deadline of 10 s$/,
        ),
      ),
    );
    expect(waitedMs(4)).toBe(4 * DEADLINE_MS);
    expect(h.cloud.dns.changes).toEqual([]);
    expect(h.cloud.notifier.outbox).toEqual([]);
  });
});
