import { describe, expect, it } from 'vitest';
import { approveRunbook, runFailback } from '../../lambdas/engine/region';
import { RegionHarness } from '../engine/region/region-harness';
import { PRIMARY, STANDBY, regionTopology } from '../engine/region/fixtures';

const DUB_IPS = ['10.10.1.11', '10.10.2.11'];
const FRA_IPS = ['10.20.1.11', '10.20.2.11'];

describe('approval mode', () => {
  it('waits in pending-approval, tells how to approve, and runs after approval', async () => {
    // Prepare
    const h = new RegionHarness(
      regionTopology({ regionFailover: { mode: 'approval', regionFailureThreshold: 2, failbackHealthyMinutes: 10 } }),
    );
    await h.rounds(2);
    h.darken(PRIMARY);
    await h.rounds(10);
    const [pending] = await h.runbooks();
    const dnsChangesWhileWaiting = h.cloud.dns.changes.length;
    // Act
    await approveRunbook(h.cloud.store, `failover-${PRIMARY}-1`, 'alice', h.cloud.now(), h.topology);
    await h.rounds(10, async () => (await h.runbooks()).some((r) => r.status === 'completed'));
    // Assess
    expect(pending).toMatchObject({ id: `failover-${PRIMARY}-1`, status: 'pending-approval' });
    expect(dnsChangesWhileWaiting).toBe(0);
    const [request] = h.notifications('region.failover.request-approval');
    expect(request?.reason).toContain(`failover-guard approve <config> failover-${PRIMARY}-1`);
    const [runbook] = await h.runbooks();
    expect(runbook).toMatchObject({ status: 'completed', data: { approval: { by: 'alice' } } });
    expect(h.regionEvents()).toEqual([
      'region.failover.request-approval (pending-approval)',
      'region.runbook.announce (announce)',
      'region.runbook.promote (promote-database)',
      'region.runbook.promote (promote-database)',
      'region.runbook.move-dns (move-dns)',
      'region.runbook.repoint-writer (repoint-writer)',
      'region.runbook.complete (announce-completion)',
    ]);
    expect(h.resolve('www.shop.example.com')).toEqual(FRA_IPS);
  });

  it("re-reads the standby replica's lag at the promote step: a replica that fell behind while the runbook waited is not promoted", async () => {
    // Prepare: the runbook waits for approval; meanwhile the standby replica falls 45 s behind
    const h = new RegionHarness(
      regionTopology({ regionFailover: { mode: 'approval', regionFailureThreshold: 2, failbackHealthyMinutes: 10 } }),
    );
    await h.rounds(2);
    h.darken(PRIMARY);
    await h.rounds(10);
    h.cloud.setLag('orders-replica-fra', 45);
    // Act
    await approveRunbook(h.cloud.store, `failover-${PRIMARY}-1`, 'alice', h.cloud.now(), h.topology);
    await h.rounds(3);
    // Assess
    const [failed] = h.notifications('region.runbook.promote').filter((n) => n.reason.includes('when re-read'));
    expect(failed?.reason).toContain(
      'orders-fra-replica lags 45 s when re-read before promoting it, over maxLagSeconds',
    );
    expect(
      (await h.cloud.database.describeInstance(STANDBY, 'orders-replica-fra'))?.replicaSourceIdentifier,
    ).toBeDefined();
    // Once it has caught up, the runbook goes on
    h.cloud.setLag('orders-replica-fra', 1);
    await h.rounds(10, async () => (await h.runbooks()).some((r) => r.status === 'completed'));
    expect((await h.runbooks())[0]?.status).toBe('completed');
  });

  it('refuses to approve a runbook that does not wait for approval', async () => {
    // Prepare
    const h = new RegionHarness(regionTopology());
    // Act / Assess
    await expect(
      approveRunbook(h.cloud.store, 'failover-eu-west-1-9', 'alice', h.cloud.now(), h.topology),
    ).rejects.toThrow(/no region runbook "failover-eu-west-1-9" in the state table; no runbook waits for approval/);
  });
});

