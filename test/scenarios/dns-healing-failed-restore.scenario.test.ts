// An urgent restore that fails must not let a pull of the same record, planned with the restore
// counted as served, drop the record below minHealthy in the same execution.
import { describe, expect, it } from 'vitest';
import { harness, ipSetRecord, setRecord, webTopology, ZONE } from './engine-harness';

/** web-a pulled earlier; it comes back HEALTHY in the very cycle web-b turns UNHEALTHY, and the restore's change batch fails. */
async function restoreFailsAsAnotherTargetDies(h: ReturnType<typeof harness>) {
  h.probe.fail('web-a');
  await h.cycles(3);
  h.probe.fail('web-b');
  await h.cycles(1);
  h.probe.recover('web-a');
  await h.cycles(1);
  h.cloud.failNext('changeRecordSets', 1);
  return h.cycles(1);
}

describe('DNS healing: a failed urgent restore', () => {
  it('holds the pull of an ip-set record whose urgent restore failed in the same execution', async () => {
    // Prepare
    const h = harness(
      webTopology({
        dns: [
          ipSetRecord({
            minHealthy: 2,
            targets: [{ endpoint: 'web-a' }, { endpoint: 'web-b' }, { endpoint: 'web-c' }],
          }),
        ],
      }),
    );
    // Act
    const report = await restoreFailsAsAnotherTargetDies(h);
    // Assess: the restore was urgent and failed; the pull was held, so two answers stay
    expect(report.execution.results.map((r) => [r.action.kind, r.action.key, r.outcome])).toEqual([
      ['dns.restore', 'dns:www:web-a', 'failed'],
      ['dns.pull', 'dns:www:web-b', 'skipped'],
    ]);
    expect(report.execution.results[1]?.detail).toContain(
      'fewer than minHealthy (2); the restore of web-a planned before it was not applied',
    );
    expect(h.cloud.resolve('www.shop.example.com', 'A').sort()).toEqual(['10.0.0.2', '10.0.0.3']);
    // Next cycle: restored, then pulled
    await h.cycles(1);
    expect(h.cloud.resolve('www.shop.example.com', 'A').sort()).toEqual(['10.0.0.1', '10.0.0.3']);
  });

  it('holds the pull of a multivalue record whose urgent restore failed in the same execution', async () => {
    // Prepare
    const h = harness(webTopology({ dns: [setRecord('multivalue', { minHealthy: 2 })] }));
    // Act
    const report = await restoreFailsAsAnotherTargetDies(h);
    // Assess
    expect(report.execution.results.map((r) => [r.action.kind, r.action.key, r.outcome])).toEqual([
      ['dns.restore', 'dns:origin:web-a', 'failed'],
      ['dns.pull', 'dns:origin:web-b', 'skipped'],
    ]);
    const sets = await h.cloud.dns.listRecordSets(ZONE, 'origin.shop.example.com', 'A');
    expect(sets.map((s) => s.setIdentifier).sort()).toEqual(['web-b', 'web-c']);
  });
});
