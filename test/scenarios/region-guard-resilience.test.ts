import { describe, expect, it } from 'vitest';
import { RegionHarness } from '../engine/region/region-harness';
import { PRIMARY, STANDBY, WITNESS, regionTopology } from '../engine/region/fixtures';

const completed = (h: RegionHarness) => async () => (await h.runbooks()).some((r) => r.status === 'completed');

describe('a checker cut off from the network', () => {
  it.each([
    { name: 'three checkers, the standby’s isolated', guard: [PRIMARY, STANDBY, WITNESS], isolated: STANDBY },
    { name: 'three checkers, the witness isolated', guard: [PRIMARY, STANDBY, WITNESS], isolated: WITNESS },
    { name: 'two checkers, the standby’s isolated', guard: [PRIMARY, STANDBY], isolated: STANDBY },
    { name: 'two checkers, the primary’s isolated', guard: [PRIMARY, STANDBY], isolated: PRIMARY },
  ])('causes no failover and no DNS change ($name)', async ({ guard, isolated }) => {
    // Prepare
    const h = new RegionHarness(
      regionTopology({ guard: { regions: guard, heartbeatStaleSeconds: 30, cooldownSeconds: 0 } }),
    );
    await h.rounds(2);
    // Act
    h.isolated.add(isolated);
    await h.rounds(12);
    // Assess
    expect(await h.runbooks()).toEqual([]);
    expect(h.cloud.dns.changes).toEqual([]);
    expect(h.promoteCalls).not.toHaveBeenCalled();
    expect(h.notifications('region.')).toEqual([]);
  });
});

describe('the acting checker dies in the middle of the runbook', () => {
  it('is replaced by the next live checker, which finishes from the recorded step without repeating one', async () => {
    // Prepare: the actor's first DNS write fails, so it stops after the promotion (step 2) and then dies
    const h = new RegionHarness(regionTopology());
    await h.rounds(2);
    h.darken(PRIMARY);
    h.cloud.failNext('changeRecordSets', 1);
    await h.rounds(20, async () =>
      (await h.runbooks()).some((r) => r.steps.find((s) => s.name === 'promote-database')?.status === 'done'),
    );
    const halfway = (await h.runbooks())[0];
    // Act
    h.stopped.add(STANDBY);
    await h.rounds(20, completed(h));
    // Assess
    expect(halfway?.steps.map((s) => s.status)).toEqual(['done', 'done', 'pending', 'pending', 'pending']);
    const [runbook] = await h.runbooks();
    expect(runbook?.status).toBe('completed');
    expect(runbook?.data.doneBy).toEqual({
      announce: STANDBY,
      'promote-database': STANDBY,
      'move-dns': WITNESS,
      'repoint-writer': WITNESS,
      'announce-completion': WITNESS,
    });
    expect(runbook?.steps.map((s) => s.attempts)).toEqual([1, 1, 1, 1, 1]);
    expect(h.promoteCalls).toHaveBeenCalledTimes(1);
    expect(h.notifications('region.failover.start')).toHaveLength(1);
    expect(h.notifications('region.runbook.move-dns').map((n) => n.details?.['outcome'])).toEqual([
      'failed',
      'applied',
    ]);
    expect(h.resolve('www.shop.example.com')).toEqual(['10.20.1.11', '10.20.2.11']);
    expect(h.notifications('checker.heartbeat.missing').map((n) => n.resource)).toEqual([
      `checker ${PRIMARY}`,
      `checker ${STANDBY}`,
    ]);
  });

  it('stays harmless when a second checker acts at the same time', async () => {
    // Prepare: both outside checkers believe they act (each runs as if it were the first live one)
    const h = new RegionHarness(regionTopology());
    await h.rounds(2);
    h.darken(PRIMARY);
    await h.rounds(3);
    const asActor = (checker: string) =>
      h.context(checker, { topology: { ...h.topology, guard: { ...h.topology.guard, regions: [checker, PRIMARY] } } });
    const { runCycle } = await import('../../lambdas/engine');
    // Act
    for (let i = 0; i < 12 && !(await completed(h)()); i += 1) {
      await runCycle(asActor(STANDBY));
      await runCycle(asActor(WITNESS));
      h.cloud.advance(10_000);
    }
    // Assess
    const runbooks = await h.runbooks();
    expect(runbooks.map((r) => [r.id, r.status])).toEqual([[`failover-${PRIMARY}-1`, 'completed']]);
    expect(runbooks[0]?.steps.map((s) => s.attempts)).toEqual([1, 1, 1, 1, 1]);
    expect(h.promoteCalls).toHaveBeenCalledTimes(1);
    expect(h.resolve('www.shop.example.com')).toEqual(['10.20.1.11', '10.20.2.11']);
    expect(h.writer('db-writer.shop.example.com')).toEqual(['orders-replica-fra.bbbb.eu-central-1.rds.amazonaws.com']);
  });
});

describe('the standby is unhealthy too', () => {
  it.each([
    {
      name: 'its web servers are down',
      breakStandby: (h: RegionHarness) => {
        for (const id of ['web-fra-a', 'web-fra-b']) h.down.add(id);
      },
      problem: /www\.shop\.example\.com would serve 0 HEALTHY targets in eu-central-1/,
    },
    {
      name: 'its replica has failed',
      breakStandby: (h: RegionHarness) => h.cloud.failInstance('orders-replica-fra', 'failed', STANDBY),
      problem: /replica orders-replica-fra of orders is failed/,
    },
  ])('aborts with a critical alert and moves nothing when $name', async ({ breakStandby, problem }) => {
    // Prepare
    const h = new RegionHarness(regionTopology());
    await h.rounds(2);
    const before = h.cloud.dns.changes.length;
    // Act
    breakStandby(h);
    h.darken(PRIMARY);
    await h.rounds(10);
    // Assess
    const aborted = h.notifications('region.failover.aborted');
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toMatchObject({ severity: 'critical', resource: `region ${PRIMARY}` });
    expect(aborted[0]?.reason).toMatch(problem);
    expect(await h.runbooks()).toEqual([]);
    expect(h.cloud.dns.changes.length).toBe(before);
    expect(h.promoteCalls).not.toHaveBeenCalled();
  });
});

describe('heartbeats', () => {
  it('raise a warning when a checker stops and say so once when it is back', async () => {
    // Prepare
    const h = new RegionHarness(regionTopology());
    await h.rounds(2);
    // Act
    h.stopped.add(WITNESS);
    await h.rounds(8);
    h.stopped.delete(WITNESS);
    await h.rounds(4);
    // Assess
    expect(h.notifications('checker.heartbeat').map((n) => [n.eventType, n.severity, n.resource])).toEqual([
      ['checker.heartbeat.missing', 'warning', `checker ${WITNESS}`],
    ]);
    // Good news is told as info, not as a warning.
    expect(h.notifications('region.heartbeat.restored').map((n) => [n.resource, n.severity])).toEqual([
      [`checker ${WITNESS}`, 'info'],
    ]);
  });
});
