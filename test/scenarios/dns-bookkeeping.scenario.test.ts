// An applied DNS change keeps its bookkeeping when the state store (DynamoDB) fails after the
// change: it still counts against the DNS rate cap and the cooldown, and is reported as applied.
import { describe, expect, it } from 'vitest';
import { readGuardState } from '../../lambdas/engine';
import { harness, ipSetRecord, webTopology, type Harness } from './engine-harness';

/** The next `times` state-store writes after the next DNS change fail. */
function failWritesAfterNextChange(h: Harness, times: number): void {
  const stop = h.cloud.onChange(() => {
    stop();
    h.cloud.failNext('put', times);
  });
}

describe('DNS healing: bookkeeping of an applied change', () => {
  it('records an applied pull (rate cap, cooldown, pull record) when the state store fails once right after the change', async () => {
    // Prepare
    const h = harness(webTopology({ dns: [ipSetRecord()], guard: { cooldownSeconds: 300 } }));
    h.probe.fail('web-a');
    await h.cycles(2);
    failWritesAfterNextChange(h, 1);
    // Act
    const report = await h.cycles(1);
    // Assess
    expect(report.execution.results.map((r) => [r.action.kind, r.outcome])).toEqual([['dns.pull', 'applied']]);
    const { state } = await readGuardState(h.cloud.store);
    expect(state.dnsChanges).toHaveLength(1);
    expect(Object.keys(state.cooldowns)).toEqual(['dns:www:web-a']);
    expect(Object.keys(state.pulledTargets)).toEqual(['www|web-a']);
  });

  it('reports a pull as applied, and still holds the next change at the rate cap, when the state store keeps failing after the change', async () => {
    // Prepare
    const h = harness(
      webTopology({
        dns: [ipSetRecord()],
        guard: { cooldownSeconds: 0, maxDnsChanges: { count: 1, windowSeconds: 600 } },
      }),
    );
    h.probe.fail('web-a');
    h.probe.fail('web-b');
    await h.cycles(2);
    failWritesAfterNextChange(h, 3);
    // Act
    const report = await h.cycles(1);
    // Assess
    expect(report.execution.results.map((r) => [r.action.key, r.outcome])).toEqual([
      ['dns:www:web-a', 'applied'],
      ['dns:www:web-b', 'skipped'],
    ]);
    expect(report.execution.results[0]?.detail).toContain('the guard state could not record it after 3 attempts');
    expect(report.execution.results[1]?.detail).toContain('DNS rate cap');
    expect(h.cloud.resolve('www.shop.example.com', 'A').sort()).toEqual(['10.0.0.2', '10.0.0.3']);
    expect(h.notifications('dns.pull')).toHaveLength(1);
    expect(h.notifications('dns.pull.failed')).toHaveLength(0);
  });
});
