// The executor acts only on the record it planned against, every set of it: a stale plan can never
// take a weighted, multivalue or failover record below minHealthy, and two concurrent executions
// can never delete a record's last set.
import { describe, expect, it } from 'vitest';
import { executePlan, observe, planCycle } from '../../lambdas/engine';
import { CYCLE_MS, dnsInterleaved, harness, setRecord, webTopology, ZONE, type Harness } from './engine-harness';

const ORIGIN = 'origin.shop.example.com';

/** The answers served after every change batch, in order. */
function servedAfterEachChange(h: Harness): number[] {
  const served: number[] = [];
  h.cloud.onChange(() => served.push(h.cloud.resolve(ORIGIN, 'A').length));
  return served;
}

describe('DNS healing: the whole record is verified', () => {
  it('re-plans a weighted pull whose record lost another answer after planning, and never goes below minHealthy', async () => {
    // Prepare: web-c is due to be pulled (web-a and web-b left); before execution, web-b's weight goes to 0
    const h = harness(webTopology({ dns: [setRecord('weighted', { minHealthy: 2 })] }));
    h.probe.fail('web-c');
    await h.cycles(2);
    const ctx = h.context();
    await observe(ctx);
    const plan = await planCycle(ctx);
    const sets = await h.cloud.dns.listRecordSets(ZONE, ORIGIN, 'A');
    const webB = sets.find((s) => s.setIdentifier === 'web-b')!;
    await h.cloud.dns.changeRecordSets(ZONE, [
      { action: 'DELETE', recordSet: webB },
      { action: 'CREATE', recordSet: { ...webB, weight: 0 } },
    ]);
    // Act
    const report = await executePlan(ctx, plan);
    // Assess
    expect(plan.actions.map((a) => [a.kind, a.key])).toEqual([['dns.pull', 'dns:origin:web-c']]);
    expect(report.results.map((r) => [r.outcome, r.superseded ?? false])).toEqual([['skipped', true]]);
    const after = await h.cloud.dns.listRecordSets(ZONE, ORIGIN, 'A');
    expect(after.map((s) => [s.setIdentifier, s.weight])).toEqual([
      ['web-a', 50],
      ['web-b', 0],
      ['web-c', 50],
    ]);
  });

  it.each([
    { routing: 'multivalue' as const, minHealthy: 1, endpoints: ['web-a', 'web-b'] },
    { routing: 'weighted' as const, minHealthy: 2, endpoints: ['web-a', 'web-b', 'web-c'] },
  ])(
    'never lets two concurrent $routing executions, each planned when another target was down, go below minHealthy ($minHealthy)',
    async ({ routing, minHealthy, endpoints }) => {
      // Prepare: one plan pulls web-a (down then); a later one pulls web-b (down now, web-a back)
      const targets = endpoints.map((endpoint) => ({
        endpoint,
        setIdentifier: endpoint,
        ...(routing === 'weighted' ? { weight: 50 } : {}),
      }));
      const h = harness(webTopology({ dns: [setRecord(routing, { minHealthy, targets })] }));
      h.probe.fail('web-a');
      await h.cycles(2);
      const first = h.context();
      await observe(first);
      const pullA = await planCycle(first);
      h.probe.recover('web-a');
      h.probe.fail('web-b');
      for (let i = 0; i < 3; i += 1) {
        h.cloud.advance(CYCLE_MS);
        await observe(first);
      }
      const second = h.context({ checker: 'eu-central-1' });
      const pullB = await planCycle(second);
      const served = servedAfterEachChange(h);
      const racing = {
        ...second,
        ports: { ...second.ports, dns: dnsInterleaved(second.ports.dns, () => executePlan(first, pullA)) },
      };
      // Act: the first execution lands between the second's read of the record and its batch
      await executePlan(racing, pullB);
      // Assess
      expect([pullA, pullB].map((p) => p.actions.map((a) => a.key))).toEqual([
        ['dns:origin:web-a'],
        ['dns:origin:web-b'],
      ]);
      expect(served.length).toBeGreaterThan(0);
      expect(served.every((n) => n >= minHealthy)).toBe(true);
      expect(h.cloud.resolve(ORIGIN, 'A')).not.toContain('10.0.0.2');
    },
  );
});
