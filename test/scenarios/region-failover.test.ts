import { describe, expect, it } from 'vitest';
import { RegionHarness } from '../engine/region/region-harness';
import { AUTO_FAILOVER_EVENTS, PRIMARY, STANDBY, WITNESS, regionTopology } from '../engine/region/fixtures';

const FRA_IPS = ['10.20.1.11', '10.20.2.11'];

describe('a whole region goes dark', () => {
  it('runs exactly one failover, its steps in order, acted on by the first live checker outside the region', async () => {
    // Prepare
    const h = new RegionHarness(regionTopology());
    await h.rounds(2);
    // Act
    h.darken(PRIMARY);
    await h.rounds(20, async () => (await h.runbooks()).some((r) => r.status === 'completed'));
    await h.rounds(3);
    // Assess
    const runbooks = await h.runbooks();
    expect(runbooks).toHaveLength(1);
    const [runbook] = runbooks;
    expect(runbook).toMatchObject({ id: `failover-${PRIMARY}-1`, kind: 'region-failover', status: 'completed' });
    expect(runbook?.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['announce', 'done', 1],
      ['promote-database', 'done', 1],
      ['move-dns', 'done', 1],
      ['repoint-writer', 'done', 1],
      ['announce-completion', 'done', 1],
    ]);
    expect(Object.values(runbook?.data.doneBy ?? {})).toEqual([STANDBY, STANDBY, STANDBY, STANDBY, STANDBY]);
    expect(h.regionEvents()).toEqual(AUTO_FAILOVER_EVENTS);
    expect(h.promoteCalls).toHaveBeenCalledTimes(1);
    expect(h.promoteCalls).toHaveBeenCalledWith(STANDBY, 'orders-replica-fra');
    expect(h.resolve('www.shop.example.com')).toEqual(FRA_IPS);
    expect(h.resolve('origin.shop.example.com')).toEqual(FRA_IPS);
    expect(h.writer('db-writer.shop.example.com')).toEqual(['orders-replica-fra.bbbb.eu-central-1.rds.amazonaws.com']);
    // orders-dub-replica (in the dark region, unreadable) was a replica of the old primary: not counted
    expect(h.notifications('region.runbook.repoint-writer')[0]?.reason).toContain(
      'orders: redundancy is lower: no replica of orders-fra-replica left; create a read replica of orders-fra-replica; not counted, RDS state unreadable: orders-dub-replica',
    );
  });

  it('announces with the evidence and completes with the timeline', async () => {
    // Prepare
    const h = new RegionHarness(regionTopology());
    await h.rounds(2);
    // Act
    h.darken(PRIMARY);
    await h.rounds(20, async () => (await h.runbooks()).some((r) => r.status === 'completed'));
    // Assess
    const [start] = h.notifications('region.failover.start');
    expect(start?.details?.['runbookId']).toBe(`failover-${PRIMARY}-1`);
    expect(start?.details?.['evidence']).toMatchObject({
      judges: [STANDBY, WITNESS],
      staleHeartbeats: [PRIMARY],
      endpoints: expect.arrayContaining([
        { endpointId: 'web-dub-a', status: 'UNHEALTHY', unhealthyVotes: [STANDBY, WITNESS] },
      ]),
    });
    const [done] = h.notifications('region.runbook.complete');
    const steps = done?.details?.['steps'] as { step: string; at: string; by: string }[];
    expect(steps.map((s) => s.step)).toEqual([
      'announce',
      'promote-database',
      'move-dns',
      'repoint-writer',
      'announce-completion',
    ]);
    expect(steps.every((s, i) => i === 0 || Date.parse(s.at) >= Date.parse(steps[i - 1]!.at))).toBe(true);
  });

  it('tells that the dark region’s checker stopped writing heartbeats, once', async () => {
    // Prepare
    const h = new RegionHarness(regionTopology());
    await h.rounds(2);
    // Act
    h.darken(PRIMARY);
    await h.rounds(12);
    // Assess
    const missing = h.notifications('checker.heartbeat.missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ severity: 'warning', resource: `checker ${PRIMARY}`, region: PRIMARY });
  });
});
