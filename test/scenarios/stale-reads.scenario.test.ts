// Reads that return the old value just after a write, as AWS does: Route 53 listings until a change is
// INSYNC, RDS describes for a while after a promote or a stop, ELB target health after a change. The
// guard must not act twice on what it already did, never forget a pulled IP, never empty a record,
// and tell what happened — not what a stale read suggests.
import { describe, expect, it, vi } from 'vitest';
import { readGuardState } from '../../lambdas/engine';
import { countPromotions, twoReplicaDb, WRITER } from './database-fixtures';
import { harness, ipSetRecord, webTopology } from './engine-harness';

/** Route 53 shows a zone as it was before a change for 30 s (three cycles). */
const ROUTE53_LAG_MS = 30_000;

function webHarness() {
  const h = harness(webTopology({ dns: [ipSetRecord()] }));
  h.cloud.staleReads('Route 53', ROUTE53_LAG_MS);
  const served = () => h.cloud.resolve('www.shop.example.com', 'A').sort();
  const pulled = async () => Object.keys((await readGuardState(h.cloud.store)).state.pulledTargets);
  return { h, served, pulled };
}

describe('stale reads just after a write', () => {
  it('never forgets a pulled IP, and pulls it once, while Route 53 still lists it just after the pull', async () => {
    // Prepare
    const { h, served, pulled } = webHarness();
    h.probe.fail('web-a');
    // Act: the pull lands, then three cycles read the record as it was before it
    await h.cycles(3);
    expect(h.cloud.dns.changes).toHaveLength(1);
    const stale = await h.cycles(1);
    await h.cycles(2);
    // Assess
    expect(h.cloud.dns.changes).toHaveLength(1);
    expect(served()).toEqual(['10.0.0.2', '10.0.0.3']);
    expect(await pulled()).toEqual(['www|web-a']);
    expect(stale.plan.notes.join('\n')).toMatch(/www\.shop\.example\.com A: Route 53 does not show the change/);
    // Act: web-a recovers
    h.probe.recover('web-a');
    await h.cycles(6);
    // Assess: restored once, and nothing else
    expect(h.cloud.dns.changes).toHaveLength(2);
    expect(served()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(await pulled()).toEqual([]);
    expect(h.notifications().map((n) => n.eventType)).toEqual(['dns.pull', 'dns.restore']);
  });

  it('never forgets a pulled IP when Route 53 lists the old record longer than the guard waits for it', async () => {
    // Prepare: the listing lags 200 s, past the guard's 120 s
    const { h, served, pulled } = webHarness();
    h.cloud.staleReads('Route 53', 200_000);
    h.probe.fail('web-a');
    // Act
    await h.cycles(3);
    await h.cycles(20);
    // Assess: the pull re-planned on the old listing lost the compare-and-swap; the record of the first stays
    expect(h.cloud.dns.changes).toHaveLength(1);
    expect(served()).toEqual(['10.0.0.2', '10.0.0.3']);
    expect(await pulled()).toEqual(['www|web-a']);
    h.probe.recover('web-a');
    await h.cycles(3);
    expect(served()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });

  it('restores once and tells only what happened while Route 53 still lists the record without the restored IP', async () => {
    // Prepare
    const { h, served } = webHarness();
    h.probe.fail('web-a');
    await h.cycles(6);
    h.probe.recover('web-a');
    // Act
    await h.cycles(2);
    expect(h.cloud.dns.changes).toHaveLength(2);
    await h.cycles(4);
    // Assess
    expect(h.cloud.dns.changes).toHaveLength(2);
    expect(served()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(h.notifications().map((n) => n.eventType)).toEqual(['dns.pull', 'dns.restore']);
  });

  it('never empties a record on a stale listing: two targets failing in turn keep one answer', async () => {
    // Prepare: minHealthy 1 over two targets
    const h = harness(
      webTopology({ dns: [ipSetRecord({ targets: [{ endpoint: 'web-a' }, { endpoint: 'web-b' }], minHealthy: 1 })] }),
    );
    h.cloud.staleReads('Route 53', ROUTE53_LAG_MS);
    h.probe.fail('web-a');
    await h.cycles(3);
    // Act: the second fails while Route 53 still lists the first
    h.probe.fail('web-b');
    await h.cycles(8);
    // Assess
    expect(h.cloud.resolve('www.shop.example.com', 'A')).toEqual(['10.0.0.2']);
    expect(h.cloud.dns.changes).toHaveLength(1);
  });

  it('never promotes twice nor stops the old primary twice while RDS still shows them as they were before the call', async () => {
    // Prepare
    const h = harness(webTopology({ databases: [twoReplicaDb()] }));
    h.cloud.staleReads('RDS', 90_000);
    const promotions = countPromotions(h);
    const stops = vi.spyOn(h.cloud.database, 'stopInstance');
    h.probe.fail('orders-primary', 'ECONNREFUSED');
    h.cloud.failInstance('orders-primary', 'failed');
    // Act: promoted at cycle 3; RDS shows orders-r1 as an untouched replica for 90 s after
    await h.cycles(3);
    await h.cycles(12);
    // Assess
    expect(promotions()).toBe(1);
    expect(h.cloud.resolve(WRITER, 'CNAME')).toEqual(['orders-r1.abc.eu-west-1.rds.amazonaws.com']);
    expect(h.notifications('database.repoint-writer')).toHaveLength(1);
    // Act: the old primary comes back and is stopped; RDS shows it running for 90 s after the call
    h.cloud.database.setInstanceStatus('orders-primary', 'available');
    await h.cycles(15);
    // Assess
    expect(stops).toHaveBeenCalledTimes(1);
    expect(h.cloud.database.inspectInstance('eu-west-1', 'orders-primary')?.status).toBe('stopped');
    expect(h.notifications('database.fence.failed')).toEqual([]);
    expect(h.notifications('database.fence').map((n) => n.subject)).toEqual([
      expect.stringMatching(/fencing old primary orders-primary of orders \(stop\)/),
      expect.stringMatching(/old primary orders-primary of orders fenced \(stopped\)/),
    ]);
  });

  it('tells a target-health change once, when ELB shows it, however late', async () => {
    // Prepare
    const tg = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef';
    const h = harness(
      webTopology({
        loadBalancers: [
          {
            id: 'alb-1',
            region: 'eu-west-1',
            targetGroups: [tg],
            probe: { type: 'https', url: 'https://alb/healthz' },
          },
        ],
      }),
    );
    h.cloud.staleReads('Elastic Load Balancing', 20_000);
    await h.cycles(1);
    h.cloud.setTargetHealth(tg, '10.0.0.2', 'unhealthy', 'Target.Timeout');
    // Act
    await h.cycles(2);
    expect(h.notifications('load-balancer.targets-unhealthy')).toEqual([]);
    await h.cycles(3);
    h.cloud.setTargetHealth(tg, '10.0.0.2', 'healthy');
    await h.cycles(5);
    // Assess
    expect(h.notifications().map((n) => n.eventType)).toEqual([
      'load-balancer.targets-unhealthy',
      'load-balancer.targets-recovered',
    ]);
  });
});
