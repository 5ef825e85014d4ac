// The deployed guard keeps the region health checks on the sets of the records marked dataPlaneFailover:
// each region's stack attaches the checks it owns on its drift read, so Route 53 moves traffic by itself.
import { describe, expect, it } from 'vitest';
import { runCycle, type GuardContext } from '../../lambdas/engine';
import type { RecordSet } from '../../lambdas/ports/dns.port';
import { CYCLE_MS, dnsInterleaved, harness, webTopology, ZONE } from './engine-harness';

const NAME = 'app.shop.example.com';
const DUB_CHECK = 'dub-up-judged-from-fra';
const FRA_CHECK = 'fra-up-judged-from-dub';

/** Each guard region's share: eu-west-1's stack holds (and attaches) eu-central-1's check, and the other way round. */
const inDub: Partial<GuardContext> = { checker: 'eu-west-1', regionHealthChecks: { 'eu-central-1': FRA_CHECK } };
const inFra: Partial<GuardContext> = { checker: 'eu-central-1', regionHealthChecks: { 'eu-west-1': DUB_CHECK } };

function failoverPair() {
  const h = harness(
    webTopology({
      dns: [
        {
          id: 'app',
          hostedZoneId: ZONE,
          name: NAME,
          type: 'A',
          routing: 'failover',
          targets: [
            { endpoint: 'web-a', setIdentifier: 'dub' },
            { endpoint: 'web-s', setIdentifier: 'fra' },
          ],
          dataPlaneFailover: true,
        },
      ],
    }),
  );
  // The checks both stacks created, tagged as the construct tags them (readiness finds the other stack's by them).
  h.cloud.healthChecks.add('shop', { id: DUB_CHECK, judgedRegion: 'eu-west-1', checkerRegion: 'eu-central-1' });
  h.cloud.healthChecks.add('shop', { id: FRA_CHECK, judgedRegion: 'eu-central-1', checkerRegion: 'eu-west-1' });
  return h;
}

/** One cycle in each guard region at the same moment (as deployed: each checker's drift read is clock-aligned). */
async function cycleBothRegions(h: ReturnType<typeof failoverPair>): Promise<void> {
  await runCycle(h.context(inDub));
  await runCycle(h.context(inFra));
  h.cloud.advance(CYCLE_MS);
}

const setsOf = async (h: ReturnType<typeof failoverPair>): Promise<RecordSet[]> =>
  h.cloud.dns.listRecordSets(ZONE, NAME, 'A');
const checks = async (h: ReturnType<typeof failoverPair>) =>
  Object.fromEntries((await setsOf(h)).map((s) => [s.setIdentifier, s.healthCheckId]));

describe('data-plane failover with no manual step', () => {
  it("attaches each region's health check on the drift read, tells it, and Route 53 then fails over on its own", async () => {
    // Prepare
    const h = failoverPair();
    // Act: one cycle in each guard region (the first cycle of a drift period reads every record).
    await cycleBothRegions(h);
    // Assess
    expect(await checks(h)).toEqual({ dub: DUB_CHECK, fra: FRA_CHECK });
    const told = h.notifications('dns.attach-health-check');
    expect(told.map((n) => [n.region, n.severity])).toEqual([
      ['eu-central-1', 'warning'],
      ['eu-west-1', 'warning'],
    ]);
    expect(told[0]?.reason).toContain(`(${FRA_CHECK}) lets Route 53 move traffic off eu-central-1`);
    // Every field but the health check is as it was: the set is the one the topology describes.
    expect((await setsOf(h)).find((s) => s.setIdentifier === 'dub')).toMatchObject({
      failover: 'PRIMARY',
      values: ['10.0.0.1'],
    });
    expect(h.cloud.resolve(NAME, 'A')).toEqual(['10.0.0.1']);
    h.cloud.dns.setHealthCheck(DUB_CHECK, false);
    expect(h.cloud.resolve(NAME, 'A')).toEqual(['10.1.0.1']);
  });

  it('is idempotent: the next drift reads change nothing and tell nothing', async () => {
    // Prepare
    const h = failoverPair();
    await cycleBothRegions(h);
    const changes = h.cloud.dns.changes.length;
    // Readiness is told apart: lost at the first readiness check (it read the sets before the attach), back at the next.
    const attachNotices = () => h.cloud.notifier.outbox.filter((n) => !n.eventType.startsWith('readiness.'));
    const notices = attachNotices().length;
    // Act: a whole drift period (300 s) and the next drift read, in both regions.
    for (let i = 0; i < 31; i += 1) await cycleBothRegions(h);
    // Assess
    expect(h.cloud.dns.changes).toHaveLength(changes);
    expect(attachNotices()).toHaveLength(notices);
    expect(h.notifications('readiness.restored')).toHaveLength(1);
    expect(await checks(h)).toEqual({ dub: DUB_CHECK, fra: FRA_CHECK });
  });

  it('refuses a set carrying a health check it did not plan: unchanged, and a warning says which and what to do', async () => {
    // Prepare
    const h = failoverPair();
    const fra = (await setsOf(h)).find((s) => s.setIdentifier === 'fra') as RecordSet;
    h.cloud.dns.seed(ZONE, [{ ...fra, healthCheckId: 'hand-made' }]);
    // Act
    await h.cycles(1, inDub);
    // Assess
    expect(await checks(h)).toEqual({ dub: undefined, fra: 'hand-made' });
    expect(h.cloud.dns.changes).toHaveLength(0);
    const refused = h.notifications('dns.health-check-foreign');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.severity).toBe('warning');
    expect(refused[0]?.reason).toContain(`carries health check hand-made, not the guard's ${FRA_CHECK}`);
    expect(refused[0]?.reason).toContain('left unchanged');
  });

  it('never overwrites a concurrent edit: a set changed between read and write is re-read and attached as it now is', async () => {
    // Prepare: another writer changes the set's TTL just before the guard's batch.
    const h = failoverPair();
    const ctx = h.context(inDub);
    const dns = dnsInterleaved(h.cloud.dns, async () => {
      const fra = (await setsOf(h)).find((s) => s.setIdentifier === 'fra') as RecordSet;
      await h.cloud.dns.changeRecordSets(ZONE, [
        { action: 'DELETE', recordSet: fra },
        { action: 'CREATE', recordSet: { ...fra, ttl: 15 } },
      ]);
    });
    // Act
    await h.cycles(1, { ...inDub, ports: { ...ctx.ports, dns } });
    // Assess: the other writer's TTL stands, and the check is on.
    expect((await setsOf(h)).find((s) => s.setIdentifier === 'fra')).toMatchObject({
      ttl: 15,
      healthCheckId: FRA_CHECK,
    });
  });

  it('plans only, in dry run: the plan names the set and the check, nothing changes', async () => {
    // Prepare
    const h = failoverPair();
    // Act
    const report = await h.cycles(1, { ...inDub, dryRun: true });
    // Assess
    // (readiness is reported even in dry run: a report changes nothing in the cloud)
    const attach = report.execution.results.filter((r) => !r.action.kind.startsWith('readiness.'));
    expect(attach.map((r) => [r.action.kind, r.outcome])).toEqual([['dns.attach-health-check', 'planned']]);
    expect(h.cloud.dns.changes).toHaveLength(0);
  });
});
