import { describe, expect, it } from 'vitest';
import { sameRecordSet } from '../../lambdas/ports/record-sets';
import { DnsConflictError } from '../../lambdas/ports/errors';
import { executePlan, observe, planCycle, updateGuardState } from '../../lambdas/engine';
import { CYCLE_MS, harness, ipSetRecord, setRecord, webTopology, ZONE } from './engine-harness';

const WWW = 'www.shop.example.com';

/** A harness whose web-a has just turned UNHEALTHY, and the plan (pull web-a) made for it, not yet executed. */
async function planWithWebAUnhealthy() {
  const h = harness(webTopology({ dns: [ipSetRecord()] }));
  h.probe.fail('web-a');
  await h.cycles(2);
  const ctx = h.context();
  await observe(ctx);
  return { h, ctx, plan: await planCycle(ctx) };
}

describe('DNS healing with the in-memory cloud', () => {
  it('pulls a dead server after failureThreshold cycles and restores it after recoveryThreshold', async () => {
    // Prepare
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    h.probe.fail('web-b');
    // Act + Assess
    await h.cycles(2);
    expect(h.cloud.resolve(WWW, 'A').sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    const third = await h.cycles(1);
    expect(third.execution.results.map((r) => [r.action.kind, r.outcome])).toEqual([['dns.pull', 'applied']]);
    expect(h.cloud.resolve(WWW, 'A').sort()).toEqual(['10.0.0.1', '10.0.0.3']);
    const pulled = h.notifications('dns.pull')[0];
    expect(pulled?.reason).toContain('web-b UNHEALTHY: 3 consecutive ETIMEDOUT');
    expect(pulled?.severity).toBe('warning');
    h.probe.recover('web-b');
    await h.cycles(1);
    expect(h.cloud.resolve(WWW, 'A')).not.toContain('10.0.0.2');
    await h.cycles(1);
    expect(h.cloud.resolve(WWW, 'A').sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(h.notifications('dns.restore')).toHaveLength(1);
  });

  it('fails open when every eligible target is down: DNS unchanged and one critical alert', async () => {
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    for (const id of ['web-a', 'web-b', 'web-c']) h.probe.fail(id);
    await h.cycles(6);
    expect(h.cloud.resolve(WWW, 'A').sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    const alerts = h.notifications('dns.all-targets-down');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.severity).toBe('critical');
    expect(alerts[0]?.reason).toContain('fail open');
  });

  it('never pulls below minHealthy and keeps the earliest-listed unhealthy target', async () => {
    const h = harness(webTopology({ dns: [ipSetRecord({ minHealthy: 2 })] }));
    h.probe.fail('web-b');
    h.probe.fail('web-c');
    await h.cycles(3);
    expect(h.cloud.resolve(WWW, 'A').sort()).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(h.notifications('dns.min-healthy-held')[0]?.reason).toContain('web-b UNHEALTHY but kept');
  });

  it('sets a weighted target to weight 0 and restores the configured weight', async () => {
    const h = harness(webTopology({ dns: [setRecord('weighted')] }));
    h.probe.fail('web-a');
    await h.cycles(3);
    const sets = await h.cloud.dns.listRecordSets(ZONE, 'origin.shop.example.com', 'A');
    expect(sets.find((s) => s.setIdentifier === 'web-a')?.weight).toBe(0);
    h.probe.recover('web-a');
    await h.cycles(2);
    const after = await h.cloud.dns.listRecordSets(ZONE, 'origin.shop.example.com', 'A');
    expect(after.map((s) => [s.setIdentifier, s.weight]).sort()).toEqual([
      ['web-a', 50],
      ['web-b', 50],
      ['web-c', 50],
    ]);
  });

  it('deletes a multivalue target set and restores it exactly as it was', async () => {
    const h = harness(webTopology({ dns: [setRecord('multivalue')] }));
    const original = (await h.cloud.dns.listRecordSets(ZONE, 'origin.shop.example.com', 'A')).find(
      (s) => s.setIdentifier === 'web-c',
    );
    h.probe.fail('web-c');
    await h.cycles(3);
    const during = await h.cloud.dns.listRecordSets(ZONE, 'origin.shop.example.com', 'A');
    expect(during.map((s) => s.setIdentifier).sort()).toEqual(['web-a', 'web-b']);
    h.probe.recover('web-c');
    await h.cycles(2);
    const restored = (await h.cloud.dns.listRecordSets(ZONE, 'origin.shop.example.com', 'A')).find(
      (s) => s.setIdentifier === 'web-c',
    );
    expect(original && restored && sameRecordSet(original, restored)).toBe(true);
  });

  it('holds a flapping target for the cooldown, but not another resource', async () => {
    const h = harness(webTopology({ dns: [ipSetRecord()], guard: { cooldownSeconds: 120 } }));
    h.probe.fail('web-a');
    await h.cycles(3);
    h.probe.recover('web-a');
    const held = await h.cycles(2);
    expect(held.execution.results.map((r) => [r.action.kind, r.outcome])).toEqual([['dns.restore', 'skipped']]);
    expect(held.execution.results[0]?.detail).toContain('cooldown');
    h.probe.fail('web-b');
    const other = await h.cycles(3);
    expect(other.execution.results.map((r) => [r.action.kind, r.action.key, r.outcome])).toContainEqual([
      'dns.pull',
      'dns:www:web-b',
      'applied',
    ]);
    await h.cycles(8);
    expect(h.cloud.resolve(WWW, 'A')).toContain('10.0.0.1');
  });

  it('plans but changes nothing in dry-run, and says dryRun in the notification', async () => {
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    h.probe.fail('web-a');
    const report = await h.cycles(3, { dryRun: true });
    expect(report.execution.results.map((r) => r.outcome)).toEqual(['planned']);
    expect(h.cloud.resolve(WWW, 'A')).toContain('10.0.0.1');
    expect(h.notifications('dns.pull.planned')[0]?.dryRun).toBe(true);
  });

  it('stops every action when paused, while probing and heartbeats go on', async () => {
    const h = harness(webTopology({ dns: [ipSetRecord()], guard: { paused: true, cooldownSeconds: 0 } }));
    h.probe.fail('web-a');
    const report = await h.cycles(3);
    expect(report.execution.results.map((r) => r.outcome)).toEqual(['skipped']);
    expect(report.execution.paused).toBe(true);
    expect(h.cloud.resolve(WWW, 'A')).toContain('10.0.0.1');
    const view = await h.cloud.store.get('view', 'eu-west-1');
    expect(view?.value).toMatchObject({ at: new Date(h.cloud.now().getTime() - CYCLE_MS).toISOString() });
  });

  it('stops actions when the pause switch in the guard state is on', async () => {
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    await updateGuardState(h.cloud.store, (state) => ({ ...state, paused: true }));
    h.probe.fail('web-a');
    const report = await h.cycles(3);
    expect(report.execution.results.map((r) => [r.outcome, r.detail.split(' (')[0]])).toEqual([
      ['skipped', 'guard is paused'],
    ]);
    expect(h.cloud.resolve(WWW, 'A')).toContain('10.0.0.1');
  });

  it('caps DNS changes per window', async () => {
    const h = harness(
      webTopology({
        dns: [ipSetRecord()],
        guard: { cooldownSeconds: 0, maxDnsChanges: { count: 1, windowSeconds: 600 } },
      }),
    );
    h.probe.fail('web-a');
    h.probe.fail('web-b');
    const report = await h.cycles(3);
    expect(report.execution.results.map((r) => [r.action.kind, r.outcome])).toEqual([
      ['dns.pull', 'applied'],
      ['dns.pull', 'skipped'],
    ]);
    expect(report.execution.results[1]?.detail).toContain('DNS rate cap');
  });

  it('re-plans a record that changed under it instead of overwriting the change', async () => {
    // Prepare: web-a is due to be pulled; between plan and execution someone adds 10.9.9.9
    const { h, ctx, plan } = await planWithWebAUnhealthy();
    const [current] = await h.cloud.dns.listRecordSets(ZONE, WWW, 'A');
    await h.cloud.dns.changeRecordSets(ZONE, [
      { action: 'DELETE', recordSet: current! },
      { action: 'CREATE', recordSet: { ...current!, values: [...current!.values, '10.9.9.9'] } },
    ]);
    // Act
    const report = await executePlan(ctx, plan);
    // Assess
    expect(report.results.map((r) => r.outcome)).toEqual(['skipped', 'applied']);
    expect(report.results[0]?.detail).toContain('re-planned');
    expect(h.cloud.resolve(WWW, 'A').sort()).toEqual(['10.0.0.2', '10.0.0.3', '10.9.9.9']);
  });

  it('re-reads and re-plans when the change batch loses the compare-and-swap', async () => {
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    h.probe.fail('web-a');
    h.cloud.failNext(
      'changeRecordSets',
      1,
      new DnsConflictError('InvalidChangeBatch: the record set to delete was not found'),
    );
    const report = await h.cycles(3);
    expect(report.execution.results.map((r) => r.outcome)).toEqual(['skipped', 'applied']);
    expect(h.cloud.resolve(WWW, 'A')).not.toContain('10.0.0.1');
  });

  it("fails, naming it, a pull planned for a DNS record the actor's topology does not have, and changes nothing", async () => {
    // Prepare: the plan was made with a record this actor's config no longer lists
    const { h, ctx, plan } = await planWithWebAUnhealthy();
    const before = h.cloud.resolve(WWW, 'A');
    const actor = { ...ctx, topology: { ...ctx.topology, dns: [] } };
    // Act
    const report = await executePlan(actor, plan);
    // Assess
    expect(report.results.map((r) => [r.outcome, r.detail])).toEqual([
      ['failed', 'DNS record "www" is not in the topology config this actor runs with; nothing changed'],
    ]);
    expect(h.cloud.resolve(WWW, 'A')).toEqual(before);
  });

  it('lets one of two overlapping runs act (lease)', async () => {
    const { h, ctx, plan } = await planWithWebAUnhealthy();
    const reports = await Promise.all([executePlan(ctx, plan), executePlan(h.context(), plan)]);
    expect(reports.map((r) => r.leaseHeld).sort()).toEqual([false, true]);
    expect(h.notifications('dns.pull')).toHaveLength(1);
  });

  it('pulls the target even when SNS publishing fails', async () => {
    const h = harness(webTopology({ dns: [ipSetRecord()] }));
    h.probe.fail('web-a');
    await h.cycles(2);
    h.cloud.notifier.failNext(10);
    const report = await h.cycles(1);
    expect(report.execution.results.map((r) => r.outcome)).toEqual(['applied']);
    expect(h.cloud.resolve(WWW, 'A')).not.toContain('10.0.0.1');
  });
});
