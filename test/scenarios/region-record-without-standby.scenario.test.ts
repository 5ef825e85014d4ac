// An active-passive record with no target in the standby region: a region failover cannot move it.
// The runbook must not fail on it forever; it leaves the record as it is (fail open) and goes on.
import { describe, expect, it } from 'vitest';
import { RegionHarness } from '../engine/region/region-harness';
import { PRIMARY, regionTopology } from '../engine/region/fixtures';

describe('a region failover with a record that has no standby target', () => {
  it('leaves the record serving the dark region, says so, and still moves the other records and the writer name', async () => {
    // Prepare: admin.shop.example.com answers only with eu-west-1 servers
    const base = regionTopology();
    const admin = {
      id: 'admin',
      hostedZoneId: 'Z0123456789ABC',
      name: 'admin.shop.example.com',
      type: 'A' as const,
      routing: 'ip-set' as const,
      targets: [{ endpoint: 'web-dub-a' }, { endpoint: 'web-dub-b' }],
    };
    const h = new RegionHarness(regionTopology({ dns: [...base.dns, admin] }));
    await h.rounds(2);
    // Act
    h.darken(PRIMARY);
    await h.rounds(20, async () => (await h.runbooks()).some((r) => r.status !== 'running'));
    // Assess
    const [runbook] = await h.runbooks();
    expect(runbook?.status).toBe('completed');
    expect(runbook?.data.records.map((m) => m.recordId)).toEqual(['www', 'origin']);
    expect(h.resolve('admin.shop.example.com')).toEqual(['10.10.1.11', '10.10.2.11']);
    expect(h.writer('db-writer.shop.example.com')).toEqual(['orders-replica-fra.bbbb.eu-central-1.rds.amazonaws.com']);
    expect(h.notifications('region.failover.start')[0]?.reason).toContain(
      'not moved, no target in eu-central-1: admin.shop.example.com',
    );
    expect(h.notifications('region.runbook.move-dns.failed')).toEqual([]);
  });
});