describe('failback', () => {
  async function failedOver(): Promise<RegionHarness> {
    const h = new RegionHarness(
      regionTopology({ regionFailover: { mode: 'auto', regionFailureThreshold: 2, failbackHealthyMinutes: 2 } }),
    );
    await h.rounds(2);
    h.darken(PRIMARY);
    await h.rounds(20, async () => (await h.runbooks()).some((r) => r.status === 'completed'));
    h.relight(PRIMARY);
    return h;
  }

  it('is refused until the region has been healthy for failbackHealthyMinutes, then moves DNS back and says what it cannot undo', async () => {
    // Prepare
    const h = await failedOver();
    await h.rounds(3);
    // Act
    const early = await runFailback(h.context(STANDBY), PRIMARY, { dryRun: false });
    await h.rounds(12);
    const dry = await runFailback(h.context(STANDBY), PRIMARY, { dryRun: true });
    const dnsBeforeRun = h.resolve('www.shop.example.com');
    const done = await runFailback(h.context(STANDBY), PRIMARY, { dryRun: false });
    // Assess
    expect(early.decision.refusal).toMatch(
      /^eu-west-1 has been healthy only since .* \(20 s of the 2 min regionFailover\.failbackHealthyMinutes asks for\); failback is allowed from /,
    );
    expect(early.execution).toBeUndefined();
    expect(dry.decision.runbook?.data.records).toEqual([
      { recordId: 'www', in: ['web-dub-a', 'web-dub-b'], out: ['web-fra-a', 'web-fra-b'] },
      { recordId: 'origin', in: ['web-dub-a', 'web-dub-b'], out: ['web-fra-a', 'web-fra-b'] },
    ]);
    expect(dnsBeforeRun).toEqual(FRA_IPS);
    expect(done.execution?.results.map((r) => [r.action.kind, r.outcome])).toEqual([
      ['region.runbook.announce', 'applied'],
      ['region.runbook.move-dns', 'applied'],
      ['region.runbook.repoint-writer', 'applied'],
      ['region.runbook.complete', 'applied'],
    ]);
    expect(h.resolve('www.shop.example.com')).toEqual(DUB_IPS);
    expect(h.resolve('origin.shop.example.com')).toEqual(DUB_IPS);
    expect(h.writer('db-writer.shop.example.com')).toEqual(['orders-replica-fra.bbbb.eu-central-1.rds.amazonaws.com']);
    expect(done.decision.runbook?.data.cannotUndo).toEqual([
      expect.stringMatching(
        /^orders: the writer stays on orders-fra-replica \(eu-central-1\)\. orders-fra-replica was promoted and cannot become a replica again; orders-dub-primary in eu-west-1 is fenced/,
      ),
    ]);
    const runbooks = await h.runbooks();
    expect(runbooks.map((r) => [r.id, r.status])).toEqual(
      [
        [`failback-${PRIMARY}-1`, 'completed'],
        [`failover-${PRIMARY}-1`, 'completed'],
      ].sort(),
    );
  });

  it('moves the writer back to the old primary once it was rebuilt as a replica of the writer (fence lifted) and promoted', async () => {
    // Prepare: the diverged orders-primary is replaced by a read replica of the writer, orders-replica-fra
    const h = await failedOver();
    h.cloud.failInstance('orders-primary', 'deleted', PRIMARY);
    h.cloud.database.addInstance({
      region: PRIMARY,
      identifier: 'orders-primary',
      endpoint: { host: 'orders-primary.aaaa.eu-west-1.rds.amazonaws.com', port: 5432 },
      replicaOf: { region: STANDBY, identifier: 'orders-replica-fra' },
    });
    await h.rounds(3);
    expect(h.cloud.notifier.outbox.map((n) => n.subject)).toContainEqual(
      expect.stringMatching(/fence of orders-dub-primary of orders lifted/),
    );
    // The operator promotes it; the region has been healthy long enough
    await h.cloud.database.promoteReadReplica(PRIMARY, 'orders-primary');
    h.cloud.advance(60_000);
    await h.rounds(12);
    // Act
    const done = await runFailback(h.context(STANDBY), PRIMARY, { dryRun: false });
    // Assess
    expect(done.decision.runbook?.data.cannotUndo).toEqual([
      expect.stringMatching(
        /^orders: orders-fra-replica stays a standalone instance after the writer moves to orders-dub-primary/,
      ),
    ]);
    expect(h.writer('db-writer.shop.example.com')).toEqual(['orders-primary.aaaa.eu-west-1.rds.amazonaws.com']);
  });

  it('is never started by a guard cycle, however long the region is healthy', async () => {
    // Prepare
    const h = await failedOver();
    // Act
    await h.rounds(20);
    // Assess
    expect((await h.runbooks()).map((r) => r.kind)).toEqual(['region-failover']);
    expect(h.resolve('www.shop.example.com')).toEqual(FRA_IPS);
  });
});
