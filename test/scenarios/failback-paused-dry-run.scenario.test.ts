// Paused and dry-run mean nothing changes, for failback too: a failback asked while the guard is
// paused records no runbook (nothing runs by itself at unpause), and guard.dryRun only plans it.
import { describe, expect, it } from 'vitest';
import { updateGuardState } from '../../lambdas/engine';
import { runFailback } from '../../lambdas/engine/region';
import type { StateStorePort } from '../../lambdas/ports/state-store.port';
import { RegionHarness } from '../engine/region/region-harness';
import { PRIMARY, STANDBY, regionTopology } from '../engine/region/fixtures';

const FRA_IPS = ['10.20.1.11', '10.20.2.11'];

/** Failed over to the standby; the primary has been healthy long enough for failback. */
async function readyToFailBack(): Promise<RegionHarness> {
  const h = new RegionHarness(
    regionTopology({ regionFailover: { mode: 'auto', regionFailureThreshold: 2, failbackHealthyMinutes: 1 } }),
  );
  await h.failOverAndRelight(PRIMARY);
  await h.rounds(9);
  return h;
}

const withGuard = (h: RegionHarness, guard: Partial<RegionHarness['topology']['guard']>) => ({
  ...h.topology,
  guard: { ...h.topology.guard, ...guard },
});

describe('failback: paused and dry-run change nothing', () => {
  it.each([
    {
      how: 'the pause switch',
      pause: (h: RegionHarness) => updateGuardState(h.cloud.store, (s) => ({ ...s, paused: true })),
      unpause: (h: RegionHarness) => updateGuardState(h.cloud.store, (s) => ({ ...s, paused: false })),
      config: {},
    },
    {
      how: 'guard.paused in the config',
      pause: async () => undefined,
      unpause: async () => undefined,
      config: { paused: true },
    },
  ])(
    'refuses a failback asked while paused by $how, records no runbook, and nothing runs at unpause',
    async ({ pause, unpause, config }) => {
      // Prepare
      const h = await readyToFailBack();
      await pause(h);
      // Act
      const outcome = await runFailback(h.context(STANDBY, { topology: withGuard(h, config) }), PRIMARY, {
        dryRun: false,
      });
      await unpause(h);
      await h.rounds(6);
      // Assess
      expect(outcome.decision.refusal).toMatch(
        /^the guard is paused \(.*\): failback changes nothing and records nothing to run later; unpause it, then run failback again$/,
      );
      expect(outcome.execution).toBeUndefined();
      expect((await h.runbooks()).map((r) => r.kind)).toEqual(['region-failover']);
      expect(h.resolve('www.shop.example.com')).toEqual(FRA_IPS);
    },
  );

  it.each([
    {
      how: 'guard.dryRun in the config',
      ctx: (h: RegionHarness) => h.context(STANDBY, { topology: withGuard(h, { dryRun: true }) }),
    },
    { how: 'a dry-run context', ctx: (h: RegionHarness) => h.context(STANDBY, { dryRun: true }) },
  ])('only plans a failback under $how: DNS, databases and runbooks unchanged', async ({ ctx }) => {
    // Prepare
    const h = await readyToFailBack();
    const changes = h.cloud.dns.changes.length;
    // Act
    const outcome = await runFailback(ctx(h), PRIMARY, { dryRun: false });
    await h.rounds(6);
    // Assess
    expect(outcome.decision.runbook?.data.toRegion).toBe(PRIMARY);
    expect(outcome.dryRun).toBe(true);
    expect(outcome.execution).toBeUndefined();
    expect(h.cloud.dns.changes.length).toBe(changes);
    expect((await h.runbooks()).map((r) => r.kind)).toEqual(['region-failover']);
    expect(h.resolve('www.shop.example.com')).toEqual(FRA_IPS);
  });

  it('ends the failback runbook, so nothing runs at unpause, when the guard is paused just as the failback starts', async () => {
    // Prepare: the pause switch goes on between the failback's check and its execution (at the actor lease)
    const h = await readyToFailBack();
    const real = h.cloud.ports(STANDBY).store;
    const store: StateStorePort = Object.assign(Object.create(real) as StateStorePort, {
      acquireLease: async (name: string, owner: string, ttlMs: number) => {
        await updateGuardState(real, (s) => ({ ...s, paused: true }));
        return real.acquireLease(name, owner, ttlMs);
      },
    });
    const ctx = h.context(STANDBY);
    // Act
    const outcome = await runFailback({ ...ctx, ports: { ...ctx.ports, store } }, PRIMARY, { dryRun: false });
    await updateGuardState(real, (s) => ({ ...s, paused: false }));
    await h.rounds(6);
    // Assess
    expect(outcome.decision.refusal).toMatch(/^the guard is paused \(paused as the failback started\)/);
    expect((await h.runbooks()).map((r) => [r.kind, r.status]).sort()).toEqual([
      ['region-failback', 'aborted'],
      ['region-failover', 'completed'],
    ]);
    expect(h.resolve('www.shop.example.com')).toEqual(FRA_IPS);
  });
});
